import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// Envelopes through a hub: stored on the hub, their contents applied on the members (overrides included), and,
/// with agents, written into a Work of their own per envelope.
struct EnvelopeTests {
    static let envelopes = """
        apiVersion: placement.kubernetes-fleet.io/v1beta1
        kind: ResourceEnvelope
        metadata:
          name: webhooks
          namespace: test-namespace
        data:
          "cm.yaml":
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: wrapped
              namespace: test-namespace
            data:
              key: plain
        ---
        apiVersion: placement.kubernetes-fleet.io/v1beta1
        kind: ClusterResourceEnvelope
        metadata:
          name: admission
        data:
          "webhook.yaml":
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingWebhookConfiguration
            metadata:
              name: guard
        """

    /// The seed's placement, also selecting the cluster-scoped envelope; the namespace brings the namespaced one.
    static let placement = SeedManifests.placement.replacingOccurrences(
        of: "  policy:",
        with: "    - {group: placement.kubernetes-fleet.io, kind: ClusterResourceEnvelope, name: admission, version: v1beta1}\n  policy:")

    /// Canary members get the wrapped ConfigMap with their name in it.
    static let override = """
        apiVersion: placement.kubernetes-fleet.io/v1beta1
        kind: ResourceOverride
        metadata:
          name: wrapped-override
          namespace: test-namespace
        spec:
          placement:
            name: example-placement
          resourceSelectors:
            - {group: "", kind: ConfigMap, version: v1, name: wrapped}
          policy:
            overrideRules:
              - clusterSelector:
                  clusterSelectorTerms:
                    - labelSelector: {matchLabels: {environment: canary}}
                jsonPatchOverrides:
                  - {op: replace, path: /data/key, value: "canary-${MEMBER-CLUSTER-NAME}"}
        """

    func hub() async throws -> Hub {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path
        let hub = try Hub(path: path, clock: ManualClock(SeedWalkthrough.virtualStart))
        for member in SeedManifests.members {
            try await hub.send(.apply(YAML.parse(SeedManifests.memberCluster(member.name, labels: member.labels))), actor: "test")
        }
        let strategy = "apiVersion: placement.kubernetes-fleet.io/v1beta1\nkind: ClusterStagedUpdateStrategy\nmetadata:\n  name: example-strategy\nspec:\n  stages:\n  - name: all\n    labelSelector: {}\n    maxConcurrency: \"100%\"\n"
        for manifest in [SeedManifests.namespace] + Self.envelopes.components(separatedBy: "---\n") + [Self.placement, strategy, Self.override] {
            try await hub.send(.apply(YAML.parse(manifest)), actor: "test")
        }
        return hub
    }

    func held(_ hub: Hub, _ member: String) async -> [String] {
        await hub.memberObjects(member).map { object in
            let namespace = object[path: ["metadata", "namespace"]]?.stringValue.map { "\($0)/" } ?? ""
            return "\(object["kind"]?.stringValue ?? "") \(namespace)\(object[path: ["metadata", "name"]]?.stringValue ?? "")"
        }
    }

    @Test func membersHoldWhatEnvelopesWrapWithOverridesAndTheHubHoldsOnlyTheEnvelopes() async throws {
        let hub = try await hub()
        try await hub.send(.apply(YAML.parse(Fixtures.runManifest(index: "0"))), actor: "test")
        #expect(try await hub.advance(until: { $0.runs[Fixtures.runKey]?.isFinished == true }))
        let expected = ["ConfigMap test-namespace/wrapped", "Namespace test-namespace", "ValidatingWebhookConfiguration guard"]
        for member in ["member1", "member2", "member3"] {
            let objects = await held(hub, member)
            #expect(objects.sorted() == expected, "\(member)")
        }
        let wrapped = await hub.memberObjects("member1").first { $0[path: ["metadata", "name"]] == "wrapped" }
        #expect(wrapped?["data"] == ["key": "canary-member1"])
        let staging = await hub.memberObjects("member2").first { $0[path: ["metadata", "name"]] == "wrapped" }
        #expect(staging?["data"] == ["key": "plain"])
        // The hub keeps the envelopes as objects, counted on the snapshot as KubeFleet counts them; nothing they
        // wrap exists on it.
        let state = await hub.state
        let snapshot = state.objects[PlacementNames.resourceSnapshotKey(Fixtures.placementKey, index: 0)]
        #expect(snapshot?.json[path: ["metadata", "annotations", FleetLabel.numberOfEnvelopedObjects]] == "2")
        #expect(state.objects[ObjectKey(.resourceEnvelope, namespace: "test-namespace", name: "webhooks")] != nil)
        #expect(state.objects[ObjectKey(.configMap, namespace: "test-namespace", name: "wrapped")] == nil)
        #expect(state.objects.keys.filter { $0.kind == "ValidatingWebhookConfiguration" }.isEmpty)
    }

    // MARK: Works for agents

    static let main = ObjectKey(.work, namespace: "fleet-member-member2", name: "example-placement-work")
    /// `sha256("ResourceEnvelope/test-namespace/webhooks")`, its first 8 bytes.
    static let envelopeWork = ObjectKey(.work, namespace: "fleet-member-member2", name: "example-placement-work-envelope-278e7e97132bdf96")

    static func objects() throws -> (namespace: JSON, envelope: JSON, configMap: JSON) {
        let envelope = try YAML.parse(Self.envelopes.components(separatedBy: "---\n")[0])
        let namespace: JSON = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "test-namespace"]]
        return (namespace, envelope, Envelopes.contents(of: envelope)[0])
    }

    static func work(_ action: MemberWork.Action) -> MemberWork {
        MemberWork(cluster: "member2", placement: Fixtures.placementKey, action: action)
    }

    @Test func anEnvelopeGoesToAnAgentInAWorkOfItsOwn() throws {
        let (namespace, envelope, configMap) = try Self.objects()
        var scenario = Scenario()
        let events = WorkWriter.events(for: Self.work(.apply(resourceIndex: 0, objects: [namespace, envelope])), in: scenario.state)
        let labels: JSON = ["kubernetes-fleet.io/parent-CRP": "example-placement", "kubernetes-fleet.io/parent-resource-snapshot-index": "0"]
        var envelopeLabels = labels
        envelopeLabels["kubernetes-fleet.io/envelope-work"] = "ResourceEnvelope"
        envelopeLabels["kubernetes-fleet.io/envelope-name"] = "webhooks"
        envelopeLabels["kubernetes-fleet.io/envelope-namespace"] = "test-namespace"
        func work(_ key: ObjectKey, _ labels: JSON, _ manifests: [JSON]) -> JSON {
            [
                "apiVersion": "placement.kubernetes-fleet.io/v1beta1", "kind": "Work",
                "metadata": ["name": .string(key.name), "namespace": "fleet-member-member2", "labels": labels],
                "spec": ["workload": ["manifests": .array(manifests)]],
            ]
        }
        #expect(events == [
            .objectCreated(ObjectCreated(key: Self.main, uid: ObjectUID.make(for: Self.main, after: 0), object: work(Self.main, labels, [namespace]))),
            .objectCreated(ObjectCreated(
                key: Self.envelopeWork, uid: ObjectUID.make(for: Self.envelopeWork, after: 0), object: work(Self.envelopeWork, envelopeLabels, [configMap]))),
        ])
        scenario.given(events)
        #expect(WorkWriter.target(ofWork: Self.envelopeWork)?.placement == Fixtures.placementKey)
        #expect(AgentMembers().holds(Self.work(.apply(resourceIndex: 0, objects: [namespace, envelope])), in: scenario.state))

        // The envelope no longer selected: its Work goes.
        let without = WorkWriter.events(for: Self.work(.apply(resourceIndex: 1, objects: [namespace])), in: scenario.state)
        var relabelled = labels
        relabelled["kubernetes-fleet.io/parent-resource-snapshot-index"] = "1"
        #expect(without == [
            .objectUpdated(ObjectUpdated(key: Self.main, object: work(Self.main, relabelled, [namespace]))),
            .objectDeleted(ObjectDeleted(key: Self.envelopeWork)),
        ])
        // Removal deletes every Work of the placement on the member.
        #expect(WorkWriter.events(for: Self.work(.remove), in: scenario.state) == [
            .objectDeleted(ObjectDeleted(key: Self.main)), .objectDeleted(ObjectDeleted(key: Self.envelopeWork)),
            .memberRemoved(MemberRemoved(cluster: "member2", placement: Fixtures.placementKey)),
        ])
    }

    @Test func onlyAnEnvelopeWorksNameReadsAsOne() {
        #expect(WorkWriter.mainWorkName(ofEnvelopeWork: Self.envelopeWork.name) == "example-placement-work")
        #expect(WorkWriter.mainWorkName(ofEnvelopeWork: "my-envelope-crp-work") == nil)
        let placement = WorkWriter.target(ofWork: ObjectKey(.work, namespace: "fleet-member-m", name: "my-envelope-crp-work"))?.placement
        #expect(placement == ObjectKey(.clusterResourcePlacement, name: "my-envelope-crp"))
    }

    @Test func aClusterIsDoneOnlyWhenEveryWorkIsAppliedAndAvailable() throws {
        let (namespace, envelope, configMap) = try Self.objects()
        var scenario = Scenario()
        scenario.given(WorkWriter.events(for: Self.work(.apply(resourceIndex: 0, objects: [namespace, envelope])), in: scenario.state))
        let done: JSON = [
            "conditions": [
                ["type": "Applied", "status": "True", "observedGeneration": 1], ["type": "Available", "status": "True", "observedGeneration": 1],
            ]
        ]
        try scenario.send(.updateStatus(Self.main, done))
        #expect(WorkStatusController.reconcile(Self.main, in: scenario.state) == nil)
        try scenario.send(.updateStatus(Self.envelopeWork, done))
        let applied = MemberApplied(cluster: "member2", placement: Fixtures.placementKey, resourceIndex: 0, objects: [namespace, configMap])
        #expect(WorkStatusController.reconcile(Self.envelopeWork, in: scenario.state)?.events == [.memberApplied(applied)])
        #expect(WorkStatusController.reconcile(Self.main, in: scenario.state)?.events == [.memberApplied(applied)])
    }
}
