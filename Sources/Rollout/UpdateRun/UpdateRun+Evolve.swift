import FleetAPI
import Foundation

/// The status marks of KubeFleet's update-run controller, applied when their events are folded in.
extension UpdateRunState {
    mutating func evolve(_ event: FleetEvent, at time: Date) {
        let generation = self.generation
        switch event {
        case .updateRunInitialized(let e): initialize(e, at: time)
        case .updateRunInitializationFailed(let e):
            setRun("Initialized", .false, "UpdateRunInitializedFailed", e.message, time)
        case .stageSkipped(let e):
            mutateStage(e.stage) { stage in
                stage.startTime = stage.startTime ?? time
                stage.endTime = stage.endTime ?? time
                stage.set("Progressing", .false, "StageUpdatingSkippedNoClusters", "No clusters in the stage, skipped", time, generation)
                stage.set("Succeeded", .true, "StageUpdatingSkippedNoClusters", "No clusters in the stage, skipped", time, generation)
            }
        case .clusterUpdateStarted(let e):
            mutateStage(e.stage) { stage in
                stage.startTime = stage.startTime ?? time
                stage.set("Progressing", .true, "StageUpdatingStarted", "Clusters in the stage started updating", time, generation)
                stage.mutateCluster(e.cluster) {
                    $0.set("Started", .true, "ClusterUpdatingStarted", "Cluster update started", time, generation)
                }
            }
            setRunProgressing(time)
        case .clusterUpdateSucceeded(let e):
            mutateStage(e.stage) { stage in
                stage.mutateCluster(e.cluster) {
                    $0.set("Succeeded", .true, "ClusterUpdatingSucceeded", "Cluster update completed successfully", time, generation)
                }
            }
            setRunProgressing(time)
        case .clusterUpdateSkipped(let e):
            mutateStage(e.stage) { stage in
                stage.mutateCluster(e.cluster) {
                    let message = "The cluster left the fleet after the run froze its membership; skipped"
                    $0.set("Started", .true, "ClusterUpdatingSkipped", message, time, generation)
                    $0.set("Succeeded", .true, "ClusterUpdatingSkipped", message, time, generation)
                }
            }
        case .scheduleWindowOpened(let e): scheduleWindow(e, open: true, at: time)
        case .scheduleWindowClosed(let e): scheduleWindow(e, open: false, at: time)
        case .metricMeasured(let e): measured(e, at: time)
        case .clusterUpdateAvailable(let e):
            let soak = GoDuration(milliseconds: Int64((minSuccessTime ?? 0) * 1000)).description
            mutateStage(e.stage) { stage in
                stage.mutateCluster(e.cluster) {
                    $0.set(
                        "Available", .true, "ClusterAvailableSoaking",
                        "The cluster is available; it succeeds once it has stayed so for \(soak)", time, generation)
                }
            }
        case .clusterUpdateFailed(let e):
            mutateStage(e.stage) { stage in
                stage.mutateCluster(e.cluster) {
                    $0.set("Succeeded", .false, "ClusterUpdatingFailed", e.message, time, generation)
                }
            }
        case .updateRunStuck(let e):
            let shown = e.clusters.prefix(3).joined(separator: ", ") + (e.clusters.count > 3 ? "..." : "")
            setRun(
                "Progressing", .false, "UpdateRunStuck",
                "The updateRun is stuck waiting for \(shown) cluster(s) in stage \(stageName(e.stage)) to finish "
                    + "updating, please check placement status for potential errors", time)
        case .stageWaiting(let e):
            let phase = stageIsStarted(e.stage) ? "after" : "before"
            mutateStage(e.stage) { stage in
                let message = phase == "after"
                    ? "All clusters in the stage are updated, waiting for after-stage tasks to complete"
                    : "Not all before-stage tasks are completed, waiting for approval"
                stage.set("Progressing", .false, "StageUpdatingWaiting", message, time, generation)
            }
            setRun(
                "Progressing", .false, "UpdateRunWaiting",
                "The updateRun is waiting for \(phase)-stage tasks in stage \(stageName(e.stage)) to complete", time)
        case .timedWaitElapsed(let e):
            mutateTask(e) {
                $0.set("WaitTimeElapsed", .true, "AfterStageTaskWaitTimeElapsed", "Wait time elapsed", time, generation)
            }
        case .approvalRequested(let e):
            let prefix = e.phase == .after ? "AfterStageTask" : "StageTask"
            let kind = PlacementNames.approvalKind(forRun: key).kind
            mutateTask(e) {
                $0.set("ApprovalRequestCreated", .true, "\(prefix)ApprovalRequestCreated", "\(kind) is created", time, generation)
            }
        case .approvalTaskApproved(let e):
            let prefix = e.phase == .after ? "AfterStageTask" : "StageTask"
            let kind = PlacementNames.approvalKind(forRun: key).kind
            mutateTask(e) {
                $0.set("ApprovalRequestApproved", .true, "\(prefix)ApprovalRequestApproved", "\(kind) is approved", time, generation)
            }
        case .approvalDecided(let e): approvals.decisions[e.request.name] = e
        case .stageSucceeded(let e):
            mutateStage(e.stage) { stage in
                stage.endTime = stage.endTime ?? time
                stage.set(
                    "Progressing", .false, "StageUpdatingSucceeded",
                    "All clusters in the stage are updated and after-stage tasks are completed", time, generation)
                // Clusters skipped within the failure budget are named where the stage's success is reported.
                let failed = stage.clusters.filter { ($0.conditions ?? [])[type: "Succeeded"]?.status == .false }
                let message = failed.isEmpty
                    ? "Stage update completed successfully"
                    : "Stage update completed with \(failed.count) failed cluster(s) within the failure budget: "
                        + failed.map(\.clusterName).joined(separator: ", ")
                stage.set("Succeeded", .true, "StageUpdatingSucceeded", message, time, generation)
            }
            setRun("Progressing", .true, "UpdateRunProgressing", "The update run is making progress", time)
        case .updateRunStopping(let e):
            setRun(
                "Progressing", .unknown, "UpdateRunStopping",
                "The update run is the process of stopping, waiting for all the updating/deleting clusters to finish "
                    + "updating before completing the stop process", time)
            mutateStage(e.stage) { stage in
                stage.set(
                    "Progressing", .unknown, "StageUpdatingStopping",
                    "Waiting for all the updating clusters to finish updating before completing the stop process", time,
                    generation)
            }
        case .updateRunStopped(let e):
            mutateStage(e.stage) { stage in
                stage.set(
                    "Progressing", .false, "StageUpdatingStopped",
                    "All the updating clusters have finished updating, the stage is now stopped, waiting to be resumed",
                    time, generation)
            }
            setRun("Progressing", .false, "UpdateRunStopped", "The update run has been stopped", time)
        case .updateRunResumed(let e):
            let inFlight = e.stage < stages.count && stages[e.stage].clusters.contains {
                ($0.conditions ?? [])[type: "Started"] != nil && ($0.conditions ?? [])[type: "Succeeded"] == nil
            }
            if inFlight {
                mutateStage(e.stage) { stage in
                    stage.set("Progressing", .true, "StageUpdatingStarted", "Clusters in the stage started updating", time, generation)
                }
            }
            setRun("Progressing", .true, "UpdateRunProgressing", "The update run is making progress", time)
        case .updateRunSucceeded:
            setRun("Progressing", .false, "UpdateRunSucceeded", "All stages are completed", time)
            setRun("Succeeded", .true, "UpdateRunSucceeded", "All stages are completed successfully", time)
        case .updateRunFailed(let e):
            if let index = currentStageIndex {
                mutateStage(index) { stage in
                    stage.endTime = stage.endTime ?? time
                    stage.set("Progressing", .false, "StageUpdatingFailed", "Stage update aborted due to a non-recoverable error", time, generation)
                    stage.set("Succeeded", .false, "StageUpdatingFailed", e.message, time, generation)
                }
            }
            setRun("Progressing", .false, "UpdateRunFailed", "The stages are aborted due to a non-recoverable error", time)
            setRun("Succeeded", .false, "UpdateRunFailed", e.message, time)
        default:
            break
        }
    }

    private mutating func initialize(_ e: UpdateRunInitialized, at time: Date) {
        status.policySnapshotIndexUsed = e.policySnapshotIndex
        status.policyObservedClusterCount = e.observedClusterCount
        status.stagedUpdateStrategySnapshot = e.strategy
        resourceSnapshotIndex = e.resourceSnapshotIndex
        applyStrategy = e.applyStrategy
        overrides = e.overrides ?? [:]
        restores = e.restores
        status.stagesStatus = zip(e.stages, e.strategy.stages).map { plan, config in
            var stage = StageUpdatingStatus(stageName: plan.name, clusters: plan.clusters.map(clusterStatus))
            stage.beforeStageTaskStatus = Self.taskStatuses(config.beforeStageTasks, run: key, stage: plan.name, phase: .before)
            stage.afterStageTaskStatus = Self.taskStatuses(config.afterStageTasks, run: key, stage: plan.name, phase: .after)
            return stage
        }
        status.deletionStageStatus = StageUpdatingStatus(
            stageName: FleetLabel.deleteStageName,
            clusters: e.deletionClusters.map(ClusterUpdatingStatus.init(clusterName:)))
        let kind = key.kind
        setRun("Initialized", .true, "UpdateRunInitializedSuccessfully", "\(kind) initialized successfully", time)
    }

    /// A cluster's entry with the override snapshots frozen for it, as KubeFleet lists them.
    private func clusterStatus(_ name: String) -> ClusterUpdatingStatus {
        var status = ClusterUpdatingStatus(clusterName: name)
        let snapshots = overrides[name] ?? []
        let clusterScoped = snapshots.filter { $0.namespace.isEmpty }.map(\.name)
        let namespaced = snapshots.filter { !$0.namespace.isEmpty }.map {
            ClusterUpdatingStatus.NamespacedName(name: $0.name, namespace: $0.namespace)
        }
        if !clusterScoped.isEmpty { status.clusterResourceOverrideSnapshots = clusterScoped }
        if !namespaced.isEmpty { status.resourceOverrideSnapshots = namespaced }
        return status
    }

    private static func taskStatuses(
        _ tasks: [StageTask]?, run: ObjectKey, stage: String, phase: TaskRef.Phase
    ) -> [StageTaskStatus]? {
        guard let tasks, !tasks.isEmpty else { return nil }
        return tasks.map { task in
            let request = task.type == .approval
                ? PlacementNames.approvalRequestKey(run: run, stage: stage, phase: phase).name : nil
            return StageTaskStatus(type: task.type, approvalRequestName: request)
        }
    }

    var isStopping: Bool { progressingReason == "UpdateRunStopping" }
    var isStopped: Bool { progressingReason == "UpdateRunStopped" }

    /// Read where the condition lies rather than copied out: a run's progress is asked on most of its events.
    private var progressingReason: String? {
        guard let index = status.conditions?.firstIndex(where: { $0.type == "Progressing" }) else { return nil }
        return status.conditions![index].reason
    }

    /// The first stage that has not succeeded; nil once every normal stage has.
    var currentStageIndex: Int? {
        stages.firstIndex { !($0.conditions ?? []).isTrue("Succeeded") }
    }

    func stageName(_ index: Int) -> String {
        index < stages.count ? stages[index].stageName : FleetLabel.deleteStageName
    }

    func stageIsStarted(_ index: Int) -> Bool {
        guard index < stages.count else { return true }
        return stages[index].clusters.contains { ($0.conditions ?? []).isTrue("Started") }
            || (stages[index].clusters.isEmpty && stages[index].startTime != nil)
    }

    mutating func setRun(
        _ type: String, _ value: Condition.Status, _ reason: String, _ message: String, _ time: Date
    ) {
        // Set in place: a copy taken out and put back is copied again when changed, on every event of the run.
        status.conditions.mark(type, value, reason, message, time, generation)
    }

    /// KubeFleet marks a run progressing after each pass, except while it stops.
    private mutating func setRunProgressing(_ time: Date) {
        if isStopping { return }
        setRun("Progressing", .true, "UpdateRunProgressing", "The update run is making progress", time)
    }

    mutating func mutateStage(_ index: Int, _ body: (inout StageUpdatingStatus) -> Void) {
        if index < stages.count {
            body(&status.stagesStatus![index])
        } else if status.deletionStageStatus != nil {
            body(&status.deletionStageStatus!)
        }
    }

    mutating func mutateTask(_ ref: TaskRef, _ body: (inout StageTaskStatus) -> Void) {
        mutateStage(ref.stage) { stage in
            switch ref.phase {
            case .before:
                if let count = stage.beforeStageTaskStatus?.count, ref.task < count { body(&stage.beforeStageTaskStatus![ref.task]) }
            case .after:
                if let count = stage.afterStageTaskStatus?.count, ref.task < count { body(&stage.afterStageTaskStatus![ref.task]) }
            }
        }
    }
}

protocol HasConditions {
    var conditions: [Condition]? { get set }
}

extension HasConditions {
    mutating func set(
        _ type: String, _ value: Condition.Status, _ reason: String, _ message: String, _ time: Date, _ generation: Int64
    ) {
        conditions.mark(type, value, reason, message, time, generation)
    }
}

extension [Condition]? {
    /// Sets a condition as `[Condition].set` does, in place, and not at all when it already reads so: most of a
    /// run's events repeat its progress marks, and rewriting a condition costs its strings.
    mutating func mark(
        _ type: String, _ value: Condition.Status, _ reason: String, _ message: String, _ time: Date, _ generation: Int64
    ) {
        guard let index = self?.firstIndex(where: { $0.type == type }) else {
            let condition = Condition(
                type: type, status: value, reason: reason, message: message, observedGeneration: generation, lastTransitionTime: time)
            if self == nil {
                // Room for a second: a cluster's Started is followed by its Succeeded.
                self = []
                self!.reserveCapacity(2)
            }
            self!.append(condition)
            return
        }
        guard self![index].status == value else {
            self![index] = Condition(
                type: type, status: value, reason: reason, message: message, observedGeneration: generation, lastTransitionTime: time)
            return
        }
        if self![index].reason != reason { self![index].reason = reason }
        if self![index].message != message { self![index].message = message }
        if self![index].observedGeneration != generation { self![index].observedGeneration = generation }
    }
}

extension StageUpdatingStatus: HasConditions {
    /// Changes the stage's cluster named `name` (a stage names each of its clusters once).
    ///
    /// Clusters start and finish in about the order the stage lists them, so the one named is most often at or
    /// just past the first unfinished one: names are compared from there on, then before it, and the finished
    /// clusters before it are passed by the count of their conditions. Comparing names from the first was most of
    /// folding a cluster's start or success in a large stage.
    mutating func mutateCluster(_ name: String, _ body: (inout ClusterUpdatingStatus) -> Void) {
        let unfinished = clusters.firstIndex { ($0.conditions?.count ?? 0) < 2 } ?? clusters.count
        if let index = clusters[unfinished...].firstIndex(where: { $0.clusterName == name })
            ?? clusters[..<unfinished].firstIndex(where: { $0.clusterName == name })
        {
            body(&clusters[index])
        }
    }
}

extension ClusterUpdatingStatus: HasConditions {}
extension StageTaskStatus: HasConditions {}
