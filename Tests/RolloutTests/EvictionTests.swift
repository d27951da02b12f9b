import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// Scheduling is IgnoredDuringExecution, so a placement leaves a cluster only when the cluster leaves the fleet, the
/// policy changes, or an eviction takes it: checked once, carried out once, as far as the placement's
/// disruption budget allows.
struct EvictionTests {
    static let members = ["member1", "member2", "member3"]
    static let cordon = "\n  taints:\n  - {key: cordon-key, value: cordon-value, effect: NoSchedule}"

    /// Three members, the seed's namespace and ConfigMap, a rolling-update placement of them (PickAll unless
    /// `policy` says otherwise), rolled out and applied everywhere.
    static func fleet(policy: String = "placementType: PickAll") throws -> Scenario {
        var scenario = Scenario()
        for name in members { try scenario.apply(SeedManifests.memberCluster(name, labels: ["environment": "prod"])) }
        try scenario.apply(SeedManifests.namespace)
        try scenario.apply(SeedManifests.configMap(value: "value1"))
        try scenario.apply(SeedManifests.placement
            .replacingOccurrences(of: "  strategy:\n    type: External", with: "")
            .replacingOccurrences(of: "placementType: PickAll", with: policy))
        scenario.settle()
        for name in scenario.state.placements[Fixtures.placementKey]?.scheduledClusters ?? [] { scenario.memberApplied(name, index: 0) }
        scenario.settle()
        return scenario
    }

    static func eviction(_ name: String = "evict-member1", cluster: String = "member1", placement: String = "example-placement") -> String {
        """
        apiVersion: placement.kubernetes-fleet.io/v1beta1
        kind: ClusterResourcePlacementEviction
        metadata:
          name: \(name)
        spec:
          placementName: \(placement)
          clusterName: \(cluster)
        """
    }

    static func budget(_ field: String) -> String {
        """
        apiVersion: placement.kubernetes-fleet.io/v1beta1
        kind: ClusterResourcePlacementDisruptionBudget
        metadata:
          name: example-placement
        spec:
          \(field)
        """
    }

    func conditions(_ scenario: Scenario, _ name: String = "evict-member1") -> [String] {
        (scenario.state.objects[ObjectKey(.clusterResourcePlacementEviction, name: name)]?.status?["conditions"]?.arrayValue ?? []).map {
            "\($0["type"]?.stringValue ?? "") \($0["status"]?.stringValue ?? ""): \($0["message"]?.stringValue ?? "")"
        }
    }

    var scheduled: (Scenario) -> [String] { { $0.state.placements[Fixtures.placementKey]?.scheduledClusters ?? [] } }

    @Test func aTaintOrALabelAddedLaterMovesNoPlacementButANewPolicyDoes() throws {
        var scenario = try Self.fleet()
        try scenario.apply(SeedManifests.memberCluster("member1", labels: ["environment": "test"]) + Self.cordon)
        #expect(scenario.settle() == [])
        #expect(scheduled(scenario) == Self.members)
        try scenario.apply(SeedManifests.placement
            .replacingOccurrences(of: "  strategy:\n    type: External", with: "")
            .replacingOccurrences(of: "placementType: PickAll", with: "placementType: PickAll\n    tolerations: []"))
        scenario.settle()
        // A new policy schedules afresh: the cordoned member is no longer picked, and is unbound.
        #expect(scheduled(scenario) == ["member2", "member3"])
        #expect(scenario.state.placements[Fixtures.placementKey]?.bindings["member1"] == nil)
    }

    @Test func withoutABudgetAnEvictionIsExecutedAndACordonedClusterIsNotPickedAgain() throws {
        var scenario = try Self.fleet()
        try scenario.apply(SeedManifests.memberCluster("member1", labels: ["environment": "prod"]) + Self.cordon)
        try scenario.apply(Self.eviction())
        let events = scenario.settle()
        #expect(conditions(scenario) == [
            "Valid True: Eviction is valid", "Executed True: Eviction is allowed, no ClusterResourcePlacementDisruptionBudget specified",
        ])
        #expect(events.contains(.clusterRolloutRemoved(ClusterRolloutRemoved(placement: Fixtures.placementKey, cluster: "member1"))))
        #expect(scheduled(scenario) == ["member2", "member3"])
        // Executed once: a later write to the eviction changes nothing.
        try scenario.send(.updateStatus(ObjectKey(.clusterResourcePlacementEviction, name: "evict-member1"),
            scenario.state.objects[ObjectKey(.clusterResourcePlacementEviction, name: "evict-member1")]!.status!))
        #expect(scenario.settle() == [])
        // Uncordoned: the PickAll placement picks it again.
        try scenario.apply(SeedManifests.memberCluster("member1", labels: ["environment": "prod"]))
        scenario.settle()
        #expect(scheduled(scenario) == Self.members)
    }

    @Test func anUncordonedClusterEvictedFromAPickAllIsPickedAgainAtOnce() throws {
        var scenario = try Self.fleet()
        try scenario.apply(Self.eviction())
        scenario.settle()
        #expect(conditions(scenario).last == "Executed True: Eviction is allowed, no ClusterResourcePlacementDisruptionBudget specified")
        #expect(scheduled(scenario) == Self.members)
    }

    @Test func aBudgetBlocksAnEvictionThatWouldLeaveTooFewAvailable() throws {
        var scenario = try Self.fleet()
        try scenario.apply(Self.budget("minAvailable: 3"))
        try scenario.apply(Self.eviction())
        #expect(scenario.settle().allSatisfy { if case .objectStatusUpdated = $0 { true } else { false } })
        #expect(conditions(scenario) == [
            "Valid True: Eviction is valid",
            "Executed False: Eviction is blocked by specified ClusterResourcePlacementDisruptionBudget, availablePlacements: 3, totalPlacements: 3",
        ])
        #expect(scheduled(scenario) == Self.members)
        try scenario.apply(Self.budget("minAvailable: 2"))
        try scenario.apply(Self.eviction("evict-again"))
        scenario.settle()
        #expect(conditions(scenario, "evict-again").last
            == "Executed True: Eviction is allowed by specified ClusterResourcePlacementDisruptionBudget, availablePlacements: 3, totalPlacements: 3")
    }

    @Test func aPickNBudgetCountsAgainstNumberOfClusters() throws {
        var scenario = try Self.fleet(policy: "placementType: PickN\n    numberOfClusters: 2")
        try scenario.apply(Self.budget("maxUnavailable: \"50%\""))
        try scenario.apply(Self.eviction(cluster: scheduled(scenario)[0]))
        scenario.settle()
        #expect(conditions(scenario).last
            == "Executed True: Eviction is allowed by specified ClusterResourcePlacementDisruptionBudget, availablePlacements: 2, totalPlacements: 2")
    }

    @Test func evictionsThatCannotActSayWhy() throws {
        var scenario = try Self.fleet()
        try scenario.apply(Self.budget("maxUnavailable: 1"))
        try scenario.apply(Self.eviction("misconfigured"))
        try scenario.apply(Self.eviction("no-placement", placement: "missing"))
        try scenario.apply(Self.eviction("no-cluster", cluster: "member9"))
        scenario.settle()
        #expect(conditions(scenario, "misconfigured").last == "Executed False: Eviction is blocked by misconfigured "
            + "ClusterResourcePlacementDisruptionBudget, either MaxUnavailable is specified or MinAvailable is specified as a "
            + "percentage for PickAll ClusterResourcePlacement")
        #expect(conditions(scenario, "no-placement") == ["Valid False: Failed to find ClusterResourcePlacement targeted by eviction"])
        #expect(conditions(scenario, "no-cluster") == ["Valid False: Failed to find scheduler decision for placement in cluster targeted by eviction"])
    }

    @Test func aFailedClusterIsEvictedWhateverTheBudget() throws {
        var scenario = try Self.fleet()
        scenario.fold(.memberApplyFailed(MemberApplyFailed(cluster: "member2", placement: Fixtures.placementKey, resourceIndex: 0, message: "denied")))
        try scenario.apply(Self.budget("minAvailable: 3"))
        try scenario.apply(Self.eviction(cluster: "member2"))
        scenario.settle()
        #expect(conditions(scenario).last == "Executed True: Eviction is allowed, placement has failed")
    }

    @Test func budgetsAndEvictionsAreValidatedAsKubeFleetsSchemaDoes() throws {
        var scenario = try Self.fleet()
        #expect(throws: HubError.self) { try scenario.apply(Self.budget("maxUnavailable: 1\n  minAvailable: 1")) }
        #expect(throws: HubError.self) { try scenario.apply(Self.budget("minAvailable: \"150%\"")) }
        try scenario.apply(Self.eviction())
        #expect(throws: HubError.self) { try scenario.apply(Self.eviction(cluster: "member2")) }
    }
}
