import FleetAPI
import Foundation

/// Audit queries: pure functions from decoded events to lines, each carrying the seq it comes from.
///
/// ```swift
/// let lines = Audit.lines(try History.envelopes(journal), AuditQuery(run: ObjectKey(.clusterStagedUpdateRun, name: "example-run")))
/// ```
public enum Audit {
    /// The lines `query` asks for, in seq order: a run's every step (its object's edits, its controller's
    /// steps, its approval requests and who approved them, the member reports for its clusters), or the
    /// placements and snapshot indices a cluster held and when, or every event; then only the actor's, and only
    /// those that meet the time window.
    public static func lines(_ envelopes: [Envelope], _ query: AuditQuery) -> [AuditLine] {
        var trail = AuditTrail()
        var lines: [AuditLine] = []
        for envelope in envelopes {
            let (line, runs) = trail.fold(envelope)
            if query.cluster == nil, query.run.map(runs.contains) ?? true { lines.append(line) }
        }
        if let cluster = query.cluster { lines = trail.holdings.filter { $0.cluster == cluster }.map(\.line) }
        return lines.filter { line in
            (query.actor.map { Self.actor(line.actor, is: $0) } ?? true) && query.overlaps(from: line.time, to: query.cluster == nil ? line.time : line.until)
        }
    }

    /// Whether `recorded` names `user`: as the one who acted, or as either side of `real (as impersonated)`.
    static func actor(_ recorded: String, is user: String) -> Bool {
        if recorded == user { return true }
        guard recorded.hasSuffix(")"), let split = recorded.range(of: " (as ") else { return false }
        return recorded[..<split.lowerBound] == user || recorded[split.upperBound...].dropLast() == user
    }

    /// SHA-256 of the canonical JSON of a run's `UpdateRunInitialized` payload: the bytes the journal stores, so
    /// `flotilla journal log --payload` and `sha256sum` reproduce it.
    public static func planHash(_ plan: UpdateRunInitialized) -> String {
        ResourceHash.sha256Hex((try? FleetEvent.updateRunInitialized(plan).payload().serialized()) ?? [])
    }
}

/// What the audit has learned from the events so far: enough to name stages, tie approval requests and member
/// reports to their run, and follow what each cluster holds.
struct AuditTrail {
    struct Holding {
        var cluster: String
        var placement: ObjectKey
        var index: Int
        var line: AuditLine
    }

    var runPlacements: [ObjectKey: ObjectKey] = [:]
    /// The snapshot index each run's spec names, if any.
    var runIndices: [ObjectKey: String?] = [:]
    var runStages: [ObjectKey: [String]] = [:]
    var runPlans: [ObjectKey: String] = [:]
    var requests: [ObjectKey: (run: ObjectKey, stage: String)] = [:]
    var approved: Set<ObjectKey> = []
    var inFlight: [ObjectKey: Set<String>] = [:]
    /// The run that last started each cluster of each placement: who put what a member holds there.
    var bindings: [ObjectKey: [String: ObjectKey]] = [:]
    var holdings: [Holding] = []
    /// Where in `holdings` the open holding of each cluster and placement is.
    var open: [String: [ObjectKey: Int]] = [:]

    /// The event's line, and the runs it is part of.
    mutating func fold(_ envelope: Envelope) -> (AuditLine, Set<ObjectKey>) {
        var line = AuditLine(seq: envelope.seq, time: envelope.time, actor: envelope.actor, object: envelope.event.stream, action: envelope.event.action)
        var runs: Set<ObjectKey> = envelope.event.runKey.map { [$0] } ?? []
        switch envelope.event {
        case .objectCreated(let e):
            if e.key.resourceKind == .clusterApprovalRequest || e.key.resourceKind == .approvalRequest,
                let runName = e.object[path: ["spec", "parentStageRollout"]]?.stringValue,
                let stage = e.object[path: ["spec", "targetStage"]]?.stringValue
            {
                let runKind: ResourceKind = e.key.resourceKind == .clusterApprovalRequest ? .clusterStagedUpdateRun : .stagedUpdateRun
                let run = ObjectKey(runKind, namespace: e.key.namespace, name: runName)
                requests[e.key] = (run, stage)
                approved.remove(e.key)
                line.detail = "for stage \(stage)"
            }
            if let placementName = e.object[path: ["spec", "placementName"]]?.stringValue, runKinds.contains(e.key.kind) {
                runPlacements[e.key] = PlacementNames.placementKey(forRun: e.key, placementName: placementName)
                runIndices[e.key] = e.object[path: ["spec", "resourceSnapshotIndex"]]?.stringValue
                line.detail = "placement \(placementName), snapshot \(e.object[path: ["spec", "resourceSnapshotIndex"]]?.stringValue ?? "latest"), strategy \(e.object[path: ["spec", "stagedRolloutStrategyName"]]?.stringValue ?? "")"
            }
            if e.key.resourceKind == .clusterResourceSnapshot || e.key.resourceKind == .resourceSnapshot {
                let index = e.object[path: ["metadata", "labels", FleetLabel.resourceIndex]]?.stringValue ?? ""
                line.action = "ResourceSnapshotRecreated"
                line.detail = "index \(index), hash \(e.object[path: ["metadata", "annotations", FleetLabel.resourceHash]]?.stringValue ?? "")"
                // Re-created for the runs about to initialize with that index: part of their story.
                runs = Set(runIndices.filter { run, wanted in
                    wanted == index && runStages[run] == nil && runPlacements[run].map { PlacementNames.resourceSnapshotKey($0, index: Int(index) ?? -1) } == e.key
                }.keys)
            }
        case .objectStatusUpdated(let e):
            if let request = requests[e.key] {
                let condition = e.status["conditions"]?.arrayValue?.first { $0["type"]?.stringValue == "Approved" }
                let isApproved = condition?["status"]?.stringValue == "True"
                if isApproved && !approved.contains(e.key) {
                    line.action = "Approved"
                    line.message = condition?["message"]?.stringValue ?? ""
                    line.plan = runPlans[request.run]
                    line.detail = "stage \(request.stage) of \(request.run.name): \"\(line.message!)\"; plan \(line.plan ?? "none")"
                } else if !isApproved && approved.contains(e.key) {
                    line.action = "ApprovalWithdrawn"
                    line.detail = "stage \(request.stage) of \(request.run.name)"
                }
                if isApproved { approved.insert(e.key) } else { approved.remove(e.key) }
            }
        case .objectDeleted(let e):
            if (e.key.resourceKind == .clusterResourceSnapshot || e.key.resourceKind == .resourceSnapshot) && envelope.actor == PlacementController.actor {
                line.action = "ResourceSnapshotPruned"
            }
            if e.key.resourceKind == .memberCluster {
                for placement in (open[e.key.name] ?? [:]).keys.sorted() { close(e.key.name, placement, at: envelope.time) }
            }
        case .resourceSnapshotCreated(let e):
            line.detail = "index \(e.index), hash \(e.hash)"
        case .policySnapshotCreated(let e):
            line.detail = "index \(e.index), clusters \(Self.list(e.clusters))"
        case .placementScheduled(let e):
            line.detail = "clusters \(Self.list(e.clusters))"
        case .clusterRolloutStarted(let e):
            line.detail = "\(e.cluster): snapshot \(e.resourceIndex)"
        case .clusterRolloutRemoved(let e):
            line.detail = e.cluster
        case .updateRunInitialized(let e):
            let plan = Audit.planHash(e)
            runStages[e.run] = e.stages.map(\.name)
            runPlans[e.run] = plan
            line.plan = plan
            let stages = e.stages.map { "\($0.name) [\($0.clusters.joined(separator: " "))]" }.joined(separator: ", ")
            line.detail = "snapshot \(e.resourceSnapshotIndex), stages \(stages); plan \(plan)"
        case .updateRunInitializationFailed(let e), .updateRunFailed(let e):
            line.detail = e.message
        case .stageSkipped(let e), .stageWaiting(let e), .stageSucceeded(let e), .updateRunStopping(let e), .updateRunStopped(let e), .updateRunResumed(let e):
            line.detail = "stage \(stageName(e.run, e.stage))"
        case .clusterUpdateStarted(let e):
            line.detail = "stage \(stageName(e.run, e.stage)): \(e.cluster)"
            inFlight[e.run, default: []].insert(e.cluster)
            if let placement = runPlacements[e.run] { bindings[placement, default: [:]][e.cluster] = e.run }
        case .clusterUpdateSucceeded(let e), .clusterUpdateSkipped(let e):
            line.detail = "stage \(stageName(e.run, e.stage)): \(e.cluster)"
            inFlight[e.run]?.remove(e.cluster)
        case .metricMeasured(let e):
            line.detail = "\(e.phase) stage \(stageName(e.run, e.stage)): \(e.passed ? "passed" : "failed"): \(e.message)"
        case .scheduleWindowOpened(let e), .scheduleWindowClosed(let e):
            line.detail = "before stage \(stageName(e.run, e.stage)) until \(e.until ?? "never")"
        case .clusterUpdateAvailable(let e):
            line.detail = "stage \(stageName(e.run, e.stage)): \(e.cluster) soaking"
        case .clusterUpdateFailed(let e):
            line.detail = "stage \(stageName(e.run, e.stage)): \(e.cluster): \(e.message)"
            inFlight[e.run]?.remove(e.cluster)
        case .updateRunStuck(let e):
            line.detail = "stage \(stageName(e.run, e.stage)): \(Self.list(e.clusters))"
        case .timedWaitElapsed(let e), .approvalRequested(let e), .approvalTaskApproved(let e):
            line.detail = "\(e.phase) stage \(stageName(e.run, e.stage))"
        case .approvalAccepted(let e):
            runs = requests[e.request].map { [$0.run] } ?? []
            line.detail = requests[e.request].map { "stage \($0.stage) of \($0.run.name)" } ?? ""
        case .approvalDecided(let e):
            runs = [e.run]
            line.detail = "\(e.request.name) \(e.approved ? "approved" : "rejected") by \(e.approver) on plan \(e.planHash): \(e.message)"
        case .updateRunSucceeded, .objectUpdated:
            break
        case .memberApplied(let e):
            runs = runsUpdating(e.cluster, of: e.placement)
            line.detail = "\(e.placement.name) snapshot \(e.resourceIndex)"
            hold(e, line: line)
        case .memberApplyFailed(let e):
            runs = runsUpdating(e.cluster, of: e.placement)
            line.detail = "\(e.placement.name) snapshot \(e.resourceIndex): \(e.message)"
        case .memberDiffReported(let e):
            runs = runsUpdating(e.cluster, of: e.placement)
            line.detail = "\(e.placement.name) snapshot \(e.resourceIndex): \(e.differences.count) differences"
        case .memberRemoved(let e):
            runs = runsUpdating(e.cluster, of: e.placement)
            line.detail = e.placement.name
            close(e.cluster, e.placement, at: envelope.time)
        case .controllerHalted(let e):
            if runKinds.contains(e.key.kind) { runs.insert(e.key) }
            line.detail = e.message
        }
        if case .objectCreated(let e) = envelope.event, let request = requests[e.key] { runs.insert(request.run) }
        if case .objectStatusUpdated(let e) = envelope.event, let request = requests[e.key] { runs.insert(request.run) }
        if case .objectDeleted(let e) = envelope.event, let request = requests[e.key] { runs.insert(request.run) }
        if let key = envelope.event.objectKey, runKinds.contains(key.kind) { runs.insert(key) }
        return (line, runs)
    }

    private let runKinds: Set<String> = [ResourceKind.clusterStagedUpdateRun.kind, ResourceKind.stagedUpdateRun.kind]

    private func stageName(_ run: ObjectKey, _ stage: Int) -> String {
        let names = runStages[run] ?? []
        if stage == names.count { return FleetLabel.deleteStageName }
        return stage < names.count ? names[stage] : String(stage)
    }

    private func runsUpdating(_ cluster: String, of placement: ObjectKey) -> Set<ObjectKey> {
        Set(inFlight.filter { runPlacements[$0.key] == placement && $0.value.contains(cluster) }.keys)
    }

    /// A member reported a snapshot applied: a new holding unless it already held that index.
    private mutating func hold(_ e: MemberApplied, line: AuditLine) {
        if let index = open[e.cluster]?[e.placement], holdings[index].index == e.resourceIndex { return }
        close(e.cluster, e.placement, at: line.time)
        let run = bindings[e.placement]?[e.cluster]
        var held = line
        held.object = e.placement.description
        held.action = "Held"
        held.detail = "snapshot \(e.resourceIndex)" + (run.map { " via \($0.description)" } ?? "")
        open[e.cluster, default: [:]][e.placement] = holdings.count
        holdings.append(Holding(cluster: e.cluster, placement: e.placement, index: e.resourceIndex, line: held))
    }

    private mutating func close(_ cluster: String, _ placement: ObjectKey, at time: Date) {
        guard let index = open[cluster]?[placement] else { return }
        holdings[index].line.until = time
        open[cluster]?[placement] = nil
    }

    static func list(_ names: [String]) -> String {
        names.isEmpty ? "none" : names.joined(separator: " ")
    }
}

extension FleetEvent {
    /// The event's type without its payload version: the audit's action.
    var action: String { String(typeName.prefix { $0 != "." }) }

    /// The object a generic object event is about.
    var objectKey: ObjectKey? {
        switch self {
        case .objectCreated(let e): e.key
        case .objectUpdated(let e): e.key
        case .objectStatusUpdated(let e): e.key
        case .objectDeleted(let e): e.key
        default: nil
        }
    }
}
