import FleetAPI
import Foundation

/// Flotilla's approval rules on top of KubeFleet's: each request names the plan it approves, `Approved=False`
/// rejects, `flotilla.dev/approval-timeout` bounds the wait, and `flotilla.dev/four-eyes` keeps a run's creator
/// from approving it. A run without these annotations is approved exactly as in KubeFleet, rejection aside.
public struct ApprovalRules: Sendable, Hashable, Codable {
    /// How long a request may wait for approval; nil without `flotilla.dev/approval-timeout`.
    public var timeout: TimeInterval?
    /// `flotilla.dev/four-eyes: "true"`.
    public var fourEyes = false
    /// The journal's actor of the run's creation.
    public var creator: String?
    /// The last decision recorded on each of the run's requests, by request name.
    public var decisions: [String: ApprovalDecision] = [:]

    public init() {}

    mutating func configure(timeout: TimeInterval?, fourEyes: Bool) {
        self.timeout = timeout
        self.fourEyes = fourEyes
    }
}

extension UpdateRunState {
    /// The SHA-256 of the frozen plan, as `flotilla.dev/plan-hash` shows it: stages with their clusters in order,
    /// the resource snapshot index and each cluster's override snapshots. Equal plans give equal hashes.
    public var planHash: String {
        var text = "snapshot \(resourceSnapshotIndex.map(String.init) ?? "")\n"
        for stage in stages {
            text += "stage \(stage.stageName)\n"
            for cluster in stage.clusters {
                let overrides = (overrides[cluster.clusterName] ?? []).map(\.description).joined(separator: ",")
                text += "cluster \(cluster.clusterName) \(overrides)\n"
            }
        }
        return "sha256:" + ResourceHash.sha256Hex(Array(text.utf8))
    }
}

extension UpdateRunController {
    /// A request whose `Approved` condition is `False` at its generation fails the run with the approver's
    /// message; KubeFleet reads it as "not approved yet".
    static func rejection(of key: ObjectKey, _ request: StoredObject, conditions: [Condition], run: UpdateRunState) -> FleetEvent? {
        guard let approved = conditions[type: "Approved"], approved.status == .false,
            approved.observedGeneration == request.generation
        else { return nil }
        let approver = run.approvals.decisions[key.name].map { " by \($0.approver)" } ?? ""
        return .updateRunFailed(RunMessage(
            run: run.key,
            message: "cannot continue the updateRun: the approval request `\(key.name)` was rejected\(approver): \(approved.message)"))
    }

    /// With `flotilla.dev/approval-timeout`, a request still waiting when the timeout has passed since it was
    /// created fails the run. The wait counts from the recorded creation, so a restart does not extend it.
    static func approvalExpiry(_ ref: TaskRef, conditions: [Condition], stageName: String, run: UpdateRunState, now: Date) -> FleetEvent? {
        guard let deadline = approvalDeadline(conditions, run: run), now >= deadline, let timeout = run.approvals.timeout else { return nil }
        let key = PlacementNames.approvalRequestKey(run: run.key, stage: stageName, phase: ref.phase)
        let shown = GoDuration(milliseconds: Int64(timeout * 1000))
        return .updateRunFailed(RunMessage(
            run: run.key,
            message: "cannot continue the updateRun: the approval request `\(key.name)` was not approved within the "
                + "approval timeout of \(shown) (\(FleetLabel.approvalTimeout))"))
    }

    /// When a created, unapproved request's wait ends.
    static func approvalDeadline(_ conditions: [Condition], run: UpdateRunState) -> Date? {
        guard let timeout = run.approvals.timeout, !conditions.isTrue("ApprovalRequestApproved"),
            let created = conditions[type: "ApprovalRequestCreated"], created.status == .true
        else { return nil }
        return created.lastTransitionTime.addingTimeInterval(timeout)
    }

    /// The approval timeouts still ahead in the stage, before or after it.
    static func approvalDeadlines(stage index: Int, of run: UpdateRunState, now: Date) -> [Date] {
        let stage = run.stages[index]
        let tasks = (stage.beforeStageTaskStatus ?? []) + (stage.afterStageTaskStatus ?? [])
        return tasks.compactMap { approvalDeadline($0.conditions ?? [], run: run) }.filter { $0 > now }
    }
}

/// The approval rules a user's write must pass, decided inside the hub on the events the write would record:
/// a status write that sets a request's `Approved` condition at its generation is recorded with an
/// `ApprovalDecided` event naming the user and the plan, unless the four-eyes rule refuses it, which records
/// nothing. Pure.
public enum ApprovalPolicy {
    public static func review(_ events: [FleetEvent], by actor: String, in state: HubState) throws(HubError) -> [FleetEvent] {
        var reviewed = events
        for event in events {
            guard case .objectStatusUpdated(let update) = event,
                [ResourceKind.clusterApprovalRequest.kind, ResourceKind.approvalRequest.kind].contains(update.key.kind),
                let request = state.objects[update.key],
                let runKey = FleetEvent.run(ofApproval: update.key, object: request.json), let run = state.runs[runKey]
            else { continue }
            let before = ApprovalRequestStatus.conditions(of: request.status)
            guard !before.isTrue("ApprovalAccepted"),
                let approved = ApprovalRequestStatus.conditions(of: update.status)[type: "Approved"],
                approved.observedGeneration == request.generation,
                before[type: "Approved"]?.status != approved.status || before[type: "Approved"]?.observedGeneration != request.generation
            else { continue }
            if approved.status == .true, run.approvals.fourEyes, let creator = run.approvals.creator,
                !users(of: creator).isDisjoint(with: users(of: actor))
            {
                throw .forbidden(
                    kind: state.kind(of: update.key)?.plural ?? update.key.kind, name: update.key.name,
                    message: "\(FleetLabel.fourEyes): \(creator) created the run \"\(run.key.name)\" and may not approve it; "
                        + "another user must approve")
            }
            reviewed.append(.approvalDecided(ApprovalDecision(
                request: update.key, run: runKey, approved: approved.status == .true, approver: actor, planHash: run.planHash,
                message: approved.message)))
        }
        return reviewed
    }

    /// The users an actor names: `alice`, or both of `alice (as bob)`. An anonymous impersonator (`--insecure-http`)
    /// vouches for nobody, so only the impersonated user counts.
    static func users(of actor: String) -> Set<String> {
        guard actor.hasSuffix(")"), let open = actor.range(of: " (as ") else { return [actor] }
        let impersonator = String(actor[..<open.lowerBound])
        let user = String(actor[open.upperBound...].dropLast())
        return impersonator == "system:anonymous" ? [user] : [impersonator, user]
    }
}
