import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// `revisionHistoryLimit`: the placement controller prunes the oldest snapshot objects as KubeFleet does, and
/// re-creates a pruned one, content and hash unchanged, when a run names it.
struct SnapshotHistoryLimitTests {
    static func snapshotKey(_ index: Int) -> ObjectKey {
        PlacementNames.resourceSnapshotKey(Fixtures.placementKey, index: index)
    }

    /// The seed's fleet with `revisionHistoryLimit: 2` and snapshots 0 (value1) and 1 (value2).
    static func fleetWithTwoSnapshots() throws -> Scenario {
        var scenario = Scenario()
        for member in SeedManifests.members {
            try scenario.apply(SeedManifests.memberCluster(member.name, labels: member.labels))
        }
        try scenario.apply(SeedManifests.namespace)
        try scenario.apply(SeedManifests.configMap(value: "value1"))
        try scenario.apply(SeedManifests.placement + "\n  revisionHistoryLimit: 2")
        try scenario.apply(SeedManifests.strategy)
        scenario.settle()
        try scenario.apply(SeedManifests.configMap(value: "value2"))
        scenario.settle()
        return scenario
    }

    func liveSnapshots(_ scenario: Scenario) -> [String] {
        scenario.state.objects(ofKind: .clusterResourceSnapshot).map(\.key.name)
    }

    @Test func aNewSnapshotPrunesTheOldestObjectPastTheLimitFirst() throws {
        var scenario = try Self.fleetWithTwoSnapshots()
        #expect(liveSnapshots(scenario) == ["example-placement-0-snapshot", "example-placement-1-snapshot"])
        try scenario.apply(SeedManifests.configMap(value: "value3"))
        let seq = scenario.state.lastSeq
        let resources = PlacementController.selectedResources(
            try #require(scenario.state.placements[Fixtures.placementKey]?.spec), placement: Fixtures.placementKey,
            in: scenario.state)

        let events = scenario.settle()

        #expect(
            events == [
                .objectDeleted(ObjectDeleted(key: Self.snapshotKey(0))),
                .resourceSnapshotCreated(
                    ResourceSnapshotCreated(
                        placement: Fixtures.placementKey, index: 2, uid: ObjectUID.make(for: Self.snapshotKey(2), after: seq),
                        hash: ResourceHash.sha256Hex(JSON.array(resources).serialized()), resources: resources)),
            ])
        #expect(liveSnapshots(scenario) == ["example-placement-1-snapshot", "example-placement-2-snapshot"])
        #expect(scenario.state.placements[Fixtures.placementKey]?.resourceSnapshots.keys.sorted() == [0, 1, 2])
    }

    @Test func withoutALimitTenSnapshotObjectsStay() throws {
        var scenario = try Fixtures.seedFleet()
        for value in 2...11 {
            try scenario.apply(SeedManifests.configMap(value: "value\(value)"))
            scenario.settle()
        }
        #expect(liveSnapshots(scenario) == (1...10).map { "example-placement-\($0)-snapshot" }.sorted())
    }

    @Test func aRunNamingAPrunedIndexReCreatesItsSnapshotWithTheSameContentAndHash() throws {
        var scenario = try Self.fleetWithTwoSnapshots()
        let original = try #require(scenario.state.render(Self.snapshotKey(0)))
        try scenario.apply(SeedManifests.configMap(value: "value3"))
        scenario.settle()
        #expect(scenario.state.objects[Self.snapshotKey(0)] == nil)
        try scenario.apply(Fixtures.runManifest(index: "0"))
        let seq = scenario.state.lastSeq

        let events = scenario.settle()

        var restored = original
        restored[path: ["metadata", "uid"]] = nil
        restored[path: ["metadata", "resourceVersion"]] = nil
        restored[path: ["metadata", "creationTimestamp"]] = nil
        restored[path: ["metadata", "generation"]] = nil
        #expect(events.first == .objectCreated(ObjectCreated(key: Self.snapshotKey(0), uid: ObjectUID.make(for: Self.snapshotKey(0), after: seq), object: restored)))
        guard case .updateRunInitialized(let initialized) = events.dropFirst().first else {
            Issue.record("the run did not initialize next: \(events.dropFirst().first.map { "\($0)" } ?? "nothing")")
            return
        }
        #expect(initialized.resourceSnapshotIndex == 0)
        let again = try #require(scenario.state.render(Self.snapshotKey(0)))
        #expect(again["spec"] == original["spec"])
        #expect(again[path: ["metadata", "annotations"]] == original[path: ["metadata", "annotations"]])
        #expect(again[path: ["metadata", "labels"]] == original[path: ["metadata", "labels"]])
        #expect(liveSnapshots(scenario).count == 3)
    }

    @Test func aRunNamingAnIndexNeverTakenRestoresNothingAndFailsToInitialize() throws {
        var scenario = try Self.fleetWithTwoSnapshots()
        try scenario.apply(Fixtures.runManifest(index: "7"))
        let events = scenario.settle()
        #expect(events.count == 1)
        guard case .updateRunInitializationFailed(let failure) = events.first else {
            Issue.record("expected the run to fail initialization, got \(events)")
            return
        }
        #expect(failure.message.contains("no resourceSnapshots with index `7` found"))
    }

    @Test func theLimitIsValidatedAsKubeFleetsSchemaDoes() throws {
        var scenario = Scenario()
        #expect(throws: HubError.self) { try scenario.apply(SeedManifests.placement + "\n  revisionHistoryLimit: 0") }
        let object = try YAML.parse(SeedManifests.placement + "\n  revisionHistoryLimit: 1001")
        #expect(
            FleetValidation.validate(.clusterResourcePlacement, object: object, old: nil) == [
                FieldError(field: "spec.revisionHistoryLimit", rule: "Invalid value: 1001: spec.revisionHistoryLimit in body should be less than or equal to 1000")
            ])
    }
}
