import FleetAPI
import Foundation

/// The seed's `example-run` as `kubectl get csur example-run -o yaml` shows it, at three moments: during the
/// one-minute wait, waiting for the canary approval (the seed's own status, `SeedManifests.runStatus`), and
/// succeeded. The other two moments keep the seed's frozen strategy and deletion stage and change the stages.
enum SeedRun {
    static func time(_ text: String) -> Date { KubeTime.parse(text)! }

    static func condition(_ type: String, _ status: String, _ reason: String, _ message: String, _ time: String, indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        return """
            \(pad)- lastTransitionTime: "\(time)"
            \(pad)  message: \(message)
            \(pad)  observedGeneration: 1
            \(pad)  reason: \(reason)
            \(pad)  status: "\(status)"
            \(pad)  type: \(type)
            """
    }

    static func cluster(_ name: String, started: String?, succeeded: String?) -> String {
        var text = "    - clusterName: \(name)\n"
        guard let started else { return text }
        text += "      conditions:\n"
        text += condition("Started", "True", "ClusterUpdatingStarted", "Cluster update started", started, indent: 6) + "\n"
        if let succeeded {
            text += condition("Succeeded", "True", "ClusterUpdatingSucceeded", "Cluster update completed successfully", succeeded, indent: 6) + "\n"
        }
        return text
    }

    /// The seed's run manifest with this status, and the seed's strategy snapshot and deletion stage in it.
    static func run(_ status: String) -> JSON {
        var run = try! YAML.parse(SeedManifests.run)
        var json = try! YAML.parse(status)
        let seed = try! YAML.parse(SeedManifests.runStatus)
        for key in ["deletionStageStatus", "policyObservedClusterCount", "policySnapshotIndexUsed", "stagedUpdateStrategySnapshot"] {
            json[key] = seed[key]
        }
        run["status"] = json
        return run
    }

    /// 21:28:40: member2 is done, the minute's wait started at 21:28:23 and has 43 s to go.
    static let duringWait = run("""
          conditions:
        \(condition("Initialized", "True", "UpdateRunInitializedSuccessfully", "ClusterStagedUpdateRun initialized successfully", "2025-07-22T21:28:08Z", indent: 2))
        \(condition("Progressing", "False", "UpdateRunWaiting", "The updateRun is waiting for after-stage tasks in stage staging to complete", "2025-07-22T21:28:23Z", indent: 2))
          stagesStatus:
          - afterStageTaskStatus:
            - type: TimedWait
            clusters:
        \(cluster("member2", started: "2025-07-22T21:28:08Z", succeeded: "2025-07-22T21:28:23Z"))    conditions:
        \(condition("Progressing", "False", "StageUpdatingWaiting", "All clusters in the stage are updated, waiting for after-stage tasks to complete", "2025-07-22T21:28:23Z", indent: 4))
            stageName: staging
            startTime: "2025-07-22T21:28:08Z"
          - afterStageTaskStatus:
            - type: Approval
            clusters:
        \(cluster("member3", started: nil, succeeded: nil))\(cluster("member1", started: nil, succeeded: nil))    stageName: canary
        """)

    /// The seed's own status after the wait: canary's clusters are done and its approval is requested.
    static let waitingForApproval = run(SeedManifests.runStatus)

    /// Approved at 21:30:10 and accepted at once; the run succeeded at 21:30:11.
    static let succeeded = run(succeededStages + """
          conditions:
        \(condition("Initialized", "True", "UpdateRunInitializedSuccessfully", "ClusterStagedUpdateRun initialized successfully", "2025-07-22T21:28:08Z", indent: 2))
        \(condition("Progressing", "False", "UpdateRunSucceeded", "ClusterStagedUpdateRun completed successfully", "2025-07-22T21:30:11Z", indent: 2))
        \(condition("Succeeded", "True", "UpdateRunSucceeded", "ClusterStagedUpdateRun completed successfully", "2025-07-22T21:30:11Z", indent: 2))
        """)

    static var succeededStages: String {
        let canaryConditions =
            condition("Progressing", "False", "StageUpdatingSucceeded", "All clusters in the stage are updated and after-stage tasks are completed", "2025-07-22T21:29:53Z", indent: 4) + "\n"
            + condition("Succeeded", "True", "StageUpdatingSucceeded", "Stage update completed successfully", "2025-07-22T21:30:11Z", indent: 4)
        let approvalConditions =
            condition("ApprovalRequestCreated", "True", "AfterStageTaskApprovalRequestCreated", "ClusterApprovalRequest is created", "2025-07-22T21:29:53Z", indent: 6) + "\n"
            + condition("ApprovalRequestApproved", "True", "AfterStageTaskApprovalRequestApproved", "ClusterApprovalRequest is approved", "2025-07-22T21:30:11Z", indent: 6)
        return """
              stagesStatus:
              - afterStageTaskStatus:
                - conditions:
            \(condition("WaitTimeElapsed", "True", "AfterStageTaskWaitTimeElapsed", "Wait time elapsed", "2025-07-22T21:29:23Z", indent: 6))
                  type: TimedWait
                clusters:
            \(cluster("member2", started: "2025-07-22T21:28:08Z", succeeded: "2025-07-22T21:28:23Z"))    conditions:
            \(condition("Progressing", "False", "StageUpdatingSucceeded", "All clusters in the stage are updated and after-stage tasks are completed", "2025-07-22T21:28:23Z", indent: 4))
            \(condition("Succeeded", "True", "StageUpdatingSucceeded", "Stage update completed successfully", "2025-07-22T21:29:23Z", indent: 4))
                endTime: "2025-07-22T21:29:23Z"
                stageName: staging
                startTime: "2025-07-22T21:28:08Z"
              - afterStageTaskStatus:
                - approvalRequestName: example-run-canary
                  conditions:
            \(approvalConditions)
                  type: Approval
                clusters:
            \(cluster("member3", started: "2025-07-22T21:29:23Z", succeeded: "2025-07-22T21:29:38Z"))\(cluster("member1", started: "2025-07-22T21:29:38Z", succeeded: "2025-07-22T21:29:53Z"))    conditions:
            \(canaryConditions)
                endTime: "2025-07-22T21:30:11Z"
                stageName: canary
                startTime: "2025-07-22T21:29:23Z"

            """
    }
}
