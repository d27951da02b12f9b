import FleetAPI
import Rollout

/// The steps the hub takes by itself (controllers and members), each named by what it did and to what, without
/// anything that legitimately differs between two plays (seqs, uids, times).
///
/// A resumed hub must take exactly the steps an uninterrupted one takes: each once, none lost, none invented.
/// User writes are not steps: a driver that re-sends a write whose answer it lost may record it twice.
public enum Steps {
    /// Whether the hub took this step by itself; a user's write is no step.
    public static func isStep(_ entry: JournalEntry) -> Bool {
        entry.envelope.actor.hasPrefix("controller/") || entry.envelope.actor.hasPrefix("member/")
    }

    /// The steps in journal order. A stage turns Waiting once before it starts (for its before-stage tasks) and
    /// once after; which one it was is told by whether a cluster of the stage had started.
    public static func keys(_ entries: [JournalEntry]) -> [String] {
        var started: Set<String> = []
        return entries.compactMap { entry in
            if case .clusterUpdateStarted(let e) = entry.envelope.event { started.insert("\(e.run) stage \(e.stage)") }
            guard isStep(entry) else { return nil }
            let name = entry.envelope.event.typeName.prefix { $0 != "." }
            let subject = subject(entry.envelope.event)
            guard case .stageWaiting = entry.envelope.event else { return "\(name) \(subject)" }
            return "\(name) \(subject) (\(started.contains(subject) ? "after" : "before"))"
        }
    }

    /// How often each step was recorded.
    public static func count(_ entries: [JournalEntry]) -> [String: Int] {
        keys(entries).reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    /// What a step acted on: enough to tell two different steps of one type apart.
    static func subject(_ event: FleetEvent) -> String {
        switch event {
        case .objectCreated(let e): e.key.description
        case .objectUpdated(let e): e.key.description
        case .objectStatusUpdated(let e): e.key.description
        case .objectDeleted(let e): e.key.description
        case .policySnapshotCreated(let e): "\(e.placement) index \(e.index) clusters \(e.clusters.joined(separator: ","))"
        case .resourceSnapshotCreated(let e): "\(e.placement) index \(e.index) hash \(e.hash)"
        case .placementScheduled(let e): "\(e.placement) clusters \(e.clusters.joined(separator: ","))"
        case .clusterRolloutStarted(let e): "\(e.placement) cluster \(e.cluster) snapshot \(e.resourceIndex)"
        case .clusterRolloutRemoved(let e): "\(e.placement) cluster \(e.cluster)"
        case .updateRunInitialized(let e): "\(e.run) generation \(e.generation) snapshot \(e.resourceSnapshotIndex)"
        case .updateRunInitializationFailed(let e), .updateRunFailed(let e): "\(e.run): \(e.message)"
        case .stageSkipped(let e), .stageWaiting(let e), .stageSucceeded(let e), .updateRunStopping(let e),
            .updateRunStopped(let e), .updateRunResumed(let e):
            "\(e.run) stage \(e.stage)"
        case .clusterUpdateStarted(let e), .clusterUpdateSucceeded(let e), .clusterUpdateSkipped(let e),
            .clusterUpdateAvailable(let e):
            "\(e.run) stage \(e.stage) cluster \(e.cluster)"
        case .clusterUpdateFailed(let e): "\(e.run) stage \(e.stage) cluster \(e.cluster): \(e.message)"
        case .scheduleWindowOpened(let e), .scheduleWindowClosed(let e): "\(e.run) stage \(e.stage) task \(e.task) until \(e.until ?? "never")"
        case .metricMeasured(let e): "\(e.run) stage \(e.stage) \(e.phase.rawValue) task \(e.task): \(e.message)"
        case .updateRunStuck(let e): "\(e.run) stage \(e.stage) clusters \(e.clusters.joined(separator: ","))"
        case .timedWaitElapsed(let e), .approvalRequested(let e), .approvalTaskApproved(let e):
            "\(e.run) stage \(e.stage) \(e.phase.rawValue) task \(e.task)"
        case .approvalAccepted(let e): "\(e.request) generation \(e.generation)"
        case .approvalDecided(let e): "\(e.request) \(e.approved ? "approved" : "rejected") by \(e.approver)"
        case .updateRunSucceeded(let e): e.run.description
        case .memberApplied(let e): "\(e.cluster) \(e.placement) snapshot \(e.resourceIndex)"
        case .memberApplyFailed(let e): "\(e.cluster) \(e.placement) snapshot \(e.resourceIndex): \(e.message)"
        case .memberRemoved(let e): "\(e.cluster) \(e.placement)"
        case .memberDiffReported(let e): "\(e.cluster) \(e.placement) snapshot \(e.resourceIndex)"
        case .controllerHalted(let e): e.key.description
        }
    }
}
