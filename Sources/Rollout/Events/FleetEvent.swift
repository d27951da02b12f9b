import FleetAPI
import Foundation

/// Every fact the hub records. Each case is one event type of the catalogue in `schema/events.md`; its
/// payload holds everything replay needs, so `evolve` never looks anywhere else.
///
/// The cases whose payloads are larger than the common events' (over 90 bytes) are boxed: every event is as large
/// as the largest payload held inline, and replay copies and moves events by the million.
public enum FleetEvent: Sendable, Hashable {
    // Objects written by users or controllers.
    case objectCreated(ObjectCreated)
    case objectUpdated(ObjectUpdated)
    indirect case objectStatusUpdated(ObjectStatusUpdated)
    case objectDeleted(ObjectDeleted)
    // Placements.
    indirect case policySnapshotCreated(PolicySnapshotCreated)
    indirect case resourceSnapshotCreated(ResourceSnapshotCreated)
    case placementScheduled(PlacementScheduled)
    case clusterRolloutStarted(ClusterRolloutStarted)
    case clusterRolloutRemoved(ClusterRolloutRemoved)
    // Update runs.
    indirect case updateRunInitialized(UpdateRunInitialized)
    case updateRunInitializationFailed(RunMessage)
    case stageSkipped(StageRef)
    case clusterUpdateStarted(ClusterRef)
    case clusterUpdateSucceeded(ClusterRef)
    indirect case clusterUpdateFailed(ClusterFailure)
    case clusterUpdateSkipped(ClusterRef)
    /// The cluster's member holds the run's snapshot and the run soaks it (`flotilla.dev/min-success-time`).
    case clusterUpdateAvailable(ClusterRef)
    case updateRunStuck(RunStuck)
    case stageWaiting(StageRef)
    case timedWaitElapsed(TaskRef)
    case approvalRequested(TaskRef)
    case approvalTaskApproved(TaskRef)
    case approvalAccepted(ApprovalAccepted)
    /// A user approved or rejected an approval request: who, against which plan, with what message.
    indirect case approvalDecided(ApprovalDecision)
    /// A ScheduleWindow task lets its stage start (`Opened`) or holds it (`Closed`), until the time it names.
    case scheduleWindowOpened(ScheduleWindowGate)
    case scheduleWindowClosed(ScheduleWindowGate)
    /// The hub measured a MetricGate's metric; the controller judged the answer against the gate's condition.
    indirect case metricMeasured(MetricMeasured)
    case stageSucceeded(StageRef)
    case updateRunSucceeded(RunRef)
    case updateRunFailed(RunMessage)
    case updateRunStopping(StageRef)
    case updateRunStopped(StageRef)
    case updateRunResumed(StageRef)
    // Members.
    case memberApplied(MemberApplied)
    indirect case memberApplyFailed(MemberApplyFailed)
    case memberRemoved(MemberRemoved)
    case memberDiffReported(MemberDiffReported)

    // The hub itself.
    case controllerHalted(ControllerHalted)
}

/// A controller kept recording events for an object without settling: the hub stops reconciling that object
/// until its spec changes, instead of looping forever.
public struct ControllerHalted: Codable, Sendable, Hashable {
    public var key: ObjectKey
    public var message: String
}

/// ReportDiff mode: what would change on the member, which is left as it is.
public struct MemberDiffReported: Codable, Sendable, Hashable {
    public var cluster: String
    public var placement: ObjectKey
    public var resourceIndex: Int
    public var differences: [String]
}

public struct ObjectCreated: Codable, Sendable, Hashable {
    public var key: ObjectKey
    public var uid: String
    /// The object as stored, without the fields the hub derives (uid, resourceVersion, generation, timestamps).
    public var object: JSON
}

public struct ObjectUpdated: Codable, Sendable, Hashable {
    public var key: ObjectKey
    public var object: JSON
}

public struct ObjectStatusUpdated: Codable, Sendable, Hashable {
    public var key: ObjectKey
    public var status: JSON
    /// The object's `metadata.managedFields` after the write, when a field manager made it; absent from events
    /// recorded before managed fields were kept.
    public var managedFields: JSON?

    public init(key: ObjectKey, status: JSON, managedFields: JSON? = nil) {
        self.key = key
        self.status = status
        self.managedFields = managedFields
    }
}

public struct ObjectDeleted: Codable, Sendable, Hashable {
    public var key: ObjectKey
}

public struct PolicySnapshotCreated: Codable, Sendable, Hashable {
    public var placement: ObjectKey
    public var index: Int
    public var uid: String
    public var clusters: [String]
    /// The scheduler's decision about each cluster, as the snapshot's `status.targetClusters` shows them; absent
    /// from events recorded before the scheduler explained itself.
    public var decisions: [JSON]? = nil
}

public struct ResourceSnapshotCreated: Codable, Sendable, Hashable {
    public var placement: ObjectKey
    public var index: Int
    public var uid: String
    public var hash: String
    public var resources: [JSON]
}

public struct RunRef: Codable, Sendable, Hashable {
    public var run: ObjectKey
}

public struct RunMessage: Codable, Sendable, Hashable {
    public var run: ObjectKey
    public var message: String
}

/// `stage` indexes the run's stages; the deletion stage is `stages.count`.
public struct StageRef: Codable, Sendable, Hashable {
    public var run: ObjectKey
    public var stage: Int
}

public struct ClusterRef: Codable, Sendable, Hashable {
    public var run: ObjectKey
    public var stage: Int
    public var cluster: String
}

public struct ClusterFailure: Codable, Sendable, Hashable {
    public var run: ObjectKey
    public var stage: Int
    public var cluster: String
    public var message: String
}

public struct RunStuck: Codable, Sendable, Hashable {
    public var run: ObjectKey
    public var stage: Int
    public var clusters: [String]
}

public struct TaskRef: Codable, Sendable, Hashable {
    public enum Phase: String, Codable, Sendable {
        case before, after
    }

    public var run: ObjectKey
    public var stage: Int
    public var phase: Phase
    public var task: Int
}

/// A before-stage ScheduleWindow task's verdict as it changed: `until` (RFC 3339) is when it next changes, the
/// window's end or the next window's start, absent when the schedule never starts again.
public struct ScheduleWindowGate: Codable, Sendable, Hashable {
    public var run: ObjectKey
    public var stage: Int
    public var task: Int
    public var until: String?

    var taskRef: TaskRef { TaskRef(run: run, stage: stage, phase: .before, task: task) }
}

/// One measurement of a MetricGate task: the first sample's value (absent when the query failed), whether it met
/// the gate's condition, and the comparison made or why the query failed.
public struct MetricMeasured: Codable, Sendable, Hashable {
    public var run: ObjectKey
    public var stage: Int
    public var phase: TaskRef.Phase
    public var task: Int
    public var value: String?
    public var passed: Bool
    public var message: String

    var taskRef: TaskRef { TaskRef(run: run, stage: stage, phase: phase, task: task) }
}

public struct ApprovalAccepted: Codable, Sendable, Hashable {
    public var request: ObjectKey
    public var generation: Int64
}

/// The frozen plan of a run: what KubeFleet records in status at initialization.
public struct UpdateRunInitialized: Codable, Sendable, Hashable {
    public struct Stage: Codable, Sendable, Hashable {
        public var name: String
        public var clusters: [String]
    }

    public var run: ObjectKey
    public var generation: Int64
    public var policySnapshotIndex: String
    public var observedClusterCount: Int
    public var resourceSnapshotIndex: Int
    public var strategy: StagedUpdateStrategySpec
    public var stages: [Stage]
    public var deletionClusters: [String]
    /// The placement's `strategy.applyStrategy` at initialization; a later change fails the run.
    public var applyStrategy: JSON?
    /// The override snapshots each cluster gets, frozen here.
    public var overrides: [String: [ObjectKey]]?
    /// A rollback run's per-cluster snapshot: what each cluster held before the failed run; absent on other runs.
    public var restores: [String: Int]? = nil
}

public struct MemberApplied: Codable, Sendable, Hashable {
    public var cluster: String
    public var placement: ObjectKey
    public var resourceIndex: Int
    public var objects: [JSON]
    /// True when some object's availability cannot be tracked; absent when every object's can, and from events
    /// recorded before it was kept.
    public var untrackable: Bool? = nil
}

public struct MemberApplyFailed: Codable, Sendable, Hashable {
    public var cluster: String
    public var placement: ObjectKey
    public var resourceIndex: Int
    public var message: String
    /// The object that failed, as KubeFleet's resource identifier, when the member named one.
    public var resource: JSON? = nil
}

public struct MemberRemoved: Codable, Sendable, Hashable {
    public var cluster: String
    public var placement: ObjectKey
}

/// Under the RollingUpdate strategy the rollout controller binds a cluster to a resource snapshot, as KubeFleet's
/// rollout controller updates a binding: recorded before the member is asked.
public struct ClusterRolloutStarted: Codable, Sendable, Hashable {
    public var placement: ObjectKey
    public var cluster: String
    public var resourceIndex: Int
    /// The override snapshots the cluster gets with it, in order; absent when none select it.
    public var overrides: [ObjectKey]? = nil
}

/// Under the RollingUpdate strategy a cluster the placement no longer schedules is unbound, and its member
/// asked to remove what the placement put there.
public struct ClusterRolloutRemoved: Codable, Sendable, Hashable {
    public var placement: ObjectKey
    public var cluster: String
}

/// The scheduler's new decision under the same policy snapshot: members joined or left, or PickN scaled.
public struct PlacementScheduled: Codable, Sendable, Hashable {
    public var placement: ObjectKey
    public var clusters: [String]
    public var decisions: [JSON]? = nil
}
