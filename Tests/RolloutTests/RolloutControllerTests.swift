import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// The RollingUpdate strategy, KubeFleet's default: a placement rolls each new resource snapshot out on its own,
/// new copies within `maxSurge`, updates and removals within `maxUnavailable`, and an untrackable cluster ready
/// only `unavailablePeriodSeconds` after it applied.
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
        for name in Self.members { scenario.memberApplied(name, index: 0) }
        try scenario.send(.delete(ObjectKey(.memberCluster, name: "member4")))
        let events = scenario.settle()
        #expect(events.contains(.clusterRolloutRemoved(ClusterRolloutRemoved(placement: Fixtures.placementKey, cluster: "member4"))))
        var external = try Self.fleet(strategy: "  strategy:\n    type: External")
        #expect(started(external.settle()) == [])
    }

    static func rollingUpdate(_ settings: String) -> String {
        "  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n" + settings.split(separator: "\n").map { "      \($0)" }.joined(separator: "\n")
    }

    func removed(_ events: [FleetEvent]) -> [String] {
        events.compactMap { if case .clusterRolloutRemoved(let e) = $0 { e.cluster } else { nil } }
    }

    @Test func aClusterJoiningIsBoundWithinMaxSurgeAndNoneWhenTheSurgeIsSpent() throws {
        var scenario = try Self.fleet(strategy: Self.rollingUpdate("maxSurge: 0\nmaxUnavailable: 0"))
        // Nothing is ready yet and the target is four: all four may become ready at once.
        #expect(started(scenario.settle()) == ["member1@0", "member2@0", "member3@0", "member4@0"])
        for name in Self.members { scenario.memberApplied(name, index: 0) }
        try scenario.apply(SeedManifests.memberCluster("member5", labels: ["environment": "prod"]))
        // Five targeted, four able to be ready, no surge: the fifth is bound, as the target grew with it.
        #expect(started(scenario.settle()) == ["member5@0"])
    }

    @Test func movingAPickNPlacementAddsWithinMaxSurgeAndRemovesWithinMaxUnavailable() throws {
        var scenario = Scenario()
        for (index, name) in Self.members.enumerated() {
            try scenario.apply(SeedManifests.memberCluster(name, labels: ["ring": index < 2 ? "old" : "new"]))
        }
        try scenario.apply(SeedManifests.namespace)
        let placement = { (ring: String) in
            SeedManifests.placement
                .replacingOccurrences(of: "  strategy:\n    type: External", with: "")
                .replacingOccurrences(
                    of: "placementType: PickAll",
                    with: """
                        placementType: PickN
                            numberOfClusters: 2
                            affinity:
                              clusterAffinity:
                                requiredDuringSchedulingIgnoredDuringExecution:
                                  clusterSelectorTerms:
                                  - labelSelector:
                                      matchLabels:
                                        ring: \(ring)
                        """)
        }
        try scenario.apply(placement("old"))
        #expect(started(scenario.settle()) == ["member1@0", "member2@0"])
        scenario.memberApplied("member1", index: 0)
        scenario.memberApplied("member2", index: 0)
        try scenario.apply(placement("new"))
        // Target 2, 25% of it rounds up to 1: one new copy may surge and one old copy may go.
        let first = scenario.settle()
        #expect(started(first) == ["member3@0"])
        #expect(removed(first) == ["member1"])
        // member1's copy is still there until its member removes it: nothing more may move.
        #expect(scenario.settle() == [])
        scenario.fold(.memberRemoved(MemberRemoved(cluster: "member1", placement: Fixtures.placementKey)))
        // One copy fewer may become ready: the other new cluster is bound; member2 stays, member3 not being ready.
        #expect(started(scenario.settle()) == ["member4@0"])
        scenario.memberApplied("member3", index: 0)
        #expect(removed(scenario.settle()) == ["member2"])
    }

    @Test func anUntrackableClusterCountsAsReadyOnlyAfterTheUnavailablePeriod() throws {
        var scenario = try Self.fleet(strategy: Self.rollingUpdate("maxUnavailable: 1\nunavailablePeriodSeconds: 30"))
        scenario.settle()
        for name in Self.members { scenario.memberApplied(name, index: 0) }
        try scenario.apply(SeedManifests.configMap(value: "value2"))
        #expect(started(scenario.settle()) == ["member1@1"])
        scenario.memberApplied("member1", index: 1, untrackable: true)
        // Applied, but its availability cannot be tracked: it is not ready until 30 s have passed.
        #expect(scenario.settle() == [])
        let deadline = try #require(RolloutController.nextDeadline(Fixtures.placementKey, in: scenario.state, now: scenario.now))
        #expect(deadline == scenario.now.addingTimeInterval(30))
        scenario.pass(29)
        #expect(scenario.settle() == [])
        scenario.pass(1)
        #expect(started(scenario.settle()) == ["member2@1"])
        #expect(RolloutController.nextDeadline(Fixtures.placementKey, in: scenario.state, now: scenario.now) == nil)
    }

    @Test func aClusterThatFailedOnItsSnapshotMovesOnWithoutSpendingTheBudget() throws {
        var scenario = try Self.fleet(strategy: Self.rollingUpdate("maxUnavailable: 0\nmaxSurge: 1"))
        scenario.settle()
        for name in Self.members.dropLast() { scenario.memberApplied(name, index: 0) }
        scenario.fold(.memberApplyFailed(MemberApplyFailed(cluster: "member4", placement: Fixtures.placementKey, resourceIndex: 0, message: "denied")))
        try scenario.apply(SeedManifests.configMap(value: "value2"))
        // No ready copy may go, but member4 holds nothing that works.
        #expect(started(scenario.settle()) == ["member4@1"])
    }

    @Test func aNewOverrideRebindsTheClustersItSelects() throws {
        var scenario = try Self.fleet(strategy: Self.rollingUpdate("maxUnavailable: 4"))
        scenario.settle()
        for name in Self.members { scenario.memberApplied(name, index: 0) }
        try scenario.apply(
            """
            apiVersion: placement.kubernetes-fleet.io/v1beta1
            kind: ClusterResourceOverride
            metadata:
              name: prod-override
            spec:
              placement:
                name: example-placement
              clusterResourceSelectors:
              - group: ""
                version: v1
                kind: Namespace
                name: test-namespace
              policy:
                overrideRules:
                - clusterSelector:
                    clusterSelectorTerms:
                    - labelSelector:
                        matchLabels:
                          environment: prod
                  jsonPatchOverrides:
                  - op: add
                    path: /metadata/labels/overridden
                    value: "true"
            """)
        let events = scenario.settle()
        let rebound = events.compactMap { if case .clusterRolloutStarted(let e) = $0 { e } else { nil } }
        #expect(rebound.map(\.cluster) == Self.members)
        #expect(rebound.allSatisfy { $0.resourceIndex == 0 && $0.overrides == [ObjectKey(.clusterResourceOverrideSnapshot, name: "prod-override-0")] })
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
