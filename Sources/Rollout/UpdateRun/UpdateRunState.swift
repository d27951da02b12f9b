import FleetAPI
import Foundation

/// One update run: its spec and the status KubeFleet would show, folded from the run's events.
public struct UpdateRunState: Sendable, Hashable, Codable {
    public var key: ObjectKey
    public var spec: UpdateRunSpec
    public var generation: Int64
    public var status = UpdateRunStatus()
    public var resourceSnapshotIndex: Int?
    public var applyStrategy: JSON?
    public var overrides: [String: [ObjectKey]] = [:]
    /// ReportDiff mode: members report differences instead of applying, and a report completes a cluster.
    public var reportsDiff: Bool { applyStrategy?["type"]?.stringValue == "ReportDiff" }
    /// How long a cluster may take before the run reports Stuck: the run's annotation, else KubeFleet's 5 minutes.
    public var stuckThreshold: TimeInterval = UpdateRunController.stuckThreshold
    /// Whether drift in the fleet after initialization is ignored instead of failing the run.
    public var frozenMembership = false
    /// The failure budget per stage; nil without `flotilla.dev/max-failures`.
    public var maxFailures: FailureBudget?
    /// How long a started cluster may take before it has failed; nil without `flotilla.dev/progress-deadline`.
    public var progressDeadline: TimeInterval?
    /// How long a cluster soaks once available before it succeeds; nil without `flotilla.dev/min-success-time`.
    public var minSuccessTime: TimeInterval?
    /// Flotilla's approval rules: how long a request may wait, whether its creator may approve, who created it,
    /// and each request's recorded decision by name.
    public var approvals = ApprovalRules()
    /// Whether a failure creates `<run>-rollback` (`flotilla.dev/on-failure: Rollback`).
    public var rollsBackOnFailure = false
    /// On a rollback run, the failed run it restores (`flotilla.dev/rollback-of`).
    public var rollbackOf: String?
    /// With `rollsBackOnFailure`, what each started cluster held before this run started it: what a rollback restores.
    public var heldBefore: [String: HeldSnapshot]?
    /// On a rollback run, the snapshot index each cluster goes back to, frozen at initialization.
    public var restores: [String: Int]?

    public init(key: ObjectKey, spec: UpdateRunSpec, generation: Int64) {
        self.key = key
        self.spec = spec
        self.generation = generation
    }

    /// Reads Flotilla's run annotations; validation has already refused values it does not understand.
    mutating func configure(annotations: [String: String]) {
        stuckThreshold = Self.seconds(annotations[FleetLabel.stuckThreshold]) ?? UpdateRunController.stuckThreshold
        rollbackOf = annotations[FleetLabel.rollbackOf]
        rollsBackOnFailure = annotations[FleetLabel.onFailure] == "Rollback"
        // A rollback's clusters are those the failed run changed, not what its strategy selects today.
        frozenMembership = annotations[FleetLabel.membership] == "Frozen" || rollbackOf != nil
        maxFailures = annotations[FleetLabel.maxFailures].flatMap(FailureBudget.init(parsing:))
        progressDeadline = Self.seconds(annotations[FleetLabel.progressDeadline])
        minSuccessTime = Self.seconds(annotations[FleetLabel.minSuccessTime])
        approvals.configure(timeout: Self.seconds(annotations[FleetLabel.approvalTimeout]), fourEyes: annotations[FleetLabel.fourEyes] == "true")
    }

    private static func seconds(_ text: String?) -> TimeInterval? {
        text.flatMap(GoDuration.init(parsing:)).map { Double($0.milliseconds) / 1000 }
    }

    /// Whether a cluster's failure is its own end rather than the run's: with a failure budget or a progress
    /// deadline, a failed cluster is skipped while the stage's failures fit the budget (none by default). Without
    /// either, KubeFleet's rules hold: a member's failure is retried, and a failed cluster fails the run.
    public var failuresAreTerminal: Bool { maxFailures != nil || progressDeadline != nil }

    /// How many of a stage's `clusters` may fail before the run fails.
    func allowedFailures(of clusters: Int) -> Int { maxFailures?.allowed(of: clusters) ?? 0 }

    /// Keeps what `cluster` held as this run started it, in place: the first start is the one that changed it.
    mutating func keepHeld(_ cluster: String, _ held: HeldSnapshot) {
        if heldBefore == nil { heldBefore = [:] }
        if heldBefore?[cluster] == nil { heldBefore?[cluster] = held }
    }

    /// The snapshot `cluster` is updated to: the run's, or on a rollback run the one the cluster held before.
    public func snapshotIndex(for cluster: String) -> Int? { restores?[cluster] ?? resourceSnapshotIndex }

    public var placement: ObjectKey { PlacementNames.placementKey(forRun: key, placementName: spec.placementName) }
    /// An omitted state means Run, as the seed's manifests assume.
    public var desiredState: UpdateRunSpec.State { spec.state ?? .run }
    var conditions: [Condition] { status.conditions ?? [] }
    public var isInitialized: Bool { conditions.isTrue("Initialized") }
    public var initializationFailed: Bool { conditions[type: "Initialized"]?.status == .false }
    /// Initialized or failed to: no longer waiting for what initialization reads. Read where the condition lies,
    /// as folding asks it twice on each of the run's events.
    var isSettled: Bool {
        guard let index = status.conditions?.firstIndex(where: { $0.type == "Initialized" }) else { return false }
        return status.conditions![index].status != .unknown
    }
    public var isFinished: Bool { conditions[type: "Succeeded"] != nil }
    var stages: [StageUpdatingStatus] { status.stagesStatus ?? [] }
    var strategyStages: [StageConfig] { status.stagedUpdateStrategySnapshot?.stages ?? [] }
}

/// What a cluster held of a run's placement before the run started it; nil when it held nothing.
public struct HeldSnapshot: Sendable, Hashable, Codable {
    public var resourceIndex: Int?
}
