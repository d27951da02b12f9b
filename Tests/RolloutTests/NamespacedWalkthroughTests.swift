import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// The seed's namespace-scoped variant: ResourcePlacement, StagedUpdateStrategy, StagedUpdateRun, ApprovalRequest
/// and ResourceSnapshot, all inside one namespace, on virtual time through a hub.
struct NamespacedWalkthroughTests {
    static let placement = """
        apiVersion: placement.kubernetes-fleet.io/v1beta1
        kind: ResourcePlacement
        metadata:
          name: example-placement
          namespace: test-namespace
        spec:
          resourceSelectors:
            - group: ""
              kind: ConfigMap
              name: test-cm
              version: v1
          policy:
            placementType: PickAll
          strategy:
            type: External
        """

    static func run(_ name: String, index: String) -> String {
        """
        apiVersion: placement.kubernetes-fleet.io/v1beta1
        kind: StagedUpdateRun
        metadata:
          name: \(name)
          namespace: test-namespace
        spec:
          placementName: example-placement
          resourceSnapshotIndex: "\(index)"
          stagedRolloutStrategyName: example-strategy
        """
    }

    func approve(_ hub: Hub, _ key: ObjectKey) async throws {
        let status: JSON = ["conditions": [["type": "Approved", "status": "True", "reason": "testPassed", "message": "lgtm", "observedGeneration": 1, "lastTransitionTime": .string(KubeTime.format(hub.clock.now()))]]]
        try await hub.send(.updateStatus(key, status), actor: "alice")
    }

    @Test func theNamespacedFlowRollsOutAndBack() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path
        let clock = ManualClock(SeedWalkthrough.virtualStart)
        let hub = try Hub(path: path, clock: clock)
        for member in SeedManifests.members {
            try await hub.send(.apply(YAML.parse(SeedManifests.memberCluster(member.name, labels: member.labels))), actor: "admin")
        }
        let strategy = SeedManifests.strategy
            .replacingOccurrences(of: "kind: ClusterStagedUpdateStrategy", with: "kind: StagedUpdateStrategy")
            .replacingOccurrences(of: "name: example-strategy", with: "name: example-strategy\n  namespace: test-namespace")
        for manifest in [SeedManifests.namespace, SeedManifests.configMap(value: "value1"), Self.placement, strategy] {
            try await hub.send(.apply(YAML.parse(manifest)), actor: "app-team")
        }
        try await hub.send(.apply(YAML.parse(SeedManifests.configMap(value: "value2"))), actor: "app-team")
        let snapshot = ObjectKey(.resourceSnapshot, namespace: "test-namespace", name: "example-placement-1-snapshot")
        let snapshotObject = try #require(await hub.render(snapshot))
        #expect(snapshotObject[path: ["spec", "selectedResources"]]?.arrayValue?.map { $0["kind"] } == ["ConfigMap"])
        #expect(snapshotObject[path: ["metadata", "labels", "kubernetes-fleet.io/is-latest-snapshot"]] == "true")

        try await hub.send(.apply(YAML.parse(Self.run("example-run", index: "1"))), actor: "app-team")
        let request = ObjectKey(.approvalRequest, namespace: "test-namespace", name: "example-run-canary")
        #expect(try await hub.advance(until: { $0.objects[request] != nil }))
        let runKey = ObjectKey(.stagedUpdateRun, namespace: "test-namespace", name: "example-run")
        let status = try #require(await hub.state.runs[runKey]?.renderedStatus)
        #expect(status.conditions?[type: "Initialized"]?.message == "StagedUpdateRun initialized successfully")
        #expect(status.stagesStatus?[1].afterStageTaskStatus?[0].conditions?[type: "ApprovalRequestCreated"]?.message == "ApprovalRequest is created")
        #expect(status.stagesStatus?.map { $0.clusters.map(\.clusterName) } == [["member2"], ["member3", "member1"]])
        try await approve(hub, request)
        #expect(try await hub.advance(until: { $0.runs[runKey]?.isFinished == true }))
        for member in ["member1", "member2", "member3"] {
            #expect(await hub.memberObjects(member).first?["data"] == ["key": "value2"])
        }

        try await hub.send(.apply(YAML.parse(Self.run("example-run-2", index: "0"))), actor: "app-team")
        let rollback = ObjectKey(.approvalRequest, namespace: "test-namespace", name: "example-run-2-canary")
        #expect(try await hub.advance(until: { $0.objects[rollback] != nil }))
        try await approve(hub, rollback)
        #expect(try await hub.advance(until: { $0.runs[ObjectKey(.stagedUpdateRun, namespace: "test-namespace", name: "example-run-2")]?.isFinished == true }))
        for member in ["member1", "member2", "member3"] {
            #expect(await hub.memberObjects(member).first?["data"] == ["key": "value1"])
        }
        #expect(await hub.missedByDirtySet == 0)
        let approvals = try hub.journal.readStream(rollback.description)
        // Created, approved by alice with her decision on the plan, accepted.
        #expect(approvals.map(\.type) == ["ObjectCreated.v1", "ObjectStatusUpdated.v1", "ApprovalDecided.v1", "ApprovalAccepted.v1"])
        #expect(approvals.map(\.actor) == ["controller/updaterun", "alice", "alice", "controller/updaterun"])
    }

    @Test func aNamespacedPlacementSelectsOnlyItsNamespace() throws {
        var scenario = Scenario()
        try scenario.apply(SeedManifests.namespace)
        try scenario.apply("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: other")
        try scenario.apply(SeedManifests.configMap(value: "mine"))
        try scenario.apply(SeedManifests.configMap(value: "theirs").replacingOccurrences(of: "namespace: test-namespace", with: "namespace: other"))
        try scenario.apply(Self.placement.replacingOccurrences(of: "      name: test-cm\n", with: ""))
        let events = scenario.settle()
        guard case .resourceSnapshotCreated(let snapshot) = events.last else {
            Issue.record("expected a snapshot, got \(events)")
            return
        }
        #expect(snapshot.resources.map { $0["data"] } == [["key": "mine"]])
    }
}
