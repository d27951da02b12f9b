import FleetAPI
import Foundation

/// Initialization, KubeFleet's table 2.3: the frozen plan, or the message of the first failure.
extension UpdateRunController {
    enum Initialization: Equatable {
        case initialized(UpdateRunInitialized)
        case failed(String)
        /// A transient state of the world: nothing is recorded and initialization runs again on the next change.
        case notYet

        /// What the journal records of it.
        func events(of run: ObjectKey) -> [FleetEvent] {
            switch self {
            case .initialized(let plan): [.updateRunInitialized(plan)]
            case .failed(let message): [.updateRunInitializationFailed(RunMessage(run: run, message: message))]
            case .notYet: []
            }
        }
    }

    static func initialize(_ run: UpdateRunState, in state: HubState) -> Initialization {
        if let failed = run.rollbackOf { return initializeRollback(run, of: failed, in: state) }
        let placementKey = run.placement
        guard let spec = state.placements[placementKey]?.spec else {
            return .failed(UpdateRunError.initFailed(user: "parent placement not found"))
        }
        guard spec.strategyType == .external else {
            return .failed(
                UpdateRunError.initFailed(
                    user: "parent placement does not have an external rollout strategy, current strategy: "
                        + spec.strategyType.rawValue))
        }
        guard let placement = state.placements[placementKey], let policyIndex = placement.policyIndex else {
            return .failed(
                UpdateRunError.initFailed(
                    "no latest policy snapshot associated with the placement: "
                        + "\(placementKey.namespace)/\(placementKey.name)"))
        }
        var clusterCount: Int
        switch spec.placementType {
        case .pickN: clusterCount = spec.policy?.numberOfClusters ?? 0
        case .pickFixed: clusterCount = spec.policy?.clusterNames?.count ?? 0
        case .pickAll: clusterCount = -1
        }
        let selected = placement.scheduledClusters
        let toDelete = (state.holders[placementKey] ?? []).subtracting(selected).sorted()
        let policySnapshotName = PlacementNames.policySnapshotKey(placementKey, index: policyIndex).name
        if selected.isEmpty && toDelete.isEmpty {
            return .failed(
                UpdateRunError.initFailed(
                    "no scheduled or to-be-deleted bindings found for the latest policy snapshot \(policySnapshotName)"))
        }
        if clusterCount == -1 {
            clusterCount = selected.count
        } else if clusterCount != selected.count {
            return .failed(
                UpdateRunError.initFailed(
                    unexpected: "the number of selected bindings \(selected.count) is not equal to the observed "
                        + "cluster count \(clusterCount)"))
        }
        let strategyKey = PlacementNames.strategyKey(forRun: run.key, strategyName: run.spec.stagedRolloutStrategyName)
        guard let strategyObject = state.objects[strategyKey],
            var strategy = StagedUpdateStrategySpec(json: strategyObject.spec)
        else {
            return .failed(
                UpdateRunError.initFailed(
                    user: "referenced updateStrategy not found: `\(run.spec.stagedRolloutStrategyName)`"))
        }
        for index in strategy.stages.indices {
            strategy.stages[index].afterStageTasks = strategy.stages[index].afterStageTasks?.map { task in
                task.type == .approval ? StageTask(type: .approval) : task
            }
        }
        let stages: [UpdateRunInitialized.Stage]
        switch mapStages(strategy, strategyName: strategyKey.name, selected: selected, labels: state.memberLabels) {
        case .success(let mapped): stages = mapped
        case .failure(let message): return .failed(message)
        }
        guard let index = resolveSnapshotIndex(run, placementKey: placementKey, placement: placement) else {
            return .failed(
                UpdateRunError.initFailed(
                    user: "invalid resource snapshot index `\(run.spec.resourceSnapshotIndex ?? "")` provided, "
                        + "expected an integer >= 0"))
        }
        guard let snapshot = placement.resourceSnapshots[index] else {
            return .failed(
                UpdateRunError.initFailed(
                    user: "no resourceSnapshots with index `\(index)` found for placement `\(placementKey.name)`"))
        }
        return .initialized(
            UpdateRunInitialized(
                run: run.key, generation: run.generation, policySnapshotIndex: String(policyIndex),
                observedClusterCount: clusterCount, resourceSnapshotIndex: index, strategy: strategy, stages: stages,
                deletionClusters: toDelete, applyStrategy: spec.strategy?.applyStrategy,
                overrides: Overrides.frozen(
                    for: placementKey, resources: snapshot.resources, clusters: selected, in: state)))
    }

    /// An explicit index must be a non-negative integer; an omitted one takes the latest snapshot, which the
    /// placement controller keeps equal to the current selection.
    static func resolveSnapshotIndex(_ run: UpdateRunState, placementKey: ObjectKey, placement: PlacementState) -> Int? {
        guard let text = run.spec.resourceSnapshotIndex, !text.isEmpty else {
            return placement.latestResourceIndex ?? -1
        }
        guard let index = Int(text), index >= 0 else {
            return nil
        }
        return index
    }

    enum StageMapping: Equatable {
        case success([UpdateRunInitialized.Stage])
        case failure(String)
    }

    /// KubeFleet 2.4: each selected cluster in exactly one stage, ordered by the integer sorting label then name.
    static func mapStages(
        _ strategy: StagedUpdateStrategySpec, strategyName: String, selected: [String],
        labels: [String: [String: String]]
    ) -> StageMapping {
        var placed = Set<String>()
        var stages: [UpdateRunInitialized.Stage] = []
        for stage in strategy.stages {
            if let problem = taskProblem(stage.afterStageTasks ?? [], kind: "after") {
                return .failure(
                    UpdateRunError.initFailed(
                        user: "the after stage tasks are invalid, updateStrategy: \(strategyName), stage: "
                            + "\(stage.name), err: \(problem)"))
            }
            if let problem = taskProblem(stage.beforeStageTasks ?? [], kind: "before") {
                return .failure(
                    UpdateRunError.initFailed(
                        user: "the before stage tasks are invalid, updateStrategy: \(strategyName), stage: "
                            + "\(stage.name), err: \(problem)"))
            }
            if let selector = stage.labelSelector, let problem = selector.validationErrors(at: "labelSelector").first {
                return .failure(
                    UpdateRunError.initFailed(
                        user: "the stage label selector is invalid, updateStrategy: \(strategyName), stage: "
                            + "\(stage.name), err: \(problem)"))
            }
            var members: [String] = []
            if let selector = stage.labelSelector {
                for cluster in selected where selector.matches(labels[cluster] ?? [:]) {
                    if placed.contains(cluster) {
                        return .failure(
                            UpdateRunError.initFailed(user: "cluster `\(cluster)` appears in more than one stages"))
                    }
                    if let key = stage.sortingLabelKey {
                        let value = labels[cluster]?[key] ?? ""
                        if Int(value) == nil {
                            return .failure(
                                UpdateRunError.initFailed(
                                    user: "the sorting label `\(key):\(value)` on cluster `\(cluster)` is not valid: "
                                        + "strconv.Atoi: parsing \"\(value)\": invalid syntax"))
                        }
                    }
                    members.append(cluster)
                    placed.insert(cluster)
                }
            }
            members.sort { lhs, rhs in
                if let key = stage.sortingLabelKey {
                    let left = Int(labels[lhs]?[key] ?? "") ?? 0
                    let right = Int(labels[rhs]?[key] ?? "") ?? 0
                    if left != right { return left < right }
                }
                return lhs < rhs
            }
            stages.append(.init(name: stage.name, clusters: members))
        }
        let missing = selected.filter { !placed.contains($0) }.sorted()
        if !missing.isEmpty {
            return .failure(
                UpdateRunError.initFailed(
                    "\(UpdateRunError.userError): some clusters are not placed in any stage, total \(missing.count), "
                        + "showing up to 10: \(missing.prefix(10).joined(separator: ", "))"))
        }
        return .success(stages)
    }

    /// The controller's own task checks, beyond the CRD's: no two tasks of one type, and waits above zero.
    static func taskProblem(_ tasks: [StageTask], kind: String) -> String? {
        if tasks.count == 2 && tasks[0].type == tasks[1].type {
            return "\(kind)StageTasks cannot have two tasks of the same type: \(tasks[0].type.rawValue)"
        }
        for (index, task) in tasks.enumerated() {
            if kind == "before" && task.type == .timedWait {
                return "task \(index) of type TimedWait is not allowed before a stage"
            }
            if task.type == .timedWait {
                guard let wait = task.waitTime else {
                    return "task \(index) of type TimedWait has wait duration set to nil"
                }
                if wait.milliseconds <= 0 { return "task \(index) of type TimedWait has wait duration <= 0" }
            }
        }
        return nil
    }
}
