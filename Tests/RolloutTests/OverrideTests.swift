import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// Resource overrides and ReportDiff through a hub: what each member ends up holding.
struct OverrideTests {
    static let override = """
        apiVersion: placement.kubernetes-fleet.io/v1beta1
        kind: ResourceOverride
        metadata:
          name: cm-override
          namespace: test-namespace
        spec:
          placement:
            name: example-placement
          resourceSelectors:
            - group: ""
              kind: ConfigMap
              version: v1
              name: test-cm
          policy:
            overrideRules:
              - clusterSelector:
                  clusterSelectorTerms:
                    - labelSelector:
                        matchLabels:
                          environment: canary
                jsonPatchOverrides:
                  - op: replace
                    path: /data/key
                    value: canary-${MEMBER-CLUSTER-NAME}
              - clusterSelector:
                  clusterSelectorTerms:
                    - labelSelector:
                        matchLabels:
                          environment: staging
                overrideType: Delete
        """

    func hub(placement: String = SeedManifests.placement) async throws -> Hub {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path
        let hub = try Hub(path: path, clock: ManualClock(SeedWalkthrough.virtualStart))
        for member in SeedManifests.members {
            try await hub.send(.apply(YAML.parse(SeedManifests.memberCluster(member.name, labels: member.labels))), actor: "test")
        }
        let strategy = "apiVersion: placement.kubernetes-fleet.io/v1beta1\nkind: ClusterStagedUpdateStrategy\nmetadata:\n  name: example-strategy\nspec:\n  stages:\n  - name: all\n    labelSelector: {}\n    maxConcurrency: \"100%\"\n"
        for manifest in [SeedManifests.namespace, SeedManifests.configMap(value: "value1"), placement, strategy] {
            try await hub.send(.apply(YAML.parse(manifest)), actor: "test")
        }
        return hub
    }

    func configMap(_ hub: Hub, _ member: String) async -> JSON? {
        await hub.memberObjects(member).first { $0["kind"] == "ConfigMap" }
    }

    @Test func overridesAreSnapshottedFrozenPerClusterAndApplied() async throws {
        let hub = try await hub()
        try await hub.send(.apply(YAML.parse(Self.override)), actor: "test")
        let snapshot = ObjectKey(.resourceOverrideSnapshot, namespace: "test-namespace", name: "cm-override-0")
        #expect(await hub.state.objects[snapshot]?.labels["kubernetes-fleet.io/is-latest-snapshot"] == "true")
        try await hub.send(.apply(YAML.parse(Fixtures.runManifest(index: "0"))), actor: "test")
        #expect(try await hub.advance(until: { $0.runs[Fixtures.runKey]?.isFinished == true }))
        #expect(await configMap(hub, "member1")?["data"] == ["key": "canary-member1"])
        #expect(await configMap(hub, "member3")?["data"] == ["key": "canary-member3"])
        #expect(await configMap(hub, "member2") == nil)
        #expect(await hub.memberObjects("member2").map { $0["kind"] } == ["Namespace"])
        let clusters = await hub.state.runs[Fixtures.runKey]?.status.stagesStatus?[0].clusters ?? []
        #expect(clusters.map(\.resourceOverrideSnapshots) == Array(repeating: [.init(name: "cm-override-0", namespace: "test-namespace")], count: 3))

        // A later edit takes a new snapshot; the finished run keeps the one it froze.
        try await hub.send(.apply(YAML.parse(Self.override.replacingOccurrences(of: "canary-${", with: "new-${"))), actor: "test")
        let state = await hub.state
        #expect(state.objects[snapshot]?.labels["kubernetes-fleet.io/is-latest-snapshot"] == "false")
        #expect(state.objects[ObjectKey(.resourceOverrideSnapshot, namespace: "test-namespace", name: "cm-override-1")] != nil)
    }

    @Test func reportDiffChangesNothingAndCompletesTheRun() async throws {
        let placement = SeedManifests.placement.replacingOccurrences(of: "    type: External", with: "    type: External\n    applyStrategy:\n      type: ReportDiff")
        let hub = try await hub(placement: placement)
        try await hub.send(.apply(YAML.parse(Fixtures.runManifest(index: "0"))), actor: "test")
        #expect(try await hub.advance(until: { $0.runs[Fixtures.runKey]?.isFinished == true }))
        #expect(await hub.state.runs[Fixtures.runKey]?.status.conditions?[type: "Succeeded"]?.status == .true)
        #expect(await hub.missedByDirtySet == 0)
        #expect(await hub.memberObjects("member1") == [])
        #expect(await hub.state.members["member1"]?.reported[Fixtures.placementKey]?.differences == ["ConfigMap test-namespace/test-cm", "Namespace test-namespace"])
    }

    @Test func overridesThatTouchIdentityAreRefused() throws {
        let bad = Self.override.replacingOccurrences(of: "path: /data/key", with: "path: /metadata/name")
        #expect(throws: HubError.self) { try ObjectDecider.decide(.create(YAML.parse(bad)), try Fixtures.seedFleet().state) }
        let causes = FleetValidation.validate(.resourceOverride, object: try YAML.parse(bad), old: nil)
        #expect(causes.map(\.field) == ["spec.policy.overrideRules[0].jsonPatchOverrides[0].path"])
    }
}
