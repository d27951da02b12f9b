import FleetAPI
import Foundation
import Testing

@testable import Console

/// A run's JSON read into its view, and a JSON that is not a run's refused with the field and the rule.
@Suite struct RunViewTests {
    let t = SeedRun.time

    @Test func readsTheSeedRunWaitingForItsApproval() throws {
        let view = try RunView(run: SeedRun.waitingForApproval)
        #expect(view.state == .waiting)
        #expect(view.stages.map(\.name) == ["staging", "canary"])
        #expect(view.stages.map(\.state) == [.succeeded, .waiting])
        #expect(view.stages[1].clusters == [
            ClusterView(name: "member3", state: .succeeded, start: t("2025-07-22T21:29:23Z"), end: t("2025-07-22T21:29:38Z")),
            ClusterView(name: "member1", state: .succeeded, start: t("2025-07-22T21:29:38Z"), end: t("2025-07-22T21:29:53Z")),
        ])
        #expect(view.stages[0].after == [
            GateView(kind: .timedWait(GoDuration(milliseconds: 60_000)), opened: t("2025-07-22T21:28:23Z"), passed: t("2025-07-22T21:29:23Z"))
        ])
        #expect(view.stages[1].after == [
            GateView(kind: .approval(request: "example-run-canary"), opened: t("2025-07-22T21:29:53Z"), passed: nil)
        ])
        #expect(view.deletion == nil)
    }

    @Test func refusesAnotherKind() {
        var run = SeedRun.succeeded
        run["kind"] = "ConfigMap"
        #expect(throws: RunViewError(field: "kind", rule: "must be ClusterStagedUpdateRun or StagedUpdateRun, not \"ConfigMap\"")) {
            try RunView(run: run)
        }
    }

    @Test func refusesATimedWaitWithoutItsWaitTime() {
        var run = SeedRun.duringWait
        var stages = run[path: ["status", "stagedUpdateStrategySnapshot", "stages"]]!.arrayValue!
        stages[0]["afterStageTasks"] = [["type": "TimedWait"]]
        run[path: ["status", "stagedUpdateStrategySnapshot", "stages"]] = .array(stages)
        #expect(throws: RunViewError(
            field: "status.stagedUpdateStrategySnapshot.stages[0].afterStageTasks[0].waitTime",
            rule: "a TimedWait needs a wait time such as 1m, not \"\"")) { try RunView(run: run) }
    }

    @Test func refusesATimeThatIsNotRFC3339AndAClusterWithoutAName() {
        var run = SeedRun.succeeded
        var stages = run[path: ["status", "stagesStatus"]]!.arrayValue!
        stages[1]["startTime"] = "yesterday"
        run[path: ["status", "stagesStatus"]] = .array(stages)
        #expect(throws: RunViewError(field: "status.stagesStatus[1].startTime", rule: "must be an RFC 3339 time such as 2025-07-22T21:28:08Z")) {
            try RunView(run: run)
        }
        stages = SeedRun.succeeded[path: ["status", "stagesStatus"]]!.arrayValue!
        var clusters = stages[0]["clusters"]!.arrayValue!
        clusters[0]["clusterName"] = nil
        stages[0]["clusters"] = .array(clusters)
        run[path: ["status", "stagesStatus"]] = .array(stages)
        #expect(throws: RunViewError(field: "status.stagesStatus[0].clusters[0].clusterName", rule: "must be a non-empty string")) {
            try RunView(run: run)
        }
    }

    @Test func aFailedClusterFailsItsStageAndShowsWhy() throws {
        var run = SeedRun.waitingForApproval
        var stages = run[path: ["status", "stagesStatus"]]!.arrayValue!
        var clusters = stages[1]["clusters"]!.arrayValue!
        clusters[1][path: ["conditions"]] = [
            ["type": "Started", "status": "True", "reason": "ClusterUpdatingStarted", "lastTransitionTime": "2025-07-22T21:29:38Z"],
            ["type": "Succeeded", "status": "False", "reason": "ClusterUpdatingFailed", "message": "apply failed: quota", "lastTransitionTime": "2025-07-22T21:29:50Z"],
        ]
        stages[1]["clusters"] = .array(clusters)
        stages[1]["conditions"] = [
            ["type": "Succeeded", "status": "False", "reason": "StageUpdatingFailed", "lastTransitionTime": "2025-07-22T21:29:50Z"]
        ]
        run[path: ["status", "stagesStatus"]] = .array(stages)
        let view = try RunView(run: run)
        #expect(view.stages[1].state == .failed)
        #expect(view.stages[1].clusters[1] == ClusterView(
            name: "member1", state: .failed, start: t("2025-07-22T21:29:38Z"), end: t("2025-07-22T21:29:50Z"), message: "apply failed: quota"))
        // The approval gate never opened for the stage: its clusters did not all finish.
        #expect(view.stages[1].progress == (1, 3))
    }
}

/// A placement, the snapshot each of its clusters holds, and its runs.
@Suite struct PlacementViewTests {
    @Test func showsClustersAndRunsWithTheirProgress() throws {
        let placement: JSON = [
            "kind": "ClusterResourcePlacement", "metadata": ["name": "example-placement"],
            "status": [
                "observedResourceIndex": "1",
                "conditions": [
                    ["type": "ClusterResourcePlacementScheduled", "status": "True", "reason": "SchedulingPolicyFulfilled", "message": "found all cluster needed as specified by the scheduling policy", "lastTransitionTime": "2025-07-22T21:20:00Z"]
                ],
                "placementStatuses": [["clusterName": "member1", "observedResourceIndex": "1"], ["clusterName": "member2", "observedResourceIndex": "0"], ["clusterName": "member3"]],
            ],
        ]
        var other = SeedRun.duringWait
        other[path: ["metadata", "name"]] = "example-run-2"
        other[path: ["spec", "resourceSnapshotIndex"]] = "0"
        var unrelated = SeedRun.duringWait
        unrelated[path: ["spec", "placementName"]] = "another-placement"
        let view = try PlacementView(placement: placement, runs: [other, SeedRun.succeeded, unrelated])
        #expect(StatusLines.render(view, now: SeedRun.time("2025-07-22T21:28:40Z"), style: .plain) == [
            "ClusterResourcePlacement example-placement: latest resource snapshot 1",
            "conditions: ClusterResourcePlacementScheduled=True (SchedulingPolicyFulfilled): found all cluster needed as specified by the scheduling policy",
            "",
            "CLUSTER  STATE    SNAPSHOT",
            "member1  Current  1",
            "member2  Behind   0",
            "member3  Pending  -",
            "",
            "RUN            STATE      TOOK  PROGRESS",
            "example-run    Succeeded  2m3s  snapshot 1  [##########] 5/5",
            "example-run-2  Waiting    32s   snapshot 0  [##--------] 1/5",
        ])
    }

    @Test func refusesARunAsAPlacement() {
        #expect(throws: RunViewError(field: "kind", rule: "must be ClusterResourcePlacement or ResourcePlacement, not \"ClusterStagedUpdateRun\"")) {
            try PlacementView(placement: SeedRun.succeeded, runs: [])
        }
    }
}
