import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// The snapshot history of a placement and the diff between two of its snapshots, from events.
struct PlacementHistoryTests {
    static let t0 = KubeTime.parse("2025-07-22T21:26:00Z")!
    static let placement = Fixtures.placementKey
    static let run = ObjectKey(.clusterStagedUpdateRun, name: "example-run")

    static func configMap(_ value: String) -> JSON {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "test-cm", "namespace": "test-namespace"], "data": ["key": .string(value)]]
    }

    static let namespace: JSON = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "test-namespace"]]

    static func envelopes(_ events: [FleetEvent]) -> [Envelope] {
        events.enumerated().map { Envelope(seq: Int64($0 + 1), time: t0.addingTimeInterval(Double($0) * 10), actor: "controller/placement", event: $1) }
    }

    static let events = envelopes([
        .objectCreated(ObjectCreated(key: placement, uid: "p", object: ["spec": [:]])),
        .resourceSnapshotCreated(ResourceSnapshotCreated(placement: placement, index: 0, uid: "s0", hash: "h0", resources: [namespace, configMap("value1")])),
        .resourceSnapshotCreated(ResourceSnapshotCreated(placement: placement, index: 1, uid: "s1", hash: "h1", resources: [namespace, configMap("value2")])),
        .objectCreated(ObjectCreated(key: run, uid: "r", object: ["spec": ["placementName": "example-placement", "resourceSnapshotIndex": "0", "stagedRolloutStrategyName": "example-strategy"]])),
        .objectDeleted(ObjectDeleted(key: PlacementNames.resourceSnapshotKey(placement, index: 0))),
        .updateRunInitialized(UpdateRunInitialized(
            run: run, generation: 1, policySnapshotIndex: "0", observedClusterCount: 1, resourceSnapshotIndex: 0,
            strategy: StagedUpdateStrategySpec(stages: []), stages: [.init(name: "staging", clusters: ["member2"])], deletionClusters: ["member9"])),
        .clusterUpdateSucceeded(ClusterRef(run: run, stage: 0, cluster: "member2")),
        .clusterUpdateSucceeded(ClusterRef(run: run, stage: 1, cluster: "member9")),
    ])

    @Test func everySnapshotEverTakenWithWhereItWentAndWhetherItsObjectIsLive() {
        let history = PlacementHistory.of(Self.placement, in: Self.events)
        #expect(
            history == PlacementHistory(
                placement: Self.placement, exists: true,
                snapshots: [
                    .init(index: 0, hash: "h0", seq: 2, time: Self.t0.addingTimeInterval(10), resources: [Self.namespace, Self.configMap("value1")], object: .pruned,
                          deliveries: [.init(run: "example-run", cluster: "member2", seq: 7, time: Self.t0.addingTimeInterval(60))]),
                    .init(index: 1, hash: "h1", seq: 3, time: Self.t0.addingTimeInterval(20), resources: [Self.namespace, Self.configMap("value2")], object: .live, deliveries: []),
                ],
                latestStrategy: "example-strategy", lastSeq: 8))
        #expect(PlacementHistory(json: history.json) == history)
    }

    @Test func aReCreatedSnapshotIsLiveAgainAndADeletedPlacementIsNotLive() {
        let snapshot0 = PlacementNames.resourceSnapshotKey(Self.placement, index: 0)
        let restored = Self.events + [
            Envelope(seq: 9, time: Self.t0, actor: "controller/placement", event: .objectCreated(ObjectCreated(key: snapshot0, uid: "s0b", object: [:])))
        ]
        #expect(PlacementHistory.of(Self.placement, in: restored).snapshots.map(\.object) == [.live, .live])
        let deleted = restored + [Envelope(seq: 10, time: Self.t0, actor: "kubectl", event: .objectDeleted(ObjectDeleted(key: Self.placement)))]
        let history = PlacementHistory.of(Self.placement, in: deleted)
        #expect(!history.exists && history.snapshots.map(\.object) == [.deleted, .deleted])
    }

    @Test func theDiffShowsEachChangedObjectAsAUnifiedDiffOfItsYAML() throws {
        let history = PlacementHistory.of(Self.placement, in: Self.events)
        let diff = SnapshotDiff.diff(try #require(history.snapshot(0)), try #require(history.snapshot(1)), placement: "example-placement")
        #expect(
            diff == """
                --- example-placement@0 ConfigMap/test-namespace/test-cm
                +++ example-placement@1 ConfigMap/test-namespace/test-cm
                @@ -1,6 +1,6 @@
                 apiVersion: v1
                 data:
                -  key: value1
                +  key: value2
                 kind: ConfigMap
                 metadata:
                   name: test-cm

                """)
        #expect(SnapshotDiff.diff(history.snapshot(0)!, history.snapshot(0)!, placement: "p") == nil)
    }

    @Test func hunksKeepThreeLinesOfContextAndCountFromOne() {
        let a = (1...12).map { "line \($0)" }
        var b = a
        b[0] = "first"
        b.append("line 13")
        #expect(
            SnapshotDiff.unified(a, b) == [
                "@@ -1,4 +1,4 @@", "-line 1", "+first", " line 2", " line 3", " line 4",
                "@@ -10,3 +10,4 @@", " line 10", " line 11", " line 12", "+line 13",
            ])
        #expect(SnapshotDiff.unified([], ["new"]) == ["@@ -0,0 +1,1 @@", "+new"])
    }
}
