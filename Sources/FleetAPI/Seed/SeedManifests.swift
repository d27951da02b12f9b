/// The seed tutorial's manifests, verbatim, plus the three members it assumes: what the demo plays and the
/// tests of every layer check against.
public enum SeedManifests {
    public static let members: [(name: String, labels: [String: String])] = [
        ("member1", ["environment": "canary", "order": "2"]),
        ("member2", ["environment": "staging"]),
        ("member3", ["environment": "canary", "order": "1"]),
    ]

    public static func memberCluster(_ name: String, labels: [String: String]) -> String {
        let labelLines = labels.keys.sorted().map { "    \($0): \"\(labels[$0]!)\"" }.joined(separator: "\n")
        return """
            apiVersion: cluster.kubernetes-fleet.io/v1beta1
            kind: MemberCluster
            metadata:
              name: \(name)
              labels:
            \(labelLines)
            spec:
              identity:
                kind: ServiceAccount
                name: fleet-member-agent-\(name)
                namespace: fleet-system
              heartbeatPeriodSeconds: 60
            """
    }

    public static let placement = """
        apiVersion: placement.kubernetes-fleet.io/v1beta1
        kind: ClusterResourcePlacement
        metadata:
          name: example-placement
        spec:
          resourceSelectors:
            - group: ""
              kind: Namespace
              name: test-namespace
              version: v1
          policy:
            placementType: PickAll
          strategy:
            type: External
        """

    public static let strategy = """
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
              afterStageTasks:
                - type: TimedWait
                  waitTime: 1m
            - name: canary
              labelSelector:
                matchLabels:
                  environment: canary
              sortingLabelKey: order
              afterStageTasks:
                - type: Approval
        """

    public static let run = updateRun(name: "example-run", resourceSnapshotIndex: "1")
    public static let rollbackRun = updateRun(name: "example-run-2", resourceSnapshotIndex: "0")

    static func updateRun(name: String, resourceSnapshotIndex: String) -> String {
        """
        apiVersion: placement.kubernetes-fleet.io/v1beta1
        kind: ClusterStagedUpdateRun
        metadata:
          name: \(name)
        spec:
          placementName: example-placement
          resourceSnapshotIndex: "\(resourceSnapshotIndex)"
          stagedRolloutStrategyName: example-strategy
        """
    }

    public static let namespace = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: test-namespace
        """

    public static func configMap(value: String) -> String {
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: test-cm
          namespace: test-namespace
        data:
          key: \(value)
        """
    }

    /// approval.json of the seed, with the time filled in as `$(date -u ...)` would.
    public static func approval(at time: String) -> String {
        """
        {"status": {"conditions": [{"lastTransitionTime": "\(time)", "message": "lgtm", "observedGeneration": 1,
        "reason": "testPassed", "status": "True", "type": "Approved"}]}}
        """
    }

    /// The status `kubectl get csur example-run -o yaml` shows in the seed once the canary approval is requested,
    /// comments removed: what a run on the seed's timeline must reproduce field by field.
    public static let runStatus = """
        conditions:
        - lastTransitionTime: "2025-07-22T21:28:08Z"
          message: ClusterStagedUpdateRun initialized successfully
          observedGeneration: 1
          reason: UpdateRunInitializedSuccessfully
          status: "True"
          type: Initialized
        - lastTransitionTime: "2025-07-22T21:29:53Z"
          message: The updateRun is waiting for after-stage tasks in stage canary to complete
          observedGeneration: 1
          reason: UpdateRunWaiting
          status: "False"
          type: Progressing
        deletionStageStatus:
          clusters: []
          stageName: kubernetes-fleet.io/deleteStage
        policyObservedClusterCount: 3
        policySnapshotIndexUsed: "0"
        stagedUpdateStrategySnapshot:
          stages:
          - afterStageTasks:
            - type: TimedWait
              waitTime: 1m0s
            labelSelector:
              matchLabels:
                environment: staging
            name: staging
          - afterStageTasks:
            - type: Approval
            labelSelector:
              matchLabels:
                environment: canary
            name: canary
            sortingLabelKey: order
        stagesStatus:
        - afterStageTaskStatus:
          - conditions:
            - lastTransitionTime: "2025-07-22T21:29:23Z"
              message: Wait time elapsed
              observedGeneration: 1
              reason: AfterStageTaskWaitTimeElapsed
              status: "True"
              type: WaitTimeElapsed
            type: TimedWait
          clusters:
          - clusterName: member2
            conditions:
            - lastTransitionTime: "2025-07-22T21:28:08Z"
              message: Cluster update started
              observedGeneration: 1
              reason: ClusterUpdatingStarted
              status: "True"
              type: Started
            - lastTransitionTime: "2025-07-22T21:28:23Z"
              message: Cluster update completed successfully
              observedGeneration: 1
              reason: ClusterUpdatingSucceeded
              status: "True"
              type: Succeeded
          conditions:
          - lastTransitionTime: "2025-07-22T21:28:23Z"
            message: All clusters in the stage are updated and after-stage tasks are completed
            observedGeneration: 1
            reason: StageUpdatingSucceeded
            status: "False"
            type: Progressing
          - lastTransitionTime: "2025-07-22T21:29:23Z"
            message: Stage update completed successfully
            observedGeneration: 1
            reason: StageUpdatingSucceeded
            status: "True"
            type: Succeeded
          endTime: "2025-07-22T21:29:23Z"
          stageName: staging
          startTime: "2025-07-22T21:28:08Z"
        - afterStageTaskStatus:
          - approvalRequestName: example-run-canary
            conditions:
            - lastTransitionTime: "2025-07-22T21:29:53Z"
              message: ClusterApprovalRequest is created
              observedGeneration: 1
              reason: AfterStageTaskApprovalRequestCreated
              status: "True"
              type: ApprovalRequestCreated
            type: Approval
          clusters:
          - clusterName: member3
            conditions:
            - lastTransitionTime: "2025-07-22T21:29:23Z"
              message: Cluster update started
              observedGeneration: 1
              reason: ClusterUpdatingStarted
              status: "True"
              type: Started
            - lastTransitionTime: "2025-07-22T21:29:38Z"
              message: Cluster update completed successfully
              observedGeneration: 1
              reason: ClusterUpdatingSucceeded
              status: "True"
              type: Succeeded
          - clusterName: member1
            conditions:
            - lastTransitionTime: "2025-07-22T21:29:38Z"
              message: Cluster update started
              observedGeneration: 1
              reason: ClusterUpdatingStarted
              status: "True"
              type: Started
            - lastTransitionTime: "2025-07-22T21:29:53Z"
              message: Cluster update completed successfully
              observedGeneration: 1
              reason: ClusterUpdatingSucceeded
              status: "True"
              type: Succeeded
          conditions:
          - lastTransitionTime: "2025-07-22T21:29:53Z"
            message: All clusters in the stage are updated, waiting for after-stage tasks to complete
            observedGeneration: 1
            reason: StageUpdatingWaiting
            status: "False"
            type: Progressing
          stageName: canary
          startTime: "2025-07-22T21:29:23Z"
        """
}
