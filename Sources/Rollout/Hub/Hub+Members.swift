import FleetAPI
import Foundation

extension Hub {
    /// The member work an event asks for; handed to the member only once the event is durable.
    func dispatch(of event: FleetEvent, by actor: String) -> [MemberWork] {
        switch event {
        case .objectDeleted(let e) where e.key.kind == ResourceKind.work.kind && actor != WorkWriter.actor:
            // Someone else deleted a Work the hub still means: it is written again, as KubeFleet's work generator
            // recreates it.
            return boundWork(for: e.key).map { [$0] } ?? []
        case .clusterUpdateStarted(let ref):
            guard let run = working.runs[ref.run], let work = work(for: ref.cluster, stage: ref.stage, of: run) else { return [] }
            return [work]
        case .clusterRolloutStarted(let e):
            return rolloutWork(for: e.cluster, of: e.placement).map { [$0] } ?? []
        case .clusterRolloutRemoved(let e):
            return [MemberWork(cluster: e.cluster, placement: e.placement, action: .remove)]
        default:
            return []
        }
    }

    /// The work a Work named `key` stands for: what its cluster is bound to, by a run or a rolling update.
    func boundWork(for key: ObjectKey) -> MemberWork? {
        guard let (cluster, placement) = WorkWriter.target(ofWork: key) else { return nil }
        guard let binding = working.placements[placement]?.bindings[cluster] else { return nil }
        guard let runKey = binding.run else { return rolloutWork(for: cluster, of: placement) }
        guard let run = working.runs[runKey], let stages = run.status.stagesStatus,
            let stage = stages.firstIndex(where: { $0.clusters.contains { $0.clusterName == cluster } })
        else { return nil }
        return work(for: cluster, stage: stage, of: run)
    }

    /// What a rolling update asks of a member: the snapshot and override snapshots the cluster is bound to.
    func rolloutWork(for cluster: String, of placement: ObjectKey) -> MemberWork? {
        guard let state = working.placements[placement], let index = state.bindings[cluster]?.resourceIndex,
            state.bindings[cluster]?.run == nil, let snapshot = state.resourceSnapshots[index]
        else { return nil }
        let applyStrategy = state.spec?.strategy?.applyStrategy
        let overrides = state.bindings[cluster]?.overrides ?? []
        do {
            let objects = try Overrides.apply(snapshot.resources, snapshots: overrides, cluster: cluster, in: working)
            let action: MemberWork.Action = applyStrategy?["type"]?.stringValue == "ReportDiff"
                ? .reportDiff(resourceIndex: index, objects: objects) : .apply(resourceIndex: index, objects: objects)
            return MemberWork(cluster: cluster, placement: placement, action: action, applyStrategy: applyStrategy)
        } catch {
            return MemberWork(cluster: cluster, placement: placement, action: .fail(resourceIndex: index, message: error.description))
        }
    }

    func work(for cluster: String, stage: Int, of run: UpdateRunState) -> MemberWork? {
        if stage >= run.status.stagesStatus?.count ?? 0 {
            return MemberWork(cluster: cluster, placement: run.placement, action: .remove)
        }
        guard let index = run.snapshotIndex(for: cluster),
            let snapshot = working.placements[run.placement]?.resourceSnapshots[index]
        else { return nil }
        let objects: [JSON]
        do {
            objects = try Overrides.apply(snapshot.resources, snapshots: run.overrides[cluster] ?? [], cluster: cluster, in: working)
        } catch {
            return MemberWork(cluster: cluster, placement: run.placement, action: .fail(resourceIndex: index, message: error.description))
        }
        let action: MemberWork.Action = run.reportsDiff
            ? .reportDiff(resourceIndex: index, objects: objects) : .apply(resourceIndex: index, objects: objects)
        return MemberWork(cluster: cluster, placement: run.placement, action: action, applyStrategy: run.applyStrategy)
    }

    func inFlightWork(_ run: UpdateRunState) -> [MemberWork] {
        var all = run.status.stagesStatus ?? []
        if let deletion = run.status.deletionStageStatus { all.append(deletion) }
        return all.enumerated().flatMap { index, stage in
            stage.clusters.filter {
                ($0.conditions ?? [])[type: "Started"] != nil && ($0.conditions ?? [])[type: "Succeeded"] == nil
            }.compactMap { work(for: $0.clusterName, stage: index, of: run) }
        }
    }

    func schedule(_ work: MemberWork, after delay: TimeInterval? = nil) {
        if isDone(work) { return }
        agenda.add(work, at: clock.now().addingTimeInterval(delay ?? members.latency))
        armTimer()
    }

    /// Work is done when the member already holds it, and void when another run has since bound the cluster to
    /// another snapshot.
    private func isDone(_ work: MemberWork) -> Bool {
        let member = working.members[work.cluster]
        let applied = member?.applied[work.placement]
        let bound = working.placements[work.placement]?.bindings[work.cluster]?.resourceIndex
        // What a member was handed may be gone since (a Work deleted by hand): then it is handed over again.
        let holds = members.holds(work, in: working)
        switch work.action {
        case .apply(let index, _), .fail(let index, _):
            return (applied?.resourceIndex == index && holds) || (bound != nil && bound != index)
        case .reportDiff(let index, _):
            return (member?.reported[work.placement]?.resourceIndex == index && holds) || (bound != nil && bound != index)
        case .remove: return applied == nil
        }
    }

    func perform(_ item: Agenda.Item) throws {
        if case .deadline(let key) = item { dirty.due(key) }
        guard case .member(let work) = item, !isDone(work), working.members[work.cluster] != nil else { return }
        let actor = "member/\(work.cluster)"
        let outcome: MemberOutcome
        switch members.deliver(work, in: working) {
        case .record(let events, let writer):
            try record(events, actor: writer)
            return
        case .reported(let reported):
            outcome = reported
        }
        let attempt = MemberAttempt(cluster: work.cluster, placement: work.placement)
        if case .failed = outcome { failedAttempts[attempt, default: 0] += 1 } else { failedAttempts[attempt] = nil }
        switch outcome {
        case .applied(let index, let objects):
            try record(
                [
                    .memberApplied(
                        MemberApplied(
                            cluster: work.cluster, placement: work.placement, resourceIndex: index, objects: objects,
                            untrackable: objects.allSatisfy(AvailabilityTracking.isTrackable) ? nil : true))
                ],
                actor: actor)
        case .removed:
            try record([.memberRemoved(MemberRemoved(cluster: work.cluster, placement: work.placement))], actor: actor)
        case .diffReported(let index, let differences):
            try record(
                [.memberDiffReported(MemberDiffReported(cluster: work.cluster, placement: work.placement, resourceIndex: index, differences: differences))],
                actor: actor)
        case .failed(let index, let message):
            // One event per change of outcome: retries that fail the same way are not news.
            let last = working.members[work.cluster]?.failures[work.placement]
            if last?.resourceIndex != index || last?.message != message {
                try record(
                    [.memberApplyFailed(MemberApplyFailed(cluster: work.cluster, placement: work.placement, resourceIndex: index, message: message))],
                    actor: actor)
            }
            schedule(work, after: members.retryDelay(afterFailures: failedAttempts[attempt] ?? 1))
        }
    }
}

/// One member's work for one placement, whose failures in a row set the next retry's delay.
struct MemberAttempt: Hashable {
    var cluster: String
    var placement: ObjectKey
}
