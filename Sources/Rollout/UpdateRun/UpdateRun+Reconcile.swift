import FleetAPI
import Foundation

/// KubeFleet's update-run controller as a pure function of the hub's state and the time: each call returns
/// the next events the run should record, or none when it must wait for something to change.
public enum UpdateRunController {
    /// How long a cluster may take before the run reports `UpdateRunStuck` (KubeFleet's fixed 5 minutes).
    public static let stuckThreshold: TimeInterval = 300

    /// `revalidating: false` skips KubeFleet's drift checks, for a run whose placement, members and spec have not
    /// changed since they last passed.
    public static func reconcile(
        _ run: UpdateRunState, in state: HubState, now: Date, revalidating: Bool = true
    ) -> [FleetEvent] {
        if run.isFinished { return rollback(after: run, in: state) }
        if run.initializationFailed { return [] }
        guard run.isInitialized else { return initialize(run, in: state).events(of: run.key) }
        if revalidating, let message = revalidate(run, in: state) {
            return [.updateRunFailed(RunMessage(run: run.key, message: message))]
        }
        switch run.desiredState {
        case .initialize: return []
        case .stop: return stop(run, in: state, now: now)
        case .run:
            if run.isStopping || run.isStopped {
                return [.updateRunResumed(StageRef(run: run.key, stage: run.currentStageIndex ?? run.stages.count))]
            }
            guard let index = run.currentStageIndex else { return deletionStage(run, in: state) }
            return execute(stage: index, of: run, in: state, now: now)
        }
    }

    /// KubeFleet 2.9: start nothing new, follow in-flight clusters to the end, then report the run stopped.
    /// Approvals given meanwhile are accepted only after the run resumes.
    static func stop(_ run: UpdateRunState, in state: HubState, now: Date) -> [FleetEvent] {
        let index = run.currentStageIndex ?? run.stages.count
        let ref = StageRef(run: run.key, stage: index)
        if run.isStopped { return [] }
        if !run.isStopping { return [.updateRunStopping(ref)] }
        let clusters = index < run.stages.count ? run.stages[index].clusters : run.status.deletionStageStatus?.clusters ?? []
        var inFlight = false
        for cluster in clusters {
            let conditions = cluster.conditions ?? []
            guard conditions[type: "Started"] != nil, conditions[type: "Succeeded"] == nil else { continue }
            let done = index < run.stages.count
                ? isUpdated(cluster.clusterName, run, in: state)
                : state.members[cluster.clusterName]?.applied[run.placement] == nil
            let ref = ClusterRef(run: run.key, stage: index, cluster: cluster.clusterName)
            if done, index < run.stages.count {
                if let event = soaked(cluster, ref, of: run, now: now).event { return [event] }
            } else if done {
                return [.clusterUpdateSucceeded(ref)]
            }
            inFlight = true
        }
        return inFlight ? [] : [.updateRunStopped(ref)]
    }

    /// The next moment the run needs to be looked at even if nothing else changes: a TimedWait's end, the
    /// moment an in-flight cluster becomes stuck or passes its progress deadline, a soak's end, a schedule
    /// window opening or closing before its stage starts, or a metric gate's next measurement.
    public static func nextDeadline(_ run: UpdateRunState, now: Date) -> Date? {
        guard run.isInitialized, !run.isFinished, run.desiredState != .initialize, let index = run.currentStageIndex else {
            return nil
        }
        let stage = run.stages[index]
        var deadlines: [Date] = []
        for cluster in stage.clusters {
            let conditions = cluster.conditions ?? []
            if let started = conditions[type: "Started"], conditions[type: "Succeeded"] == nil {
                let stuckAt = started.lastTransitionTime.addingTimeInterval(run.stuckThreshold)
                if stuckAt > now { deadlines.append(stuckAt) }
                // A soak ends, or the progress deadline passes; one already past was acted on when it passed.
                var end: Date?
                if let available = conditions[type: "Available"], available.status == .true, let soak = run.minSuccessTime {
                    end = available.lastTransitionTime.addingTimeInterval(soak)
                } else if let deadline = run.progressDeadline {
                    end = started.lastTransitionTime.addingTimeInterval(deadline)
                }
                if let end, end > now { deadlines.append(end) }
            }
        }
        if run.desiredState == .run {
            deadlines += scheduleWindowDeadlines(stage: index, of: run, now: now) + approvalDeadlines(stage: index, of: run, now: now)
        }
        // One due by now is the hub's to take as the run settles; its answer brings the next one's time.
        deadlines += nextMeasurements(run).map(\.due).filter { $0 > now }
        if run.desiredState == .run, let waitingSince = waitingSince(stage) {
            for (taskIndex, task) in (run.strategyStages[index].afterStageTasks ?? []).enumerated()
            where task.type == .timedWait && !(stage.afterStageTaskStatus?[taskIndex].conditions ?? []).isTrue("WaitTimeElapsed") {
                deadlines.append(waitingSince.addingTimeInterval(Double(task.waitTime?.milliseconds ?? 0) / 1000))
            }
        }
        return deadlines.min()
    }

    /// KubeFleet 2.6, the drifts that abort a run in this version: the placement gone or no longer External, or
    /// a new policy snapshot.
    static func revalidate(_ run: UpdateRunState, in state: HubState) -> String? {
        guard let spec = state.placements[run.placement]?.spec else {
            return UpdateRunError.validationFailed(user: "parent placement not found")
        }
        guard spec.strategyType == .external else {
            return UpdateRunError.validationFailed(
                user: "parent placement does not have an external rollout strategy, current strategy: "
                    + spec.strategyType.rawValue)
        }
        if spec.strategy?.applyStrategy != run.applyStrategy {
            return UpdateRunError.validationFailed(
                user: "the applyStrategy in the updateRun is outdated, latest: "
                    + "\(spec.strategy?.applyStrategy?.serializedString() ?? "null"), recorded: "
                    + "\(run.applyStrategy?.serializedString() ?? "null")")
        }
        let placement = state.placements[run.placement]
        let latest = placement?.policyIndex.map(String.init) ?? ""
        if let used = run.status.policySnapshotIndexUsed, used != latest {
            return UpdateRunError.validationFailed(
                unexpected: "the policy snapshot index used in the updateRun is outdated, latest: \(latest), "
                    + "recorded: \(used)")
        }
        if run.frozenMembership { return nil }
        let scheduled = placement?.scheduledClusters ?? []
        if spec.placementType != .pickAll, scheduled.count != run.status.policyObservedClusterCount {
            return UpdateRunError.validationFailed(
                unexpected: "the cluster count initialized in the updateRun is outdated, latest: \(scheduled.count), "
                    + "recorded: \(run.status.policyObservedClusterCount ?? 0)")
        }
        return membershipDrift(run, scheduled: scheduled, in: state)
    }

    /// KubeFleet 2.6 step 5: the stages recomputed from the frozen strategy and live labels must match the plan.
    static func membershipDrift(_ run: UpdateRunState, scheduled: [String], in state: HubState) -> String? {
        guard let strategy = run.status.stagedUpdateStrategySnapshot else { return nil }
        let current: [UpdateRunInitialized.Stage]
        switch mapStages(strategy, strategyName: run.spec.stagedRolloutStrategyName, selected: scheduled, labels: state.memberLabels) {
        case .failure(let message): return message
        case .success(let stages): current = stages
        }
        for (index, (now, recorded)) in zip(current, run.stages).enumerated() {
            let existing = recorded.clusters.map(\.clusterName)
            if now.clusters.count != existing.count {
                return UpdateRunError.validationFailed(
                    unexpected: "the number of clusters in index `\(index)` stage has changed, new: "
                        + "\(now.clusters.count), existing: \(existing.count)")
            }
            for (position, (name, old)) in zip(now.clusters, existing).enumerated() where name != old {
                return UpdateRunError.validationFailed(
                    unexpected: "the `\(position)` cluster in the `\(index)` stage has changed, new: \(name), existing: \(old)")
            }
        }
        return nil
    }

    static func execute(stage index: Int, of run: UpdateRunState, in state: HubState, now: Date) -> [FleetEvent] {
        let stage = run.stages[index]
        let config = run.strategyStages[index]
        let ref = StageRef(run: run.key, stage: index)
        if stage.clusters.isEmpty { return [.stageSkipped(ref)] }
        if !run.stageIsStarted(index), let before = config.beforeStageTasks, !before.isEmpty {
            let (events, passed) = tasks(before, phase: .before, stage: index, of: run, in: state, now: now)
            if !events.isEmpty { return events }
            if !passed { return isWaiting(stage) ? [] : [.stageWaiting(ref)] }
        }
        let limit = maxConcurrency(config.maxConcurrency, clusters: stage.clusters.count)
        // One pass records what one-event-at-a-time passes would, in the same order: a pass costs the stage's
        // size, so a stage of n clusters costs n passes' worth, not n squared.
        var events: [FleetEvent] = []
        var inFlight = 0
        var stuck: [String] = []
        var failed: [String] = []
        for cluster in stage.clusters {
            let conditions = cluster.conditions ?? []
            let clusterRef = ClusterRef(run: run.key, stage: index, cluster: cluster.clusterName)
            if conditions.isTrue("Succeeded") { continue }
            if let failure = conditions[type: "Succeeded"], failure.status == .false {
                guard run.failuresAreTerminal else {
                    return events.isEmpty ? [.updateRunFailed(RunMessage(run: run.key, message: failure.message))] : events
                }
                failed.append(cluster.clusterName)
                let allowed = run.allowedFailures(of: stage.clusters.count)
                if failed.count > allowed {
                    guard events.isEmpty else { return events }
                    return [.updateRunFailed(RunMessage(
                        run: run.key,
                        message: "cannot continue the updateRun: \(failed.count) of \(stage.clusters.count) clusters in the "
                            + "stage `\(stage.stageName)` failed, more than the \(allowed) allowed by "
                            + "\(FleetLabel.maxFailures): \(cluster.clusterName): \(failure.message)"))]
                }
                continue
            }
            if run.frozenMembership && state.members[cluster.clusterName] == nil {
                events.append(.clusterUpdateSkipped(clusterRef))
                continue
            }
            if let started = conditions[type: "Started"] {
                if let binding = state.placements[run.placement]?.bindings[cluster.clusterName], binding.run != run.key {
                    guard events.isEmpty else { return events }
                    return [.clusterUpdateFailed(ClusterFailure(
                        run: run.key, stage: index, cluster: cluster.clusterName,
                        message: "cannot continue the updateRun: \(UpdateRunError.userError): the binding of the updating "
                            + "cluster `\(cluster.clusterName)` in the stage `\(stage.stageName)` is not up-to-date with the "
                            + "desired status, please check the status of binding `\(run.placement.name)-\(cluster.clusterName)` "
                            + "and see if there is a concurrent updateRun referencing the same placement and updating the "
                            + "same cluster (taken over by `\(binding.run?.name ?? "the placement's rolling update")`)"))]
                }
                if isUpdated(cluster.clusterName, run, in: state) {
                    let (event, succeeded) = soaked(cluster, clusterRef, of: run, now: now)
                    if let event { events.append(event) }
                    if !succeeded { inFlight += 1 }
                    continue
                }
                if let failure = failure(of: cluster.clusterName, startedAt: started.lastTransitionTime, run, in: state, now: now) {
                    events.append(.clusterUpdateFailed(ClusterFailure(
                        run: run.key, stage: index, cluster: cluster.clusterName, message: failure)))
                    failed.append(cluster.clusterName)
                    // Past the budget nothing more starts: the next pass fails the run.
                    if failed.count > run.allowedFailures(of: stage.clusters.count) { return events }
                    continue
                }
                inFlight += 1
                if now.timeIntervalSince(started.lastTransitionTime) >= run.stuckThreshold {
                    stuck.append(cluster.clusterName)
                }
                continue
            }
            if inFlight >= limit { break }
            events.append(.clusterUpdateStarted(clusterRef))
            // Starting binds the cluster to this run; a member that already holds the snapshot is done at once.
            if isUpdated(cluster.clusterName, run, in: state) {
                let (event, succeeded) = soaked(cluster, clusterRef, of: run, now: now)
                if let event { events.append(event) }
                if !succeeded { inFlight += 1 }
            } else {
                inFlight += 1
            }
        }
        if !events.isEmpty { return events }
        if !stuck.isEmpty {
            let event = FleetEvent.updateRunStuck(RunStuck(run: run.key, stage: index, clusters: stuck))
            var probe = run
            probe.evolve(event, at: now)
            return probe.status.conditions == run.status.conditions ? [] : [event]
        }
        if inFlight > 0 { return [] }
        if !isWaiting(stage) { return [.stageWaiting(ref)] }
        let (taskEvents, passed) = tasks(config.afterStageTasks ?? [], phase: .after, stage: index, of: run, in: state, now: now)
        if !taskEvents.isEmpty { return taskEvents }
        return passed ? [.stageSucceeded(ref)] : []
    }

    /// An updated cluster succeeds at once, or with `flotilla.dev/min-success-time` turns Available and succeeds
    /// once it has stayed so that long: the event due now, if any, and whether the cluster has succeeded.
    static func soaked(
        _ cluster: ClusterUpdatingStatus, _ ref: ClusterRef, of run: UpdateRunState, now: Date
    ) -> (event: FleetEvent?, succeeded: Bool) {
        guard let soak = run.minSuccessTime else { return (.clusterUpdateSucceeded(ref), true) }
        guard let available = (cluster.conditions ?? [])[type: "Available"], available.status == .true else {
            return (.clusterUpdateAvailable(ref), false)
        }
        return now >= available.lastTransitionTime.addingTimeInterval(soak) ? (.clusterUpdateSucceeded(ref), true) : (nil, false)
    }

    /// Why an in-flight cluster has failed, once failures are terminal for the run: its member reported a failure
    /// of the run's snapshot (KubeFleet retries these), or the progress deadline passed before it was updated.
    static func failure(
        of cluster: String, startedAt started: Date, _ run: UpdateRunState, in state: HubState, now: Date
    ) -> String? {
        guard run.failuresAreTerminal else { return nil }
        if let reported = state.members[cluster]?.failures[run.placement], reported.resourceIndex == run.snapshotIndex(for: cluster) {
            return "the member reported a failure: \(reported.message)"
        }
        if let deadline = run.progressDeadline, now.timeIntervalSince(started) >= deadline {
            let shown = GoDuration(milliseconds: Int64(deadline * 1000))
            return "the cluster was not updated within the progress deadline of \(shown) (\(FleetLabel.progressDeadline))"
        }
        return nil
    }

    /// Before- or after-stage tasks, run in parallel: the events the first unfinished one needs now, and
    /// whether all have passed.
    static func tasks(
        _ tasks: [StageTask], phase: TaskRef.Phase, stage index: Int, of run: UpdateRunState, in state: HubState,
        now: Date
    ) -> ([FleetEvent], Bool) {
        let stage = run.stages[index]
        let statuses = (phase == .after ? stage.afterStageTaskStatus : stage.beforeStageTaskStatus) ?? []
        var passed = true
        for (taskIndex, task) in tasks.enumerated() {
            let conditions = taskIndex < statuses.count ? statuses[taskIndex].conditions ?? [] : []
            let ref = TaskRef(run: run.key, stage: index, phase: phase, task: taskIndex)
            switch task.type {
            case .timedWait:
                if conditions.isTrue("WaitTimeElapsed") { continue }
                let waited = waitingSince(stage).map { now.timeIntervalSince($0) } ?? 0
                if waited * 1000 >= Double(task.waitTime?.milliseconds ?? 0) { return ([.timedWaitElapsed(ref)], false) }
                passed = false
            case .metricGate:
                let (events, done) = metricGate(conditions, ref, of: run)
                if !events.isEmpty { return (events, false) }
                if !done { passed = false }
            case .scheduleWindow:
                guard let window = task.scheduleWindow else { continue }
                let (event, open) = scheduleWindow(window, task: taskIndex, stage: index, of: run, now: now)
                if let event { return ([event], false) }
                if !open { passed = false }
            case .approval:
                if conditions.isTrue("ApprovalRequestApproved") { continue }
                let events = approval(ref, stageName: stage.stageName, created: conditions.isTrue("ApprovalRequestCreated"), run: run, in: state)
                if !events.isEmpty { return (events, false) }
                if let expired = approvalExpiry(ref, conditions: conditions, stageName: stage.stageName, run: run, now: now) {
                    return ([expired], false)
                }
                passed = false
            }
        }
        return ([], passed)
    }

    /// KubeFleet 2.8's approval handler: create the request lazily, accept an approval given at the request's
    /// generation (irreversibly), and recreate a request deleted before acceptance.
    static func approval(
        _ ref: TaskRef, stageName: String, created: Bool, run: UpdateRunState, in state: HubState
    ) -> [FleetEvent] {
        let key = PlacementNames.approvalRequestKey(run: run.key, stage: stageName, phase: ref.phase)
        guard let request = state.objects[key] else {
            let create = FleetEvent.objectCreated(
                ObjectCreated(
                    key: key, uid: ObjectUID.make(for: key, after: state.lastSeq),
                    object: approvalRequestObject(key, run: run.key, stage: stageName, phase: ref.phase, planHash: run.planHash)))
            return created ? [create] : [create, .approvalRequested(ref)]
        }
        if !created { return [.approvalRequested(ref)] }
        let spec = try? request.spec.decode(ApprovalRequestSpec.self)
        if spec?.parentStageRollout != run.key.name || spec?.targetStage != stageName {
            return [
                .updateRunFailed(
                    RunMessage(
                        run: run.key,
                        message: "cannot continue the updateRun: \(UpdateRunError.unexpected): the approval request "
                            + "task `\(key.name)` is targeting update run `\(spec?.parentStageRollout ?? "")` and stage "
                            + "`\(spec?.targetStage ?? "")`"))
            ]
        }
        let conditions = ApprovalRequestStatus.conditions(of: request.status)
        if conditions.isTrue("ApprovalAccepted") { return [.approvalTaskApproved(ref)] }
        if let rejected = rejection(of: key, request, conditions: conditions, run: run) { return [rejected] }
        if conditions.isTrue("Approved", atGeneration: request.generation) {
            return [
                .approvalAccepted(ApprovalAccepted(request: key, generation: request.generation)),
                .approvalTaskApproved(ref),
            ]
        }
        return []
    }

    static func approvalRequestObject(_ key: ObjectKey, run: ObjectKey, stage: String, phase: TaskRef.Phase, planHash: String) -> JSON {
        let kind = key.resourceKind!
        var metadata: JSON = [
            "name": .string(key.name),
            "labels": [
                FleetLabel.targetUpdatingStage: .string(stage),
                FleetLabel.targetUpdateRun: .string(run.name),
                FleetLabel.taskType: .string(phase == .after ? "afterStage" : "beforeStage"),
                FleetLabel.isLatestUpdateRunApproval: "true",
            ],
            "annotations": [FleetLabel.planHash: .string(planHash)],
        ]
        if !key.namespace.isEmpty { metadata["namespace"] = .string(key.namespace) }
        return [
            "apiVersion": .string(kind.apiVersion),
            "kind": .string(kind.kind),
            "metadata": metadata,
            "spec": ["parentStageRollout": .string(run.name), "targetStage": .string(stage)],
        ]
    }

    /// KubeFleet 2.5: after the last stage, remove the placement from clusters no longer scheduled, all at once.
    static func deletionStage(_ run: UpdateRunState, in state: HubState) -> [FleetEvent] {
        let stage = run.stages.count
        for cluster in run.status.deletionStageStatus?.clusters ?? [] {
            let conditions = cluster.conditions ?? []
            let ref = ClusterRef(run: run.key, stage: stage, cluster: cluster.clusterName)
            if conditions.isTrue("Succeeded") { continue }
            if conditions[type: "Started"] == nil { return [.clusterUpdateStarted(ref)] }
            if state.members[cluster.clusterName]?.applied[run.placement] == nil { return [.clusterUpdateSucceeded(ref)] }
            return []
        }
        return [.updateRunSucceeded(RunRef(run: run.key))]
    }

    /// KubeFleet's success test: the member holds the run's snapshot, or in ReportDiff mode has reported on it.
    static func isUpdated(_ cluster: String, _ run: UpdateRunState, in state: HubState) -> Bool {
        let member = state.members[cluster]
        let index = run.snapshotIndex(for: cluster)
        if run.reportsDiff { return member?.reported[run.placement]?.resourceIndex == index }
        return index.flatMap { state.applied(on: cluster, of: run.placement, at: $0) } != nil
    }

    /// KubeFleet's `maxConcurrency`: an integer, or a percentage of the stage rounded down; at least 1.
    public static func maxConcurrency(_ value: IntOrString?, clusters: Int) -> Int {
        switch value {
        case nil: return 1
        case .int(let number): return max(1, number)
        case .string(let text):
            let percent = Int(text.dropLast()) ?? 100
            return max(1, clusters * percent / 100)
        }
    }

    static func isWaiting(_ stage: StageUpdatingStatus) -> Bool {
        guard let progressing = (stage.conditions ?? [])[type: "Progressing"] else { return false }
        return progressing.status == .false && progressing.reason == "StageUpdatingWaiting"
    }

    /// When the stage turned Waiting: TimedWait counts from there, as KubeFleet does.
    static func waitingSince(_ stage: StageUpdatingStatus) -> Date? {
        guard let progressing = (stage.conditions ?? [])[type: "Progressing"], progressing.status == .false else {
            return nil
        }
        return progressing.lastTransitionTime
    }
}
