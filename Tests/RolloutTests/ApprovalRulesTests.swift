import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// Given a run at its canary approval, when a user approves, rejects or nobody does, then exactly these events:
/// the plan hash on the request, rejection, `flotilla.dev/approval-timeout` and `flotilla.dev/four-eyes`.
struct ApprovalRulesTests {
    let run = Fixtures.runKey
    let request = ObjectKey(.clusterApprovalRequest, name: "example-run-canary")

    /// The seed's run with `annotations`, created by the scenario's actor `test`, settled at its canary approval.
    func atCanaryApproval(_ annotations: [String: String] = [:]) throws -> Scenario {
        var scenario = try Fixtures.seedFleet()
        var manifest = try YAML.parse(Fixtures.runManifest(index: "0"))
        manifest[path: ["metadata", "annotations"]] = .object(annotations.mapValues(JSON.string))
        try scenario.send(.apply(manifest))
        scenario.settle()
        scenario.passToCanaryApproval()
        scenario.settle()
        return scenario
    }

    func decision(_ approved: Bool, message: String, generation: Int64 = 1) -> JSON {
        [
            "conditions": [
                [
                    "type": "Approved", "status": approved ? "True" : "False", "reason": approved ? "Approved" : "Rejected",
                    "message": .string(message), "observedGeneration": .int(generation),
                    "lastTransitionTime": "2025-07-22T21:40:00Z",
                ]
            ]
        ]
    }

    @Test func theRequestCarriesTheHashOfTheFrozenPlan() throws {
        let scenario = try atCanaryApproval()
        let hash = try #require(scenario.run()?.planHash)
        #expect(scenario.state.objects[request]?.annotations == [FleetLabel.planHash: hash])
        #expect(hash.hasPrefix("sha256:") && hash.count == 71)
        var other = try #require(scenario.run())
        other.resourceSnapshotIndex = 1
        #expect(other.planHash != hash)
    }

    @Test func anApprovalIsRecordedWithTheApproverAndThePlan() throws {
        var scenario = try atCanaryApproval()
        let hash = scenario.run()!.planHash
        let events = try scenario.review(.updateStatus(request, decision(true, message: "lgtm")), by: "alice")
        #expect(events.last == .approvalDecided(ApprovalDecision(
            request: request, run: run, approved: true, approver: "alice", planHash: hash, message: "lgtm")))
        #expect(scenario.settle() == [
            .approvalAccepted(ApprovalAccepted(request: request, generation: 1)),
            .approvalTaskApproved(TaskRef(run: run, stage: 1, phase: .after, task: 0)),
            .stageSucceeded(StageRef(run: run, stage: 1)),
            .updateRunSucceeded(RunRef(run: run)),
        ])
    }

    @Test func aRejectionFailsTheRunWithTheApproversMessage() throws {
        var scenario = try atCanaryApproval()
        let events = try scenario.review(.updateStatus(request, decision(false, message: "error budget spent")), by: "bob")
        #expect(events.last == .approvalDecided(ApprovalDecision(
            request: request, run: run, approved: false, approver: "bob", planHash: scenario.run()!.planHash,
            message: "error budget spent")))
        #expect(scenario.settle() == [
            .updateRunFailed(RunMessage(
                run: run,
                message: "cannot continue the updateRun: the approval request `example-run-canary` was rejected by bob: error budget spent")),
        ])
    }

    @Test func aRejectionAtAnOlderGenerationIsNotOne() throws {
        var scenario = try atCanaryApproval()
        let events = try scenario.review(.updateStatus(request, decision(false, message: "stale", generation: 2)), by: "bob")
        #expect(events.count == 1)
        #expect(scenario.settle() == [])
    }

    @Test func fourEyesRefusesTheRunsCreatorAndRecordsNothing() throws {
        var scenario = try atCanaryApproval([FleetLabel.fourEyes: "true"])
        let before = scenario.state
        #expect(throws: HubError.forbidden(
            kind: "clusterapprovalrequests", name: "example-run-canary",
            message: "flotilla.dev/four-eyes: test created the run \"example-run\" and may not approve it; another user must approve"
        )) {
            try scenario.review(.updateStatus(request, decision(true, message: "self-approved")), by: "test")
        }
        #expect(throws: HubError.self) {
            try scenario.review(.updateStatus(request, decision(true, message: "via someone else")), by: "test (as carol)")
        }
        #expect(scenario.state == before)
        try scenario.review(.updateStatus(request, decision(true, message: "lgtm")), by: "alice")
        #expect(scenario.settle().last == .updateRunSucceeded(RunRef(run: run)))
    }

    @Test func fourEyesLetsTheCreatorReject() throws {
        var scenario = try atCanaryApproval([FleetLabel.fourEyes: "true"])
        try scenario.review(.updateStatus(request, decision(false, message: "not yet")), by: "test")
        #expect(scenario.settle().count == 1)
    }

    @Test func anApprovalTimeoutFailsTheRunAtTheRecordedDeadline() throws {
        var scenario = try atCanaryApproval([FleetLabel.approvalTimeout: "10m"])
        let created = try #require(scenario.run()?.stages[1].afterStageTaskStatus?[0].conditions?[type: "ApprovalRequestCreated"])
        let deadline = created.lastTransitionTime.addingTimeInterval(600)
        #expect(UpdateRunController.nextDeadline(scenario.run()!, now: scenario.now) == deadline)
        scenario.now = deadline.addingTimeInterval(-1)
        #expect(scenario.settle() == [])
        scenario.now = deadline
        #expect(scenario.settle() == [
            .updateRunFailed(RunMessage(
                run: run,
                message: "cannot continue the updateRun: the approval request `example-run-canary` was not approved within "
                    + "the approval timeout of 10m0s (flotilla.dev/approval-timeout)")),
        ])
    }

    @Test func anApprovedRequestNeverTimesOut() throws {
        var scenario = try atCanaryApproval([FleetLabel.approvalTimeout: "10m"])
        try scenario.review(.updateStatus(request, decision(true, message: "lgtm")), by: "alice")
        #expect(scenario.settle().last == .updateRunSucceeded(RunRef(run: run)))
    }

    @Test func actorsNameTheirUsers() {
        #expect(ApprovalPolicy.users(of: "alice") == ["alice"])
        #expect(ApprovalPolicy.users(of: "alice (as bob)") == ["alice", "bob"])
        #expect(ApprovalPolicy.users(of: "system:anonymous (as bob)") == ["bob"])
    }
}

extension Scenario {
    /// A user's write as the hub decides it, approval rules included: the events recorded, or the refusal.
    @discardableResult
    mutating func review(_ command: ObjectCommand, by actor: String) throws -> [FleetEvent] {
        let events = try ApprovalPolicy.review(ObjectDecider.decide(command, state), by: actor, in: state)
        for event in events { state.evolve(Envelope(seq: state.lastSeq + 1, time: now, actor: actor, event: event)) }
        return events
    }
}
