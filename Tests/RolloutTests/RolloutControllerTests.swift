import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// The RollingUpdate strategy, KubeFleet's default: a placement rolls each new resource snapshot out on its own,
/// new clusters at once and clusters holding an older snapshot no more than `maxUnavailable` at a time.
struct RolloutControllerTests {
    static let members = ["member1", "member2", "member3", "member4"]

    /// Four members, the seed's namespace and ConfigMap, and a placement of it with the given strategy lines.
    static func fleet(strategy: String = "") throws -> Scenario {
        var scenario = Scenario()
        for name in members { try scenario.apply(SeedManifests.memberCluster(name, labels: ["environment": "prod"])) }
        try scenario.apply(SeedManifests.namespace)
        try scenario.apply(SeedManifests.configMap(value: "value1"))
        let placement = SeedManifests.placement.replacingOccurrences(of: "  strategy:\n    type: External", with: strategy)
        try scenario.apply(placement)
        return scenario
    }

    func started(_ events: [FleetEvent]) -> [String] {
        events.compactMap { if case .clusterRolloutStarted(let e) = $0 { "\(e.cluster)@\(e.resourceIndex)" } else { nil } }
    }

    @Test func aNewPlacementRollsOutToEveryClusterAtOnce() throws {
        var scenario = try Self.fleet()
        #expect(started(scenario.settle()) == ["member1@0", "member2@0", "member3@0", "member4@0"])
        #expect(scenario.settle() == [])
    }

    @Test func aNewSnapshotRollsOutNoMoreThanMaxUnavailableAtATime() throws {
        var scenario = try Self.fleet()
        scenario.settle()
        for name in Self.members { scenario.memberApplied(name, index: 0) }
        #expect(scenario.settle() == [])
        try scenario.apply(SeedManifests.configMap(value: "value2"))
        // 25% of four clusters: one at a time, each once the one before holds the new snapshot.
        #expect(started(scenario.settle()) == ["member1@1"])
        #expect(started(scenario.settle()) == [])
        for (done, next) in [("member1", "member2@1"), ("member2", "member3@1"), ("member3", "member4@1")] {
            scenario.memberApplied(done, index: 1)
            #expect(started(scenario.settle()) == [next])
        }
        scenario.memberApplied("member4", index: 1)
        #expect(scenario.settle() == [])
        #expect(scenario.state.render(Fixtures.placementKey)?[path: ["status", "conditions"]]?.arrayValue?.last?["type"] == "ClusterResourcePlacementAvailable")
    }

    @Test func maxUnavailableTakesAPercentageOrACount() throws {
        for (setting, first) in [("50%", ["member1@1", "member2@1"]), ("3", ["member1@1", "member2@1", "member3@1"])] {
            var scenario = try Self.fleet(strategy: "  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxUnavailable: \(setting.contains("%") ? "\"\(setting)\"" : setting)")
            scenario.settle()
            for name in Self.members { scenario.memberApplied(name, index: 0) }
            try scenario.apply(SeedManifests.configMap(value: "value2"))
            #expect(started(scenario.settle()) == first, "maxUnavailable \(setting)")
        }
    }

    @Test func aClusterNoLongerScheduledIsUnboundAndAnExternalPlacementIsLeftToRuns() throws {
        var scenario = try Self.fleet()
        scenario.settle()
        try scenario.send(.delete(ObjectKey(.memberCluster, name: "member4")))
        let events = scenario.settle()
        #expect(events.contains(.clusterRolloutRemoved(ClusterRolloutRemoved(placement: Fixtures.placementKey, cluster: "member4"))))
        var external = try Self.fleet(strategy: "  strategy:\n    type: External")
        #expect(started(external.settle()) == [])
    }

    @Test func throughTheHubMembersGetEachSnapshotInTurn() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path
        let clock = ManualClock(SeedWalkthrough.virtualStart)
        let hub = try Hub(path: path, clock: clock, members: SimulatedMembers(latency: 15))
        for name in Self.members {
            try await hub.send(.apply(YAML.parse(SeedManifests.memberCluster(name, labels: ["environment": "prod"]))), actor: "test")
        }
        try await hub.send(.apply(YAML.parse(SeedManifests.namespace)), actor: "test")
        try await hub.send(.apply(YAML.parse(SeedManifests.configMap(value: "value1"))), actor: "test")
        try await hub.send(
            .apply(YAML.parse(SeedManifests.placement.replacingOccurrences(of: "  strategy:\n    type: External", with: ""))), actor: "test")
        try await hub.advance(by: 15)
        for name in Self.members { #expect(await hub.state.members[name]?.applied[Fixtures.placementKey]?.resourceIndex == 0) }
        try await hub.send(.apply(YAML.parse(SeedManifests.configMap(value: "value2"))), actor: "test")
        var order: [String] = []
        for _ in 0..<4 {
            try await hub.advance(by: 15)
            for name in Self.members where !order.contains(name) {
                if await hub.state.members[name]?.applied[Fixtures.placementKey]?.resourceIndex == 1 { order.append(name) }
            }
        }
        #expect(order == Self.members)
        #expect(await hub.missedByDirtySet == 0)
        hub.journal.close()
    }
}
