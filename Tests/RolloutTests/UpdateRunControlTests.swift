import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// `spec.state`: Initialize, Run and Stop, given a run at some point, when the state changes, then these events.
struct UpdateRunControlTests {
    let run = Fixtures.runKey

    func setState(_ state: String, _ scenario: inout Scenario) throws {
        try scenario.apply(Fixtures.runManifest(index: "0") + "\n  state: \(state)")
    }

    func cluster(_ stage: Int, _ name: String) -> ClusterRef { ClusterRef(run: run, stage: stage, cluster: name) }

    @Test func initializeComputesThePlanAndAppliesNothingUntilRun() throws {
        var scenario = try Fixtures.seedFleet()
        try setState("Initialize", &scenario)
        #expect(scenario.settle().count == 1)
        #expect(scenario.run()?.status.stagesStatus?.map { $0.clusters.map(\.clusterName) } == [["member2"], ["member3", "member1"]])
        scenario.pass(600)
        #expect(scenario.settle() == [])
        try setState("Run", &scenario)
        #expect(scenario.settle() == [.clusterUpdateStarted(cluster(0, "member2"))])
    }

    @Test func stoppingMidClusterLetsItFinishAndStartsNothingNew() throws {
        var scenario = try Fixtures.seedFleet()
        try setState("Run", &scenario)
        scenario.settle()
        try setState("Stop", &scenario)
        #expect(scenario.settle() == [.updateRunStopping(StageRef(run: run, stage: 0))])
        #expect(scenario.run()?.status.conditions?[type: "Progressing"]?.status == .unknown)
        scenario.pass(15)
        scenario.memberApplied("member2", index: 0)
        #expect(scenario.settle() == [.clusterUpdateSucceeded(cluster(0, "member2")), .updateRunStopped(StageRef(run: run, stage: 0))])
        let progressing = scenario.run()?.status.conditions?[type: "Progressing"]
        #expect(progressing?.reason == "UpdateRunStopped")
        #expect(progressing?.message == "The update run has been stopped")
        #expect(scenario.run()?.status.stagesStatus?[0].conditions?[type: "Progressing"]?.reason == "StageUpdatingStopped")
        scenario.pass(600)
        #expect(scenario.settle() == [])
    }

    @Test func resumingRestartsAPendingWaitFromTheStop() throws {
        var scenario = try Fixtures.seedFleet()
        try setState("Run", &scenario)
        scenario.settle()
        scenario.pass(15)
        scenario.memberApplied("member2", index: 0)
        scenario.settle()
        scenario.pass(30)
        try setState("Stop", &scenario)
        #expect(scenario.settle() == [.updateRunStopping(StageRef(run: run, stage: 0)), .updateRunStopped(StageRef(run: run, stage: 0))])
        // KubeFleet's quirk, kept: the wait now counts from the stop, so it ends 60 s after it, not after the resume.
        scenario.pass(10)
        try setState("Run", &scenario)
        #expect(scenario.settle() == [.updateRunResumed(StageRef(run: run, stage: 0)), .stageWaiting(StageRef(run: run, stage: 0))])
        scenario.pass(49)
        #expect(scenario.settle() == [])
        scenario.pass(1)
        #expect(scenario.settle().first == .timedWaitElapsed(TaskRef(run: run, stage: 0, phase: .after, task: 0)))
    }

    @Test func anApprovalGivenWhileStoppedIsAcceptedOnlyAfterResume() throws {
        var scenario = try Fixtures.seedFleet()
        try setState("Run", &scenario)
        scenario.settle()
        scenario.passToCanaryApproval()
        let request = ObjectKey(.clusterApprovalRequest, name: "example-run-canary")
        #expect(scenario.state.objects[request] != nil)
        try setState("Stop", &scenario)
        scenario.settle()
        try scenario.send(.updateStatus(request, Fixtures.approved))
        #expect(scenario.settle() == [])
        try setState("Run", &scenario)
        let events = scenario.settle()
        #expect(events.contains(.approvalAccepted(ApprovalAccepted(request: request, generation: 1))))
        #expect(events.last == .updateRunSucceeded(RunRef(run: run)))
    }

    @Test func refusedTransitionsWriteNothing() throws {
        var scenario = try Fixtures.seedFleet()
        try setState("Run", &scenario)
        #expect(throws: HubError.self) { try setState("Initialize", &scenario) }
        #expect(scenario.run()?.desiredState == .run)
    }
}

/// Stage shapes: before-stage approvals, concurrency, empty stages, and both after-stage tasks together.
struct StageShapeTests {
    let run = Fixtures.runKey

    func fleet(strategy stages: String, members: [(String, [String: String])]? = nil) throws -> Scenario {
        var scenario = Scenario()
        for member in members ?? SeedManifests.members.map({ ($0.name, $0.labels) }) {
            try scenario.apply(SeedManifests.memberCluster(member.0, labels: member.1))
        }
        try scenario.apply(SeedManifests.namespace)
        try scenario.apply(SeedManifests.configMap(value: "value1"))
        try scenario.apply(SeedManifests.placement)
        try scenario.apply("apiVersion: placement.kubernetes-fleet.io/v1beta1\nkind: ClusterStagedUpdateStrategy\nmetadata:\n  name: example-strategy\nspec:\n  stages:\n" + stages)
        scenario.settle()
        try scenario.apply(Fixtures.runManifest(index: "0"))
        return scenario
    }

    func cluster(_ stage: Int, _ name: String) -> ClusterRef { ClusterRef(run: run, stage: stage, cluster: name) }

    @Test func aBeforeStageApprovalGatesTheStage() throws {
        var scenario = try fleet(strategy: "  - name: all\n    labelSelector: {}\n    beforeStageTasks:\n    - type: Approval\n")
        let request = ObjectKey(.clusterApprovalRequest, name: "example-run-before-all")
        let events = scenario.settle()
        #expect(Array(events.dropFirst(1)) == [
            .objectCreated(ObjectCreated(key: request, uid: ObjectUID.make(for: request, after: scenario.state.lastSeq - 3), object: UpdateRunController.approvalRequestObject(request, run: run, stage: "all", phase: .before, planHash: scenario.run()!.planHash))),
            .approvalRequested(TaskRef(run: run, stage: 0, phase: .before, task: 0)),
            .stageWaiting(StageRef(run: run, stage: 0)),
        ])
        #expect(scenario.state.objects[request]?.labels["kubernetes-fleet.io/taskType"] == "beforeStage")
        #expect(scenario.run()?.status.conditions?[type: "Progressing"]?.message == "The updateRun is waiting for before-stage tasks in stage all to complete")
        try scenario.send(.updateStatus(request, Fixtures.approved))
        #expect(scenario.settle() == [
            .approvalAccepted(ApprovalAccepted(request: request, generation: 1)),
            .approvalTaskApproved(TaskRef(run: run, stage: 0, phase: .before, task: 0)),
            .clusterUpdateStarted(cluster(0, "member1")),
        ])
    }

    @Test func maxConcurrencyStartsSeveralClustersAndRefillsFreedSlots() throws {
        var scenario = try fleet(strategy: "  - name: all\n    labelSelector: {}\n    maxConcurrency: 2\n")
        let events = scenario.settle()
        #expect(Array(events.dropFirst(1)) == [.clusterUpdateStarted(cluster(0, "member1")), .clusterUpdateStarted(cluster(0, "member2"))])
        scenario.pass(15)
        scenario.memberApplied("member2", index: 0)
        #expect(scenario.settle() == [.clusterUpdateSucceeded(cluster(0, "member2")), .clusterUpdateStarted(cluster(0, "member3"))])
    }

    @Test func anEmptyStageIsSkippedWithItsTasks() throws {
        var scenario = try fleet(strategy: "  - name: none\n    labelSelector:\n      matchLabels:\n        environment: prod\n    afterStageTasks:\n    - type: Approval\n  - name: all\n    labelSelector: {}\n")
        let events = scenario.settle()
        #expect(Array(events.dropFirst(1).prefix(2)) == [.stageSkipped(StageRef(run: run, stage: 0)), .clusterUpdateStarted(cluster(1, "member1"))])
        let skipped = scenario.run()?.status.stagesStatus?[0].conditions ?? []
        #expect(skipped.map(\.reason) == ["StageUpdatingSkippedNoClusters", "StageUpdatingSkippedNoClusters"])
        #expect(scenario.state.objects.keys.contains { $0.kind == "ClusterApprovalRequest" } == false)
    }

    @Test func aNilSelectorSelectsNoClustersAndAnEmptyOneSelectsAll() throws {
        var scenario = try fleet(strategy: "  - name: none\n  - name: all\n    labelSelector: {}\n")
        scenario.settle()
        #expect(scenario.run()?.status.stagesStatus?.map { $0.clusters.map(\.clusterName) } == [[], ["member1", "member2", "member3"]])
    }

    @Test func aTimedWaitAndAnApprovalRunTogether() throws {
        var scenario = try fleet(
            strategy: "  - name: all\n    labelSelector: {}\n    maxConcurrency: \"100%\"\n    afterStageTasks:\n    - type: TimedWait\n      waitTime: 10m\n    - type: Approval\n")
        scenario.settle()
        scenario.pass(15)
        for member in ["member1", "member2", "member3"] { scenario.memberApplied(member, index: 0) }
        scenario.settle()
        let request = ObjectKey(.clusterApprovalRequest, name: "example-run-all")
        try scenario.send(.updateStatus(request, Fixtures.approved))
        let accepted = scenario.settle()
        #expect(accepted.contains(.approvalTaskApproved(TaskRef(run: run, stage: 0, phase: .after, task: 1))))
        #expect(!accepted.contains(.stageSucceeded(StageRef(run: run, stage: 0))))
        scenario.pass(600)
        #expect(scenario.settle() == [
            .timedWaitElapsed(TaskRef(run: run, stage: 0, phase: .after, task: 0)),
            .stageSucceeded(StageRef(run: run, stage: 0)),
            .updateRunSucceeded(RunRef(run: run)),
        ])
    }
}
