import FleetAPI
import Foundation

/// One rollout event a sink may be sent, read off a journal event: the body a sink receives carries the event's
/// journal seq, so a receiver can tell a redelivery from a new event.
public struct RolloutNotification: Sendable, Hashable {
    public var seq: Int64
    public var event: NotificationSinkSpec.Event
    public var body: JSON
}

/// Which journal events are rollout events, and what a sink is told of them. Pure: a journal event and the state
/// the hub holds now, since a run's frozen plan names its stages once and never changes.
public enum Notifications {
    /// The rollout event `envelope` records, if any.
    ///
    /// - Note: `StageStarted` is the stage's first `ClusterUpdateStarted`: clusters start in plan order, so it is
    ///   the one whose earlier clusters in the plan never started (skipped ones aside). A run deleted before its
    ///   events are delivered has no plan left to name stages by: its stage events are not sent.
    public static func classify(_ envelope: Envelope, in state: HubState) -> RolloutNotification? {
        let event = envelope.event
        guard let runKey = event.runKey else { return nil }
        let run = state.runs[runKey]
        var body: JSON = [
            "seq": .int(envelope.seq), "time": .string(KubeTime.format(envelope.time)),
            "run": .string(runKey.name), "kind": .string(runKey.kind),
        ]
        if !runKey.namespace.isEmpty { body["namespace"] = .string(runKey.namespace) }
        let kind: NotificationSinkSpec.Event
        switch event {
        case .clusterUpdateStarted(let e):
            guard let run, e.stage < run.stages.count else { return nil }
            let first = run.stages[e.stage].clusters.first { ($0.conditions ?? [])[type: "Started"]?.reason == "ClusterUpdatingStarted" }
            guard first?.clusterName == e.cluster else { return nil }
            kind = .stageStarted
            body["stage"] = .string(run.stages[e.stage].stageName)
        case .stageSucceeded(let e):
            guard let run, e.stage < run.stages.count else { return nil }
            kind = .stageSucceeded
            body["stage"] = .string(run.stages[e.stage].stageName)
        case .approvalRequested(let e):
            guard let run, e.stage < run.stages.count else { return nil }
            let stage = run.stages[e.stage].stageName
            kind = .approvalPending
            body["stage"] = .string(stage)
            body["phase"] = .string(e.phase.rawValue)
            body["approvalRequest"] = .string(PlacementNames.approvalRequestKey(run: runKey, stage: stage, phase: e.phase).name)
        case .clusterUpdateFailed(let e):
            kind = .clusterFailed
            if let run { body["stage"] = .string(run.stageName(e.stage)) }
            body["cluster"] = .string(e.cluster)
            body["message"] = .string(e.message)
        case .updateRunSucceeded:
            kind = .runSucceeded
        case .updateRunFailed(let e), .updateRunInitializationFailed(let e):
            kind = .runFailed
            body["message"] = .string(e.message)
        default:
            return nil
        }
        body["event"] = .string(kind.rawValue)
        return RolloutNotification(seq: envelope.seq, event: kind, body: body)
    }
}

/// A sink's delivery as the journal keeps it: each step is a status write on the sink, so its position survives
/// restarts and `kubectl get notificationsinks -o yaml` shows it. Pure.
public enum NotificationDelivery {
    public static let actor = "controller/notifications"

    /// The `Idempotency-Key` of `notification`'s POST to `sink`: the sink's uid and the event's seq, so a
    /// redelivery after a restart carries the same key, and another sink (or a sink made anew under the same
    /// name) another.
    public static func idempotencyKey(_ sink: StoredObject, _ notification: RolloutNotification) -> String {
        "\(sink.json[path: ["metadata", "uid"]]?.stringValue ?? sink.key.name)/\(notification.seq)"
    }

    /// The status a sink starts with: nothing before `seq`, the journal as it stood when the hub first saw it, is
    /// sent.
    public static func started(_ sink: ObjectKey, at seq: Int64) -> FleetEvent {
        statusWrite(sink, NotificationSinkStatus(position: seq))
    }

    /// `notification` was delivered at `time`: the position moves past it.
    public static func delivered(
        _ sink: ObjectKey, _ status: NotificationSinkStatus, _ notification: RolloutNotification, at time: Date
    ) -> FleetEvent {
        var next = status
        next.position = notification.seq
        next.deliveredCount += 1
        next.lastDeliveredSeq = notification.seq
        next.lastDeliveredTime = KubeTime.format(time)
        next.failedAttempts = nil
        return statusWrite(sink, next)
    }

    /// An attempt at the next event failed: the position stays, the error and the count of failures in a row show.
    public static func failed(_ sink: ObjectKey, _ status: NotificationSinkStatus, error: String, at time: Date) -> FleetEvent {
        var next = status
        next.failedAttempts = (status.failedAttempts ?? 0) + 1
        next.lastError = error
        next.lastErrorTime = KubeTime.format(time)
        return statusWrite(sink, next)
    }

    /// How long to wait after `attempts` failures in a row: a second, doubling, at most a minute.
    public static func backoff(afterFailures attempts: Int64) -> TimeInterval {
        min(60, pow(2, Double(max(0, attempts - 1))))
    }

    /// The sink's spec and status, when it has a valid spec.
    public static func read(_ sink: StoredObject) -> (NotificationSinkSpec, NotificationSinkStatus?)? {
        guard let spec = try? sink.spec.decode(NotificationSinkSpec.self) else { return nil }
        return (spec, sink.status.flatMap { try? $0.decode(NotificationSinkStatus.self) })
    }

    private static func statusWrite(_ sink: ObjectKey, _ status: NotificationSinkStatus) -> FleetEvent {
        .objectStatusUpdated(ObjectStatusUpdated(key: sink, status: (try? JSON(encoding: status)) ?? .emptyObject))
    }
}
