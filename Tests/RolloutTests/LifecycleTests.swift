import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// KubeFleet's remaining lifecycle scenarios (reference 4.1-4.2): deletion stages under stop, deleting runs,
/// and initialization with only clusters to clean up.
struct LifecycleTests {
    let run = Fixtures.runKey

    func fixedFleet(_ names: [String]) throws -> Scenario {
        var scenario = Scenario()
        for member in SeedManifests.members { try scenario.apply(SeedManifests.memberCluster(member.name, labels: member.labels)) }
        try scenario.apply(SeedManifests.namespace)
        try scenario.apply(pickFixed(names))
        try scenario.apply("apiVersion: placement.kubernetes-fleet.io/v1beta1\nkind: ClusterStagedUpdateStrategy\nmetadata:\n  name: example-strategy\nspec:\n  stages:\n  - name: all\n    labelSelector: {}\n    maxConcurrency: \"100%\"\n")
        scenario.settle()
        return scenario
    }

    func pickFixed(_ names: [String]) -> String {
        SeedManifests.placement.replacingOccurrences(of: "placementType: PickAll", with: "placementType: PickFixed\n    clusterNames: [\(names.joined(separator: ", "))]")
    }

    /// member1 and member3 hold the placement, then the placement drops member3.
    func withOneToDelete() throws -> Scenario {
        var scenario = try fixedFleet(["member1", "member3"])
        try scenario.apply(Fixtures.runManifest(name: "first", index: "0"))
        scenario.settle()
        for member in ["member1", "member3"] { scenario.memberApplied(member, index: 0) }
        scenario.settle()
        try scenario.apply(pickFixed(["member1"]))
        scenario.settle()
        return scenario
    }

    @Test func stoppingDuringTheDeletionStageWaitsForTheDeletes() throws {
        var scenario = try withOneToDelete()
        try scenario.apply(Fixtures.runManifest(index: "0"))
        #expect(scenario.settle().last == .clusterUpdateStarted(ClusterRef(run: run, stage: 1, cluster: "member3")))
        try scenario.apply(Fixtures.runManifest(index: "0") + "\n  state: Stop")
        #expect(scenario.settle() == [.updateRunStopping(StageRef(run: run, stage: 1))])
        scenario.fold(.memberRemoved(MemberRemoved(cluster: "member3", placement: Fixtures.placementKey)))
        #expect(scenario.settle() == [
            .clusterUpdateSucceeded(ClusterRef(run: run, stage: 1, cluster: "member3")), .updateRunStopped(StageRef(run: run, stage: 1)),
        ])
        #expect(scenario.run()?.status.deletionStageStatus?.conditions?[type: "Progressing"]?.reason == "StageUpdatingStopped")
        try scenario.apply(Fixtures.runManifest(index: "0") + "\n  state: Run")
        #expect(scenario.settle() == [.updateRunResumed(StageRef(run: run, stage: 1)), .updateRunSucceeded(RunRef(run: run))])
    }

    @Test func aPlacementWithOnlyClustersToDeleteStillInitializes() throws {
        var scenario = try withOneToDelete()
        try scenario.apply(pickFixed([]))
        scenario.settle()
        try scenario.apply(Fixtures.runManifest(index: "0"))
        guard case .updateRunInitialized(let plan) = scenario.settle().first else {
            Issue.record("expected initialization")
            return
        }
        #expect(plan.stages.map(\.clusters) == [[]])
        #expect(plan.deletionClusters == ["member1", "member3"])
    }

    @Test func deletingARunningRunIsNeverBlockedAndTakesItsApprovalRequests() throws {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(Fixtures.runManifest(index: "0"))
        scenario.settle()
        scenario.passToCanaryApproval()
        let request = ObjectKey(.clusterApprovalRequest, name: "example-run-canary")
        #expect(scenario.state.objects[request] != nil)
        let events = try scenario.send(.delete(run))
        #expect(events == [.objectDeleted(ObjectDeleted(key: request)), .objectDeleted(ObjectDeleted(key: run))])
        #expect(scenario.state.runs[run] == nil)
        #expect(scenario.settle() == [])
        #expect(scenario.state.members["member1"]?.applied[Fixtures.placementKey]?.resourceIndex == 0)
    }

    @Test func aFinishedRunIgnoresLaterStateEdits() throws {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(Fixtures.runManifest(index: "0", placement: "missing"))
        scenario.settle()
        try scenario.apply(Fixtures.runManifest(index: "0", placement: "missing") + "\n  state: Stop")
        #expect(scenario.settle() == [])
        #expect(scenario.run()?.initializationFailed == true)
    }
}
