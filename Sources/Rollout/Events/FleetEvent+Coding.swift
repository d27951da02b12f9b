import FleetAPI
import Foundation
import Journal

/// A recorded event with what the journal adds: its global position, time and actor.
public struct Envelope: Sendable, Hashable {
    public var seq: Int64
    public var time: Date
    public var actor: String
    public var event: FleetEvent

    public init(seq: Int64, time: Date, actor: String, event: FleetEvent) {
        self.seq = seq
        self.time = time
        self.actor = actor
        self.event = event
    }
}

extension StreamWrite {
    /// Events as journal writes, in order: consecutive events of one stream share a write, appended wherever
    /// their stream stands (the hub is the journal's one writer and decides on its own state).
    public static func appending(_ events: [(actor: String, event: FleetEvent)], millis: Int64) throws -> [StreamWrite] {
        var writes: [StreamWrite] = []
        for (actor, event) in events {
            let new = NewEvent(type: event.typeName, time: millis, actor: actor, payload: try event.payload().serialized())
            if let last = writes.last, last.stream == event.stream {
                writes[writes.count - 1].events.append(new)
            } else {
                writes.append(StreamWrite(stream: event.stream, expected: .any, events: [new]))
            }
        }
        return writes
    }
}

public struct UnknownEventType: Error, CustomStringConvertible {
    public var type: String
    public var description: String { "unknown event type \(type)" }
}

extension FleetEvent {
    /// The journal `type` column: the catalogue name and its payload version.
    public var typeName: String {
        switch self {
        case .objectCreated: "ObjectCreated.v1"
        case .objectUpdated: "ObjectUpdated.v1"
        case .objectStatusUpdated: "ObjectStatusUpdated.v1"
        case .objectDeleted: "ObjectDeleted.v1"
        case .policySnapshotCreated: "PolicySnapshotCreated.v1"
        case .resourceSnapshotCreated: "ResourceSnapshotCreated.v1"
        case .placementScheduled: "PlacementScheduled.v1"
        case .clusterRolloutStarted: "ClusterRolloutStarted.v1"
        case .clusterRolloutRemoved: "ClusterRolloutRemoved.v1"
        case .updateRunInitialized: "UpdateRunInitialized.v1"
        case .updateRunInitializationFailed: "UpdateRunInitializationFailed.v1"
        case .stageSkipped: "StageSkipped.v1"
        case .clusterUpdateStarted: "ClusterUpdateStarted.v1"
        case .clusterUpdateSucceeded: "ClusterUpdateSucceeded.v1"
        case .clusterUpdateFailed: "ClusterUpdateFailed.v1"
        case .clusterUpdateSkipped: "ClusterUpdateSkipped.v1"
        case .clusterUpdateAvailable: "ClusterUpdateAvailable.v1"
        case .scheduleWindowOpened: "ScheduleWindowOpened.v1"
        case .scheduleWindowClosed: "ScheduleWindowClosed.v1"
        case .metricMeasured: "MetricMeasured.v1"
        case .updateRunStuck: "UpdateRunStuck.v1"
        case .stageWaiting: "StageWaiting.v1"
        case .timedWaitElapsed: "TimedWaitElapsed.v1"
        case .approvalRequested: "ApprovalRequested.v1"
        case .approvalTaskApproved: "ApprovalTaskApproved.v1"
        case .approvalAccepted: "ApprovalAccepted.v1"
        case .approvalDecided: "ApprovalDecided.v1"
        case .stageSucceeded: "StageSucceeded.v1"
        case .updateRunSucceeded: "UpdateRunSucceeded.v1"
        case .updateRunFailed: "UpdateRunFailed.v1"
        case .updateRunStopping: "UpdateRunStopping.v1"
        case .updateRunStopped: "UpdateRunStopped.v1"
        case .updateRunResumed: "UpdateRunResumed.v1"
        case .memberApplied: "MemberApplied.v1"
        case .memberApplyFailed: "MemberApplyFailed.v1"
        case .memberRemoved: "MemberRemoved.v1"
        case .memberDiffReported: "MemberDiffReported.v1"
        case .controllerHalted: "ControllerHalted.v1"
        }
    }

    /// The journal stream the event belongs to: the object it changes.
    public var stream: String {
        switch self {
        case .objectCreated(let e): e.key.description
        case .objectUpdated(let e): e.key.description
        case .objectStatusUpdated(let e): e.key.description
        case .objectDeleted(let e): e.key.description
        case .policySnapshotCreated(let e): PlacementNames.policySnapshotKey(e.placement, index: e.index).description
        case .resourceSnapshotCreated(let e): PlacementNames.resourceSnapshotKey(e.placement, index: e.index).description
        case .placementScheduled(let e): e.placement.description
        case .clusterRolloutStarted(let e): e.placement.description
        case .clusterRolloutRemoved(let e): e.placement.description
        case .updateRunInitialized(let e): e.run.description
        case .updateRunInitializationFailed(let e), .updateRunFailed(let e): e.run.description
        case .stageSkipped(let e), .stageWaiting(let e), .stageSucceeded(let e), .updateRunStopping(let e),
            .updateRunStopped(let e), .updateRunResumed(let e):
            e.run.description
        case .clusterUpdateStarted(let e), .clusterUpdateSucceeded(let e), .clusterUpdateSkipped(let e),
            .clusterUpdateAvailable(let e): e.run.description
        case .scheduleWindowOpened(let e), .scheduleWindowClosed(let e): e.run.description
        case .metricMeasured(let e): e.run.description
        case .clusterUpdateFailed(let e): e.run.description
        case .updateRunStuck(let e): e.run.description
        case .timedWaitElapsed(let e), .approvalRequested(let e), .approvalTaskApproved(let e): e.run.description
        case .approvalAccepted(let e): e.request.description
        case .approvalDecided(let e): e.request.description
        case .updateRunSucceeded(let e): e.run.description
        case .memberApplied(let e): ObjectKey(.memberCluster, name: e.cluster).description
        case .memberApplyFailed(let e): ObjectKey(.memberCluster, name: e.cluster).description
        case .memberRemoved(let e): ObjectKey(.memberCluster, name: e.cluster).description
        case .memberDiffReported(let e): ObjectKey(.memberCluster, name: e.cluster).description
        case .controllerHalted(let e): e.key.description
        }
    }

    public func payload() throws -> JSON {
        let encoder = JSONValueEncoder()
        switch self {
        case .objectCreated(let e): return try encoder.encode(e)
        case .objectUpdated(let e): return try encoder.encode(e)
        case .objectStatusUpdated(let e): return try encoder.encode(e)
        case .objectDeleted(let e): return try encoder.encode(e)
        case .policySnapshotCreated(let e): return try encoder.encode(e)
        case .resourceSnapshotCreated(let e): return try encoder.encode(e)
        case .placementScheduled(let e): return try encoder.encode(e)
        case .clusterRolloutStarted(let e): return try encoder.encode(e)
        case .clusterRolloutRemoved(let e): return try encoder.encode(e)
        case .updateRunInitialized(let e): return try encoder.encode(e)
        case .updateRunInitializationFailed(let e), .updateRunFailed(let e): return try encoder.encode(e)
        case .stageSkipped(let e), .stageWaiting(let e), .stageSucceeded(let e), .updateRunStopping(let e),
            .updateRunStopped(let e), .updateRunResumed(let e):
            return try encoder.encode(e)
        case .clusterUpdateStarted(let e), .clusterUpdateSucceeded(let e), .clusterUpdateSkipped(let e),
            .clusterUpdateAvailable(let e):
            return try encoder.encode(e)
        case .clusterUpdateFailed(let e): return try encoder.encode(e)
        case .updateRunStuck(let e): return try encoder.encode(e)
        case .timedWaitElapsed(let e), .approvalRequested(let e), .approvalTaskApproved(let e):
            return try encoder.encode(e)
        case .approvalAccepted(let e): return try encoder.encode(e)
        case .approvalDecided(let e): return try encoder.encode(e)
        case .scheduleWindowOpened(let e), .scheduleWindowClosed(let e): return try encoder.encode(e)
        case .metricMeasured(let e): return try encoder.encode(e)
        case .updateRunSucceeded(let e): return try encoder.encode(e)
        case .memberApplied(let e): return try encoder.encode(e)
        case .memberApplyFailed(let e): return try encoder.encode(e)
        case .memberRemoved(let e): return try encoder.encode(e)
        case .memberDiffReported(let e): return try encoder.encode(e)
        case .controllerHalted(let e): return try encoder.encode(e)
        }
    }

    public init(type: String, payload: JSON) throws {
        let decoder = JSONValueDecoder()
        func d<T: Decodable>(_: T.Type) throws -> T { try decoder.decode(T.self, from: payload) }
        switch type {
        case "ObjectCreated.v1": self = .objectCreated(try d(ObjectCreated.self))
        case "ObjectUpdated.v1": self = .objectUpdated(try d(ObjectUpdated.self))
        case "ObjectStatusUpdated.v1": self = .objectStatusUpdated(try d(ObjectStatusUpdated.self))
        case "ObjectDeleted.v1": self = .objectDeleted(try d(ObjectDeleted.self))
        case "PolicySnapshotCreated.v1": self = .policySnapshotCreated(try d(PolicySnapshotCreated.self))
        case "ResourceSnapshotCreated.v1": self = .resourceSnapshotCreated(try d(ResourceSnapshotCreated.self))
        case "PlacementScheduled.v1": self = .placementScheduled(try d(PlacementScheduled.self))
        case "ClusterRolloutStarted.v1": self = .clusterRolloutStarted(try d(ClusterRolloutStarted.self))
        case "ClusterRolloutRemoved.v1": self = .clusterRolloutRemoved(try d(ClusterRolloutRemoved.self))
        case "UpdateRunInitialized.v1": self = .updateRunInitialized(try d(UpdateRunInitialized.self))
        case "UpdateRunInitializationFailed.v1": self = .updateRunInitializationFailed(try d(RunMessage.self))
        case "StageSkipped.v1": self = .stageSkipped(try d(StageRef.self))
        case "ClusterUpdateStarted.v1": self = .clusterUpdateStarted(try d(ClusterRef.self))
        case "ClusterUpdateSucceeded.v1": self = .clusterUpdateSucceeded(try d(ClusterRef.self))
        case "ClusterUpdateFailed.v1": self = .clusterUpdateFailed(try d(ClusterFailure.self))
        case "ClusterUpdateSkipped.v1": self = .clusterUpdateSkipped(try d(ClusterRef.self))
        case "ClusterUpdateAvailable.v1": self = .clusterUpdateAvailable(try d(ClusterRef.self))
        case "ScheduleWindowOpened.v1": self = .scheduleWindowOpened(try d(ScheduleWindowGate.self))
        case "ScheduleWindowClosed.v1": self = .scheduleWindowClosed(try d(ScheduleWindowGate.self))
        case "MetricMeasured.v1": self = .metricMeasured(try d(MetricMeasured.self))
        case "UpdateRunStuck.v1": self = .updateRunStuck(try d(RunStuck.self))
        case "StageWaiting.v1": self = .stageWaiting(try d(StageRef.self))
        case "TimedWaitElapsed.v1": self = .timedWaitElapsed(try d(TaskRef.self))
        case "ApprovalRequested.v1": self = .approvalRequested(try d(TaskRef.self))
        case "ApprovalTaskApproved.v1": self = .approvalTaskApproved(try d(TaskRef.self))
        case "ApprovalAccepted.v1": self = .approvalAccepted(try d(ApprovalAccepted.self))
        case "ApprovalDecided.v1": self = .approvalDecided(try d(ApprovalDecision.self))
        case "StageSucceeded.v1": self = .stageSucceeded(try d(StageRef.self))
        case "UpdateRunSucceeded.v1": self = .updateRunSucceeded(try d(RunRef.self))
        case "UpdateRunFailed.v1": self = .updateRunFailed(try d(RunMessage.self))
        case "UpdateRunStopping.v1": self = .updateRunStopping(try d(StageRef.self))
        case "UpdateRunStopped.v1": self = .updateRunStopped(try d(StageRef.self))
        case "UpdateRunResumed.v1": self = .updateRunResumed(try d(StageRef.self))
        case "MemberApplied.v1": self = .memberApplied(try d(MemberApplied.self))
        case "MemberApplyFailed.v1": self = .memberApplyFailed(try d(MemberApplyFailed.self))
        case "MemberRemoved.v1": self = .memberRemoved(try d(MemberRemoved.self))
        case "MemberDiffReported.v1": self = .memberDiffReported(try d(MemberDiffReported.self))
        case "ControllerHalted.v1": self = .controllerHalted(try d(ControllerHalted.self))
        default: throw UnknownEventType(type: type)
        }
    }
}
