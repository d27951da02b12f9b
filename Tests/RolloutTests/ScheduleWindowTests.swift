import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// Flotilla's `ScheduleWindow` before-stage task: given a run created at 21:25 UTC on a Tuesday whose first stage
/// (member2) has a window, when time passes, then exactly these events and these conditions.
struct ScheduleWindowTests {
    let run = Fixtures.runKey

    /// The seed's fleet with the staging stage gated by `window` (a flow mapping) and then the canary stage, and the
    /// run created.
    func created(_ window: String, approval: Bool = false) throws -> (Scenario, [FleetEvent]) {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply("""
            apiVersion: placement.kubernetes-fleet.io/v1beta1
            kind: ClusterStagedUpdateStrategy
            metadata:
              name: example-strategy
            spec:
              stages:
                - name: staging
                  labelSelector:
                    matchLabels:
                      environment: staging
                  beforeStageTasks:
                    - type: ScheduleWindow
                      scheduleWindow: \(window)
            """ + (approval ? "\n        - type: Approval" : "") + """

                - name: canary
                  labelSelector:
                    matchLabels:
                      environment: canary
            """)
        try scenario.apply(Fixtures.runManifest(index: "0"))
        let events = scenario.settle()
        return (scenario, Array(events.dropFirst()))
    }

    func gate(until: String?, task: Int = 0) -> ScheduleWindowGate {
        ScheduleWindowGate(run: run, stage: 0, task: task, until: until)
    }

    func at(_ text: String) -> Date { KubeTime.parse(text)! }

    func progressing(_ scenario: Scenario) -> String? {
        scenario.run()?.status.conditions?[type: "Progressing"].map { "\($0.status.rawValue)/\($0.reason): \($0.message)" }
    }

    func windowOpen(_ scenario: Scenario, task: Int = 0) -> String? {
        scenario.run()?.status.stagesStatus?[0].beforeStageTaskStatus?[task].conditions?[type: "WindowOpen"].map {
            "\($0.status.rawValue)/\($0.reason): \($0.message)"
        }
    }

    @Test func anAllowWindowHoldsTheStageUntilItOpensThenStartsIt() throws {
        var (scenario, events) = try created("{schedule: \"0 22 * * *\", duration: 1h}")
        #expect(events == [.scheduleWindowClosed(gate(until: "2025-07-22T22:00:00Z"))])
        #expect(progressing(scenario) == "False/UpdateRunWaiting: The updateRun is waiting for the schedule window of stage staging, which opens at 2025-07-22T22:00:00Z")
        #expect(windowOpen(scenario) == "False/OutsideScheduleWindow: The stage waits for its schedule window `0 22 * * *` (1h0m0s, UTC), which opens at 2025-07-22T22:00:00Z")
        #expect(UpdateRunController.nextDeadline(scenario.run()!, now: scenario.now) == at("2025-07-22T22:00:00Z"))
        scenario.now = at("2025-07-22T21:59:59Z")
        #expect(scenario.settle() == [])
        scenario.now = at("2025-07-22T22:00:00Z")
        #expect(
            scenario.settle() == [
                .scheduleWindowOpened(gate(until: "2025-07-22T23:00:00Z")),
                .clusterUpdateStarted(ClusterRef(run: run, stage: 0, cluster: "member2")),
            ])
        #expect(windowOpen(scenario) == "True/InsideScheduleWindow: The stage may start: its schedule window `0 22 * * *` (1h0m0s, UTC) is open until 2025-07-22T23:00:00Z")
        #expect(progressing(scenario) == "True/UpdateRunProgressing: The update run is making progress")
    }

    @Test func aDenyWindowHoldsTheStageUntilItCloses() throws {
        var (scenario, events) = try created("{schedule: \"0 21 * * 1-5\", duration: 1h, deny: true}")
        #expect(events == [.scheduleWindowClosed(gate(until: "2025-07-22T22:00:00Z"))])
        #expect(progressing(scenario) == "False/UpdateRunWaiting: The updateRun is waiting for the deny window of stage staging to close at 2025-07-22T22:00:00Z")
        scenario.now = at("2025-07-22T22:00:00Z")
        #expect(
            scenario.settle() == [
                .scheduleWindowOpened(gate(until: "2025-07-23T21:00:00Z")),
                .clusterUpdateStarted(ClusterRef(run: run, stage: 0, cluster: "member2")),
            ])
    }

    @Test func aWindowInAnotherTimeZoneOpensAtItsLocalTime() throws {
        let (scenario, events) = try created("{schedule: \"0 9 * * *\", duration: 30m, timeZone: Asia/Tokyo}")
        #expect(events == [.scheduleWindowClosed(gate(until: "2025-07-23T00:00:00Z"))])
        #expect(windowOpen(scenario) == "False/OutsideScheduleWindow: The stage waits for its schedule window `0 9 * * *` (30m0s, Asia/Tokyo), which opens at 2025-07-23T00:00:00Z")
    }

    @Test func aWindowThatClosesBeforeTheApprovalHoldsTheStageAgain() throws {
        var (scenario, _) = try created("{schedule: \"0 22 * * *\", duration: 1h}", approval: true)
        scenario.now = at("2025-07-22T22:00:00Z")
        #expect(scenario.settle() == [.scheduleWindowOpened(gate(until: "2025-07-22T23:00:00Z"))])
        #expect(progressing(scenario) == "False/UpdateRunWaiting: The updateRun is waiting for before-stage tasks in stage staging to complete")
        #expect(UpdateRunController.nextDeadline(scenario.run()!, now: scenario.now) == at("2025-07-22T23:00:00Z"))
        scenario.now = at("2025-07-22T23:00:00Z")
        #expect(scenario.settle() == [.scheduleWindowClosed(gate(until: "2025-07-23T22:00:00Z"))])
        let request = ObjectKey(.clusterApprovalRequest, name: "example-run-before-staging")
        try scenario.send(.updateStatus(request, Fixtures.approved))
        #expect(
            scenario.settle() == [
                .approvalAccepted(ApprovalAccepted(request: request, generation: 1)),
                .approvalTaskApproved(TaskRef(run: run, stage: 0, phase: .before, task: 1)),
            ])
        scenario.now = at("2025-07-23T22:00:00Z")
        #expect(
            scenario.settle() == [
                .scheduleWindowOpened(gate(until: "2025-07-23T23:00:00Z")),
                .clusterUpdateStarted(ClusterRef(run: run, stage: 0, cluster: "member2")),
            ])
    }
}
