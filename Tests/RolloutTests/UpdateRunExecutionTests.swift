import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// Given a started run, when members report or time passes, then exactly these events.
struct UpdateRunExecutionTests {
    let run = Fixtures.runKey

    func started() throws -> Scenario {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(Fixtures.runManifest(index: "0"))
        scenario.settle()
        return scenario
    }

    func cluster(_ stage: Int, _ name: String) -> ClusterRef { ClusterRef(run: run, stage: stage, cluster: name) }

    @Test func startsTheFirstStageAtOnce() throws {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(Fixtures.runManifest(index: "0"))
        let events = scenario.settle()
        #expect(events.count == 2)
        #expect(events.last == .clusterUpdateStarted(cluster(0, "member2")))
    }

    @Test func waitsForTheMemberAndThenTheTimedWait() throws {
        var scenario = try started()
        scenario.pass(15)
        #expect(scenario.settle() == [])
        scenario.memberApplied("member2", index: 0)
        #expect(scenario.settle() == [.clusterUpdateSucceeded(cluster(0, "member2")), .stageWaiting(StageRef(run: run, stage: 0))])
        scenario.pass(59)
        #expect(scenario.settle() == [])
        #expect(UpdateRunController.nextDeadline(scenario.run()!, now: scenario.now) == scenario.now.addingTimeInterval(1))
        scenario.pass(1)
        #expect(
            scenario.settle() == [
                .timedWaitElapsed(TaskRef(run: run, stage: 0, phase: .after, task: 0)),
                .stageSucceeded(StageRef(run: run, stage: 0)),
                .clusterUpdateStarted(cluster(1, "member3")),
            ])
    }

    func atCanaryApproval() throws -> Scenario {
        var scenario = try started()
        scenario.pass(15)
        scenario.memberApplied("member2", index: 0)
        scenario.settle()
        scenario.pass(60)
        scenario.settle()
        scenario.pass(15)
        scenario.memberApplied("member3", index: 0)
        #expect(scenario.settle() == [.clusterUpdateSucceeded(cluster(1, "member3")), .clusterUpdateStarted(cluster(1, "member1"))])
        scenario.pass(15)
        scenario.memberApplied("member1", index: 0)
        return scenario
    }

    @Test func requestsApprovalWhenTheCanaryStageIsDone() throws {
        var scenario = try atCanaryApproval()
        let request = ObjectKey(.clusterApprovalRequest, name: "example-run-canary")
        let events = scenario.settle()
        #expect(
            events == [
                .clusterUpdateSucceeded(cluster(1, "member1")),
                .stageWaiting(StageRef(run: run, stage: 1)),
                .objectCreated(
                    ObjectCreated(
                        key: request, uid: ObjectUID.make(for: request, after: scenario.state.lastSeq - 2),
                        object: UpdateRunController.approvalRequestObject(request, run: run, stage: "canary", phase: .after, planHash: scenario.run()!.planHash))),
                .approvalRequested(TaskRef(run: run, stage: 1, phase: .after, task: 0)),
            ])
        #expect(
            scenario.state.objects[request]?.labels == [
                "kubernetes-fleet.io/targetUpdatingStage": "canary", "kubernetes-fleet.io/targetUpdateRun": "example-run",
                "kubernetes-fleet.io/taskType": "afterStage", "kubernetes-fleet.io/isLatestUpdateRunApproval": "true",
            ])
    }

    func approval(generation: Int64) -> JSON {
        [
            "conditions": [
                [
                    "lastTransitionTime": "2025-07-22T21:33:00Z", "message": "lgtm", "observedGeneration": .int(generation),
                    "reason": "testPassed", "status": "True", "type": "Approved",
                ]
            ]
        ]
    }

    @Test func acceptsAnApprovalAtTheRequestsGenerationAndSucceeds() throws {
        var scenario = try atCanaryApproval()
        scenario.settle()
        let request = ObjectKey(.clusterApprovalRequest, name: "example-run-canary")
        try scenario.send(.updateStatus(request, approval(generation: 2)))
        #expect(scenario.settle() == [])
        try scenario.send(.updateStatus(request, approval(generation: 1)))
        #expect(
            scenario.settle() == [
                .approvalAccepted(ApprovalAccepted(request: request, generation: 1)),
                .approvalTaskApproved(TaskRef(run: run, stage: 1, phase: .after, task: 0)),
                .stageSucceeded(StageRef(run: run, stage: 1)),
                .updateRunSucceeded(RunRef(run: run)),
            ])
        let status = try #require(scenario.state.render(request)?["status"]).decode(ApprovalRequestStatus.self)
        #expect(status.conditions?.map(\.type) == ["Approved", "ApprovalAccepted"])
        #expect(scenario.run()?.renderedStatus.conditions?.map { "\($0.type)=\($0.status.rawValue)/\($0.reason)" } == [
            "Initialized=True/UpdateRunInitializedSuccessfully", "Progressing=False/UpdateRunSucceeded", "Succeeded=True/UpdateRunSucceeded",
        ])
    }

    @Test func aFailingMemberMakesTheRunStuckAfterFiveMinutesAndRecovers() throws {
        var scenario = try started()
        scenario.pass(15)
        let failure = MemberApplyFailed(cluster: "member2", placement: Fixtures.placementKey, resourceIndex: 0, message: "apply failed")
        scenario.fold(.memberApplyFailed(failure))
        #expect(scenario.settle() == [])
        scenario.pass(284)
        #expect(scenario.settle() == [])
        scenario.pass(1)
        #expect(scenario.settle() == [.updateRunStuck(RunStuck(run: run, stage: 0, clusters: ["member2"]))])
        #expect(scenario.settle() == [])
        let progressing = scenario.run()?.status.conditions?[type: "Progressing"]
        #expect(progressing?.reason == "UpdateRunStuck")
        #expect(
            progressing?.message
                == "The updateRun is stuck waiting for member2 cluster(s) in stage staging to finish updating, please check placement status for potential errors")
        scenario.memberApplied("member2", index: 0)
        #expect(scenario.settle() == [.clusterUpdateSucceeded(cluster(0, "member2")), .stageWaiting(StageRef(run: run, stage: 0))])
    }

    @Test func aRunInInitializeStateWaits() throws {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(Fixtures.runManifest(index: "0") + "\n  state: Initialize")
        let events = scenario.settle()
        #expect(events.count == 1)
        #expect(scenario.run()?.isInitialized == true)
    }

    @Test func deletingThePlacementFailsTheRun() throws {
        var scenario = try started()
        try scenario.send(.delete(Fixtures.placementKey))
        #expect(
            scenario.settle() == [
                .updateRunFailed(
                    RunMessage(
                        run: run,
                        message: "cannot continue the updateRun: failed to validate the updateRun: failed to process the request due to a client error: parent placement not found"))
            ])
        let stage = scenario.run()?.status.stagesStatus?[0].conditions?[type: "Succeeded"]
        #expect(stage?.reason == "StageUpdatingFailed")
    }

    @Test func maxConcurrencyRoundsDownWithAFloorOfOne() {
        #expect(UpdateRunController.maxConcurrency(nil, clusters: 5) == 1)
        #expect(UpdateRunController.maxConcurrency(.int(3), clusters: 2) == 3)
        #expect(UpdateRunController.maxConcurrency(.string("50%"), clusters: 5) == 2)
        #expect(UpdateRunController.maxConcurrency(.string("33%"), clusters: 3) == 1)
        #expect(UpdateRunController.maxConcurrency(.string("1%"), clusters: 1) == 1)
        #expect(UpdateRunController.maxConcurrency(.string("25%"), clusters: 7) == 1)
        #expect(UpdateRunController.maxConcurrency(.string("100%"), clusters: 7) == 7)
    }
}
