import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// Given a run's journal, which events are rollout events a sink is sent, with what body; and given a sink's
/// status, what each delivery outcome records.
struct NotificationTests {
    let sink = ObjectKey(.notificationSink, name: "chat")

    /// The seed run from start to success, approved at the canary stage: every event with its seq.
    func seedRunJournal() throws -> (Scenario, [Envelope]) {
        var scenario = try Fixtures.seedFleet()
        var journal: [Envelope] = []
        func record(_ scenario: Scenario, _ events: [FleetEvent]) {
            let first = scenario.state.lastSeq - Int64(events.count) + 1
            for (offset, event) in events.enumerated() {
                journal.append(Envelope(seq: first + Int64(offset), time: scenario.now, actor: "test", event: event))
            }
        }
        record(scenario, try scenario.apply(Fixtures.runManifest(index: "0")))
        record(scenario, scenario.settle())
        for (cluster, wait) in [("member2", 75.0), ("member3", 15), ("member1", 15)] {
            scenario.pass(15)
            scenario.memberApplied(cluster, index: 0)
            record(scenario, scenario.settle())
            scenario.pass(wait - 15)
            record(scenario, scenario.settle())
        }
        let request = ObjectKey(.clusterApprovalRequest, name: "example-run-canary")
        record(scenario, try scenario.send(.updateStatus(request, Fixtures.approved)))
        record(scenario, scenario.settle())
        return (scenario, journal)
    }

    @Test func aRunsJournalGivesItsStagesApprovalAndEnd() throws {
        let (scenario, journal) = try seedRunJournal()
        let sent = journal.compactMap { Notifications.classify($0, in: scenario.state) }
        #expect(sent.map { "\($0.event.rawValue) \($0.body["stage"]?.stringValue ?? "-")" } == [
            "StageStarted staging", "StageSucceeded staging", "StageStarted canary", "ApprovalPending canary",
            "StageSucceeded canary", "RunSucceeded -",
        ])
        #expect(Set(sent.map(\.seq)).count == sent.count)
        let pending = try #require(sent.first { $0.event == .approvalPending })
        let time = try #require(journal.first { $0.seq == pending.seq }).time
        #expect(pending.body == [
            "seq": .int(pending.seq), "time": .string(KubeTime.format(time)), "event": "ApprovalPending", "run": "example-run",
            "kind": "ClusterStagedUpdateRun", "stage": "canary", "phase": "after", "approvalRequest": "example-run-canary",
        ])
    }

    @Test func aFailedClusterAndAFailedRunCarryTheirMessages() throws {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(Fixtures.runManifest(index: "0"))
        scenario.settle()
        let run = Fixtures.runKey
        let failure = FleetEvent.clusterUpdateFailed(ClusterFailure(run: run, stage: 0, cluster: "member2", message: "boom"))
        let failed = FleetEvent.updateRunFailed(RunMessage(run: run, message: "cannot continue"))
        let time = scenario.now
        #expect(Notifications.classify(Envelope(seq: 90, time: time, actor: "test", event: failure), in: scenario.state)?.body == [
            "seq": 90, "time": .string(KubeTime.format(time)), "event": "ClusterFailed", "run": "example-run",
            "kind": "ClusterStagedUpdateRun", "stage": "staging", "cluster": "member2", "message": "boom",
        ])
        #expect(Notifications.classify(Envelope(seq: 91, time: time, actor: "test", event: failed), in: scenario.state)?.body == [
            "seq": 91, "time": .string(KubeTime.format(time)), "event": "RunFailed", "run": "example-run",
            "kind": "ClusterStagedUpdateRun", "message": "cannot continue",
        ])
        let other = FleetEvent.memberRemoved(MemberRemoved(cluster: "member2", placement: Fixtures.placementKey))
        #expect(Notifications.classify(Envelope(seq: 92, time: time, actor: "test", event: other), in: scenario.state) == nil)
    }

    @Test func eachOutcomeIsAStatusWriteOnTheSink() throws {
        let time = KubeTime.parse("2025-07-22T21:40:00Z")!
        let notification = RolloutNotification(seq: 42, event: .runSucceeded, body: ["seq": 42])
        #expect(NotificationDelivery.started(sink, at: 7) == .objectStatusUpdated(ObjectStatusUpdated(
            key: sink, status: ["position": 7, "deliveredCount": 0])))
        var status = NotificationSinkStatus(position: 7)
        let failed = NotificationDelivery.failed(sink, status, error: "refused", at: time)
        #expect(failed == .objectStatusUpdated(ObjectStatusUpdated(key: sink, status: [
            "position": 7, "deliveredCount": 0, "failedAttempts": 1, "lastError": "refused", "lastErrorTime": "2025-07-22T21:40:00Z",
        ])))
        status.failedAttempts = 1
        status.lastError = "refused"
        status.lastErrorTime = "2025-07-22T21:40:00Z"
        #expect(NotificationDelivery.delivered(sink, status, notification, at: time) == .objectStatusUpdated(ObjectStatusUpdated(
            key: sink, status: [
                "position": 42, "deliveredCount": 1, "lastDeliveredSeq": 42, "lastDeliveredTime": "2025-07-22T21:40:00Z",
                "lastError": "refused", "lastErrorTime": "2025-07-22T21:40:00Z",
            ])))
    }

    @Test func retriesBackOffExponentiallyToAMinute() {
        #expect((1...8).map { NotificationDelivery.backoff(afterFailures: $0) } == [1, 2, 4, 8, 16, 32, 60, 60])
    }
}
