public import FleetAPI
public import Foundation

/// What a staged update run looks like to someone watching it: its stages in order, the clusters in each and
/// the gates (timed waits and approvals) between them, each with the times its status conditions recorded.
///
/// Built from the run's JSON as the API serves it, so the terminal view, the timeline and any other picture read
/// the same facts. Pure: the moment to measure running steps against is passed in where it is needed.
///
/// ```swift
/// let view = try RunView(run: json, approvals: ["example-run-canary": Approval(by: "admin", at: t, message: "lgtm")])
/// print(StatusLines.render(view, now: Date(), style: .plain).joined(separator: "\n"))
/// ```
public struct RunView: Sendable, Equatable {
    /// `ClusterStagedUpdateRun` or `StagedUpdateRun`.
    public var kind: String
    public var namespace: String?
    public var name: String
    public var placement: String
    public var resourceSnapshotIndex: String
    public var policySnapshotIndex: String?
    /// The run's conditions in their served order.
    public var conditions: [ConditionView]
    public var stages: [StageView]
    /// The clusters the run removes the placement from, when there are any.
    public var deletion: StageView?

    public var isNamespaced: Bool { namespace != nil }
    /// When the run was initialized, the start of its timeline.
    public var start: Date? { conditions.first { $0.type == "Initialized" }?.time ?? stages.compactMap(\.start).min() }
    /// When the run finished, successfully or not.
    public var end: Date? { conditions.first { $0.type == "Succeeded" && $0.status != "Unknown" }?.time }
    public var state: RunState {
        if let succeeded = conditions.first(where: { $0.type == "Succeeded" }) {
            if succeeded.status == "True" { return .succeeded }
            if succeeded.status == "False" { return .failed }
        }
        if let initialized = conditions.first(where: { $0.type == "Initialized" }), initialized.status == "False" {
            return .failed
        }
        guard let progressing = conditions.first(where: { $0.type == "Progressing" }) else { return .pending }
        switch progressing.reason {
        case "UpdateRunWaiting": return .waiting
        case "UpdateRunStuck": return .stuck
        case "UpdateRunStopping", "UpdateRunStopped": return .stopped
        default: return .running
        }
    }
}

public enum RunState: String, Sendable, Equatable {
    case pending = "Pending", running = "Progressing", waiting = "Waiting", stuck = "Stuck", stopped = "Stopped",
        succeeded = "Succeeded", failed = "Failed"

    public var isFinished: Bool { self == .succeeded || self == .failed }
}

/// One condition, as the one-line summary shows it.
public struct ConditionView: Sendable, Equatable {
    public var type: String
    public var status: String
    public var reason: String
    public var message: String
    public var time: Date?
}

public struct StageView: Sendable, Equatable {
    public enum State: String, Sendable, Equatable {
        case pending = "Pending", running = "Updating", waiting = "Waiting", stopped = "Stopped",
            succeeded = "Succeeded", skipped = "Skipped", failed = "Failed"
    }

    public var name: String
    public var state: State
    public var start: Date?
    public var end: Date?
    /// Approvals that must be granted before the stage's clusters start.
    public var before: [GateView]
    public var clusters: [ClusterView]
    /// Waits and approvals after the stage's clusters finish.
    public var after: [GateView]

    /// Steps done and steps in all: each cluster and each gate is one.
    public var progress: (done: Int, total: Int) {
        let gates = before + after
        return (clusters.filter(\.state.isDone).count + gates.filter(\.isDone).count, clusters.count + gates.count)
    }
}

public struct ClusterView: Sendable, Equatable {
    public enum State: String, Sendable, Equatable {
        case pending = "Pending", updating = "Updating", succeeded = "Succeeded", skipped = "Skipped", failed = "Failed"

        public var isDone: Bool { self == .succeeded || self == .skipped }
    }

    public var name: String
    public var state: State
    public var start: Date?
    public var end: Date?
    /// Why it failed or was skipped.
    public var message: String?
}

/// A wait or an approval between stages: when it opened, when it was passed, and for an approval who passed it.
public struct GateView: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case timedWait(GoDuration)
        case approval(request: String?)
        /// Flotilla's ScheduleWindow or MetricGate (`type`): it passes when its condition turns True, whose
        /// message says why it holds; a metric gate past its failure limit has failed.
        case flotilla(type: String, message: String?, failed: Bool)
    }

    public var kind: Kind
    /// When the gate began to hold the run: the stage turned Waiting, or the approval was requested.
    public var opened: Date?
    /// When it let the run through: the wait elapsed, or the approval was accepted.
    public var passed: Date?
    /// Who approved, when and with what words, when the audit says.
    public var approval: Approval?

    public var isDone: Bool { passed != nil }
    /// A timed wait's end: opened plus its wait time.
    public var deadline: Date? {
        guard case .timedWait(let wait) = kind, let opened else { return nil }
        return opened.addingTimeInterval(Double(wait.milliseconds) / 1000)
    }
}

/// An approval as the journal's audit records it.
public struct Approval: Sendable, Equatable {
    public var by: String
    public var at: Date
    public var message: String

    public init(by: String, at: Date, message: String) {
        self.by = by
        self.at = at
        self.message = message
    }
}

/// A run whose JSON is not a staged update run's shape; names the field and what it must be.
public struct RunViewError: Error, Equatable, CustomStringConvertible {
    public var field: String
    public var rule: String

    public var description: String { "\(field): \(rule)" }
}
