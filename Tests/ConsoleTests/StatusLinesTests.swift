import FleetAPI
import Foundation
import Testing

@testable import Console

/// Given a run's status, then these lines: the seed's run during its wait, blocked on its approval, and done.
@Suite struct StatusLinesTests {
    let t = SeedRun.time

    @Test func duringTheWaitCountsDownToItsDeadline() throws {
        let view = try RunView(run: SeedRun.duringWait)
        #expect(StatusLines.render(view, now: t("2025-07-22T21:28:40Z"), style: .plain) == [
            "ClusterStagedUpdateRun example-run: Waiting",
            "placement example-placement, resource snapshot 1, policy snapshot 0, started 2025-07-22T21:28:08Z, 32s ago",
            "conditions: Initialized=True (UpdateRunInitializedSuccessfully), Progressing=False (UpdateRunWaiting): The updateRun is waiting for after-stage tasks in stage staging to complete",
            "",
            "STAGE               STATE      TOOK  PROGRESS",
            "staging             Waiting    32s   [#####-----] 1/2",
            "  member2           Succeeded  15s",
            "  after: wait 1m0s  Waiting    17s   43s left, until 2025-07-22T21:29:23Z",
            "canary              Pending          [----------] 0/3",
            "  member3           Pending",
            "  member1           Pending",
            "  after: approval   Pending",
        ])
    }

    @Test func aMetricGateShowsItsLatestMeasurementWhileItHolds() throws {
        var run = SeedRun.duringWait
        var planned = run[path: ["status", "stagedUpdateStrategySnapshot", "stages"]]!.arrayValue!
        planned[0]["afterStageTasks"] = [["type": "MetricGate", "metricGate": ["address": "http://p:9090", "query": "up", "successCondition": "result >= 0.99"]]]
        run[path: ["status", "stagedUpdateStrategySnapshot", "stages"]] = .array(planned)
        var stages = run[path: ["status", "stagesStatus"]]!.arrayValue!
        stages[0]["afterStageTaskStatus"] = [[
            "type": "MetricGate",
            "conditions": [[
                "type": "MetricGatePassed", "status": "Unknown", "reason": "MetricGateMeasuring",
                "message": "Measurement 1 of 3: result 0.995 meets result >= 0.99", "lastTransitionTime": "2025-07-22T21:28:23Z",
            ]],
        ]]
        run[path: ["status", "stagesStatus"]] = .array(stages)
        let lines = StatusLines.render(try RunView(run: run), now: t("2025-07-22T21:28:40Z"), style: .plain)
        #expect(lines[7] == "  after: MetricGate  Waiting    17s   Measurement 1 of 3: result 0.995 meets result >= 0.99")
    }

    @Test func aBlockingApprovalShowsTheCommandsThatGrantIt() throws {
        let view = try RunView(run: SeedRun.waitingForApproval)
        #expect(StatusLines.render(view, now: t("2025-07-22T21:30:20Z"), style: .plain) == [
            "ClusterStagedUpdateRun example-run: Waiting",
            "placement example-placement, resource snapshot 1, policy snapshot 0, started 2025-07-22T21:28:08Z, 2m12s ago",
            "conditions: Initialized=True (UpdateRunInitializedSuccessfully), Progressing=False (UpdateRunWaiting): The updateRun is waiting for after-stage tasks in stage canary to complete",
            "",
            "STAGE                                 STATE      TOOK   PROGRESS",
            "staging                               Succeeded  1m15s  [##########] 2/2",
            "  member2                             Succeeded  15s",
            "  after: wait 1m0s                    Elapsed    1m0s",
            "canary                                Waiting    57s    [######----] 2/3",
            "  member3                             Succeeded  15s",
            "  member1                             Succeeded  15s",
            "  after: approval example-run-canary  Waiting    27s",
            "",
            "Waiting for approval example-run-canary (stage canary), requested 27s ago. Grant it with:",
            "  flotilla approve clusterapprovalrequest --name example-run-canary",
            "  kubectl patch clusterapprovalrequests example-run-canary --type='merge' --subresource=status --patch-file approval.json",
        ])
    }

    @Test func asAKubectlPluginTheHintSaysKubectlFlotilla() throws {
        let view = try RunView(run: SeedRun.waitingForApproval)
        let lines = StatusLines.render(view, now: t("2025-07-22T21:30:20Z"), style: .plain, command: "kubectl flotilla")
        #expect(lines.suffix(2) == [
            "  kubectl flotilla approve clusterapprovalrequest --name example-run-canary",
            "  kubectl patch clusterapprovalrequests example-run-canary --type='merge' --subresource=status --patch-file approval.json",
        ])
    }

    @Test func aNamespacedRunNamesItsNamespaceInTheHint() throws {
        var run = SeedRun.waitingForApproval
        run["kind"] = "StagedUpdateRun"
        run[path: ["metadata", "namespace"]] = "team-a"
        let lines = StatusLines.render(try RunView(run: run), now: t("2025-07-22T21:30:20Z"), style: .plain)
        #expect(lines[0] == "StagedUpdateRun team-a/example-run: Waiting")
        #expect(lines.suffix(2) == [
            "  flotilla approve approvalrequest --name example-run-canary -n team-a",
            "  kubectl patch approvalrequests example-run-canary -n team-a --type='merge' --subresource=status --patch-file approval.json",
        ])
    }

    @Test func aFinishedRunShowsWhoApprovedAndHowLongItTook() throws {
        let approvals = ["example-run-canary": Approval(by: "alice", at: t("2025-07-22T21:30:10Z"), message: "lgtm")]
        let view = try RunView(run: SeedRun.succeeded, approvals: approvals)
        #expect(view.state == .succeeded)
        #expect(StatusLines.render(view, now: t("2025-07-22T22:00:00Z"), style: .plain) == [
            "ClusterStagedUpdateRun example-run: Succeeded",
            "placement example-placement, resource snapshot 1, policy snapshot 0, started 2025-07-22T21:28:08Z, took 2m3s",
            "conditions: Initialized=True (UpdateRunInitializedSuccessfully), Progressing=False (UpdateRunSucceeded), Succeeded=True (UpdateRunSucceeded): ClusterStagedUpdateRun completed successfully",
            "",
            "STAGE                                 STATE      TOOK   PROGRESS",
            "staging                               Succeeded  1m15s  [##########] 2/2",
            "  member2                             Succeeded  15s",
            "  after: wait 1m0s                    Elapsed    1m0s",
            "canary                                Succeeded  48s    [##########] 3/3",
            "  member3                             Succeeded  15s",
            "  member1                             Succeeded  15s",
            "  after: approval example-run-canary  Approved   18s    by alice at 2025-07-22T21:30:10Z: \"lgtm\"",
        ])
    }

    @Test func aTerminalGetsTheSameLinesWithColouredStatesOnly() throws {
        let view = try RunView(run: SeedRun.waitingForApproval)
        let now = t("2025-07-22T21:30:20Z")
        let terminal = StatusLines.render(view, now: now, style: .terminal)
        let plain = StatusLines.render(view, now: now, style: .plain)
        let sgr = try Regex("\u{1B}\\[[0-9;]*m")
        #expect(terminal.map { $0.replacing(sgr, with: "") } == plain)
        #expect(terminal[0] == "ClusterStagedUpdateRun example-run: \u{1B}[33mWaiting\u{1B}[0m")
        #expect(terminal[5] == "\u{1B}[1mstaging                             \u{1B}[0m  \u{1B}[32mSucceeded\u{1B}[0m  1m15s  [##########] 2/2")
        #expect(plain.allSatisfy { !$0.contains("\u{1B}") })
    }
}
