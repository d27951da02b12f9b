/// The label and annotation keys KubeFleet puts on the objects its controllers write.
public enum FleetLabel {
    public static let isLatestSnapshot = "kubernetes-fleet.io/is-latest-snapshot"
    public static let parentPlacement = "kubernetes-fleet.io/parent-CRP"
    public static let resourceIndex = "kubernetes-fleet.io/resource-index"
    public static let policyIndex = "kubernetes-fleet.io/policy-index"
    public static let resourceHash = "kubernetes-fleet.io/resource-hash"
    public static let numberOfResourceSnapshots = "kubernetes-fleet.io/number-of-resource-snapshots"
    public static let numberOfEnvelopedObjects = "kubernetes-fleet.io/number-of-enveloped-object"
    public static let numberOfClusters = "kubernetes-fleet.io/number-of-clusters"
    public static let targetUpdatingStage = "kubernetes-fleet.io/targetUpdatingStage"
    public static let targetUpdateRun = "kubernetes-fleet.io/targetUpdateRun"
    public static let taskType = "kubernetes-fleet.io/taskType"
    public static let isLatestUpdateRunApproval = "kubernetes-fleet.io/isLatestUpdateRunApproval"
    public static let namespaceName = "kubernetes.io/metadata.name"
    public static let deleteStageName = "kubernetes-fleet.io/deleteStage"
    public static let parentOverride = "kubernetes-fleet.io/parent-resource-override"
    public static let overrideIndex = "kubernetes-fleet.io/override-index"
    /// Flotilla's per-run stuck threshold (kubefleet#640), a duration such as `10m`; KubeFleet's fixed 5m otherwise.
    public static let stuckThreshold = "flotilla.dev/stuck-threshold"
    /// Flotilla's opt-in to freeze a run's clusters at initialization (kubefleet#733, #845): `Frozen` or `Live`.
    public static let membership = "flotilla.dev/membership"
    /// Flotilla's failure budget: how many of each stage's clusters (a count, or a percentage such as `25%`) may fail
    /// and be skipped before the run fails; setting it makes a member's reported failure terminal for its cluster.
    public static let maxFailures = "flotilla.dev/max-failures"
    /// Flotilla's per-cluster deadline, a duration: a cluster not updated that long after it started has failed.
    public static let progressDeadline = "flotilla.dev/progress-deadline"
    /// Flotilla's soak, a duration: how long a cluster stays available before it counts as succeeded.
    public static let minSuccessTime = "flotilla.dev/min-success-time"
    /// Flotilla's approval deadline, a duration: a run whose approval request waits longer than that fails.
    public static let approvalTimeout = "flotilla.dev/approval-timeout"
    /// Flotilla's four-eyes rule, `"true"`: the user who created the run may not approve it.
    public static let fourEyes = "flotilla.dev/four-eyes"
    /// On each approval request: the hash of the run's frozen plan the approver is asked to approve.
    public static let planHash = "flotilla.dev/plan-hash"
    /// What a failed run does next: `Halt` (the default, KubeFleet's) or `Rollback`, which creates `<run>-rollback`.
    public static let onFailure = "flotilla.dev/on-failure"
    /// On a rollback run: the failed run whose clusters it restores.
    public static let rollbackOf = "flotilla.dev/rollback-of"
    /// On a failed run: the rollback run it created.
    public static let rolledBackBy = "flotilla.dev/rolled-back-by"
}
