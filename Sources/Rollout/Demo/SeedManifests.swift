/// The seed tutorial's manifests, verbatim, plus the three members it assumes.
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

    public static let run = """
        apiVersion: placement.kubernetes-fleet.io/v1beta1
        kind: ClusterStagedUpdateRun
        metadata:
          name: example-run
        spec:
          placementName: example-placement
          resourceSnapshotIndex: "1"
          stagedRolloutStrategyName: example-strategy
        """

    public static let rollbackRun = """
        apiVersion: placement.kubernetes-fleet.io/v1beta1
        kind: ClusterStagedUpdateRun
        metadata:
          name: example-run-2
        spec:
          placementName: example-placement
          resourceSnapshotIndex: "0"
          stagedRolloutStrategyName: example-strategy
        """

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
}
