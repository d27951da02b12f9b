import FleetAPI
import Foundation
import Rollout

/// A stretch of wall-clock time during which no server was serving the journal: from the SIGKILL to the moment
/// the restarted server said it was serving. Milliseconds since the Unix epoch, the journal's own unit.
public struct Downtime: Sendable, Hashable {
    public var killedAt: Int64
    public var readyAt: Int64

    public init(killedAt: Int64, readyAt: Int64) {
        self.killedAt = killedAt
        self.readyAt = readyAt
    }
}

/// One member receiving one resource snapshot of one placement.
public struct MemberApplication: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var cluster: String
    public var placement: ObjectKey
    public var resourceIndex: Int

    public init(cluster: String, placement: ObjectKey, resourceIndex: Int) {
        self.cluster = cluster
        self.placement = placement
        self.resourceIndex = resourceIndex
    }

    public var description: String { "\(cluster) got \(placement) snapshot \(resourceIndex)" }

    public static func < (lhs: MemberApplication, rhs: MemberApplication) -> Bool {
        (lhs.cluster, lhs.placement, lhs.resourceIndex) < (rhs.cluster, rhs.placement, rhs.resourceIndex)
    }
}

/// The checks a round's journal must pass, alone and against the baseline's. Each returns its problems as
/// sentences; none means the check passed.
public enum JournalChecks {
    // MARK: Steps

    /// Steps recorded more than once: a finished step the resumed hub took again.
    public static func repeatedSteps(_ steps: [String: Int]) -> [String] {
        steps.filter { $0.value > 1 }.keys.sorted().map { "repeated step (\(steps[$0]!) times): \($0)" }
    }

    /// Steps the baseline took that the round lost, and steps the round took that the baseline never did.
    public static func stepDifferences(baseline: [String: Int], round: [String: Int]) -> [String] {
        let lost = baseline.keys.filter { round[$0] == nil }.sorted().map { "lost step: \($0)" }
        let invented = round.keys.filter { baseline[$0] == nil }.sorted().map { "step not in the baseline: \($0)" }
        return lost + invented
    }

    // MARK: Members

    /// How often each member received each snapshot: the `MemberApplied` events per cluster, placement and index.
    public static func memberApplications(_ entries: [JournalEntry]) -> [MemberApplication: Int] {
        entries.reduce(into: [:]) { counts, entry in
            guard case .memberApplied(let e) = entry.envelope.event else { return }
            counts[MemberApplication(cluster: e.cluster, placement: e.placement, resourceIndex: e.resourceIndex), default: 0] += 1
        }
    }

    public static func memberApplicationDifferences(
        baseline: [MemberApplication: Int], round: [MemberApplication: Int]
    ) -> [String] {
        Set(baseline.keys).union(round.keys).sorted().compactMap { application in
            let (expected, actual) = (baseline[application] ?? 0, round[application] ?? 0)
            return expected == actual ? nil : "\(application) \(actual) times, the baseline \(expected)"
        }
    }

    // MARK: Timed waits

    /// Every TimedWait ends at its recorded deadline: the moment its stage turned Waiting (in the whole seconds
    /// the run status records and the hub measures from) plus the wait. Not before it; and not later than that,
    /// or than the restart that followed it if the server was down at the deadline, plus `slack`. A stage turns
    /// Waiting once per phase: a second transition would restart the wait.
    public static func timedWaits(_ entries: [JournalEntry], downtimes: [Downtime], slack: Int64) -> [String] {
        var strategies: [ObjectKey: StagedUpdateStrategySpec] = [:]
        var startedStages: Set<StageKey> = []
        var waiting: [WaitingPhase: [Int64]] = [:]
        var elapsed: [TaskKey: [Int64]] = [:]
        for entry in entries {
            switch entry.envelope.event {
            case .updateRunInitialized(let e): strategies[e.run] = e.strategy
            case .clusterUpdateStarted(let e): startedStages.insert(StageKey(run: e.run, stage: e.stage))
            case .stageWaiting(let e):
                let phase: TaskRef.Phase = startedStages.contains(StageKey(run: e.run, stage: e.stage)) ? .after : .before
                waiting[WaitingPhase(run: e.run, stage: e.stage, phase: phase), default: []].append(entry.timeMillis)
            case .timedWaitElapsed(let e):
                elapsed[TaskKey(run: e.run, stage: e.stage, phase: e.phase, task: e.task), default: []].append(entry.timeMillis)
            default: break
            }
        }
        var problems: [String] = []
        for run in strategies.keys.sorted() {
            for (index, stage) in strategies[run]!.stages.enumerated() {
                for (phase, tasks) in [(TaskRef.Phase.before, stage.beforeStageTasks), (.after, stage.afterStageTasks)] {
                    let turns = waiting[WaitingPhase(run: run, stage: index, phase: phase)] ?? []
                    let label = "\(run) stage \(stage.name) (\(phase.rawValue))"
                    if turns.count > 1 { problems.append("\(label) turned Waiting \(turns.count) times") }
                    for (taskIndex, task) in (tasks ?? []).enumerated() where task.type == .timedWait {
                        let ends = elapsed[TaskKey(run: run, stage: index, phase: phase, task: taskIndex)] ?? []
                        guard let end = ends.first else { continue }
                        if ends.count > 1 { problems.append("\(label) TimedWait elapsed \(ends.count) times") }
                        guard let start = turns.first else {
                            problems.append("\(label) TimedWait elapsed without the stage turning Waiting")
                            continue
                        }
                        let deadline = start / 1000 * 1000 + (task.waitTime?.milliseconds ?? 0)
                        let due = downtimes.first { $0.killedAt <= deadline && deadline < $0.readyAt }?.readyAt ?? deadline
                        if end < deadline {
                            problems.append("\(label) TimedWait elapsed \(seconds(deadline - end)) before its deadline")
                        } else if end > due + slack {
                            problems.append(
                                "\(label) TimedWait elapsed \(seconds(end - deadline)) after its deadline"
                                    + (due > deadline ? " (the server was back \(seconds(due - deadline)) after it)" : ""))
                        }
                    }
                }
            }
        }
        return problems
    }

    // MARK: Approvals

    /// Each approval the driver granted is recorded exactly once, as a status write by `actor` that sets
    /// `Approved=True`, and accepted exactly once; the driver granted nothing else.
    public static func approvals(_ entries: [JournalEntry], granted: Set<ObjectKey>, actor: String) -> [String] {
        var problems: [String] = []
        var grants: [ObjectKey: Int] = [:]
        var accepted: [ObjectKey: Int] = [:]
        for entry in entries {
            switch entry.envelope.event {
            case .objectStatusUpdated(let e) where isApprovalRequest(e.key):
                let conditions = ApprovalRequestStatus.conditions(of: e.status)
                guard conditions.isTrue("Approved") else { break }
                if entry.envelope.actor == actor {
                    grants[e.key, default: 0] += 1
                } else {
                    problems.append("\(e.key) approved by \(entry.envelope.actor), not by \(actor)")
                }
            case .approvalAccepted(let e): accepted[e.request, default: 0] += 1
            default: break
            }
        }
        for key in granted.union(grants.keys).sorted() {
            let (recorded, acceptances) = (grants[key] ?? 0, accepted[key] ?? 0)
            if !granted.contains(key) {
                problems.append("\(key) recorded as approved by \(actor) \(recorded) times, but the driver never approved it")
            } else if recorded != 1 {
                problems.append("\(key): the driver's approval recorded \(recorded) times")
            }
            if recorded > 0 && acceptances != 1 {
                problems.append("\(key) accepted \(acceptances) times")
            }
        }
        return problems
    }

    static func isApprovalRequest(_ key: ObjectKey) -> Bool {
        key.kind == ResourceKind.clusterApprovalRequest.kind || key.kind == ResourceKind.approvalRequest.kind
    }

    static func seconds(_ millis: Int64) -> String {
        String(format: "%.3fs", Double(millis) / 1000)
    }
}

private struct StageKey: Hashable {
    var run: ObjectKey
    var stage: Int
}

/// One phase (before or after) of one stage of one run: what a stage turns Waiting for.
private struct WaitingPhase: Hashable {
    var run: ObjectKey
    var stage: Int
    var phase: TaskRef.Phase
}

private struct TaskKey: Hashable {
    var run: ObjectKey
    var stage: Int
    var phase: TaskRef.Phase
    var task: Int
}
