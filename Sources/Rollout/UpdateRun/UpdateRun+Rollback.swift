import FleetAPI
import Foundation

/// Flotilla's `flotilla.dev/on-failure: Rollback`. A failed run creates `<run>-rollback`, a run of the same kind
/// that puts back, on every cluster the failed run changed, what that cluster held before (recorded when the failed
/// run started it), stages in reverse order and without their gates; a cluster that held nothing has the placement
/// removed in the deletion stage. The two runs name each other in annotations.
extension UpdateRunController {
    /// The clusters a rollback of `failed` restores, by stage in the failed run's order: each cluster's snapshot
    /// before, and the clusters that held nothing. A cluster that already held the failed run's snapshot was not
    /// changed; one started before `on-failure: Rollback` was set has nothing recorded and is left as it is.
    struct RestorePlan {
        var stages: [(config: StageConfig, clusters: [String])]
        var restores: [String: Int]
        var removals: [String]
    }

    static func restorePlan(of failed: UpdateRunState) -> RestorePlan {
        var plan = RestorePlan(stages: [], restores: [:], removals: [])
        for (stage, config) in zip(failed.stages, failed.strategyStages) {
            var clusters: [String] = []
            for cluster in stage.clusters where (cluster.conditions ?? [])[type: "Started"] != nil {
                let name = cluster.clusterName
                guard let held = failed.heldBefore?[name], held.resourceIndex != failed.resourceSnapshotIndex else { continue }
                if let index = held.resourceIndex {
                    plan.restores[name] = index
                    clusters.append(name)
                } else {
                    plan.removals.append(name)
                }
            }
            plan.stages.append((config, clusters))
        }
        return plan
    }

    static func rollbackKey(of run: ObjectKey) -> ObjectKey {
        ObjectKey(kind: run.kind, namespace: run.namespace, name: "\(run.name)-rollback")
    }

    /// What a finished run still records: with `on-failure: Rollback`, once failed, its rollback run and the
    /// annotation naming it. A name already taken is left alone.
    static func rollback(after run: UpdateRunState, in state: HubState) -> [FleetEvent] {
        guard run.rollsBackOnFailure, run.isInitialized, run.conditions[type: "Succeeded"]?.status == .false,
            let object = state.objects[run.key], object.annotations[FleetLabel.rolledBackBy] == nil
        else { return [] }
        let key = rollbackKey(of: run.key)
        guard state.objects[key] == nil else { return [] }
        var metadata: JSON = ["name": .string(key.name), "annotations": [FleetLabel.rollbackOf: .string(run.key.name)]]
        if !key.namespace.isEmpty { metadata["namespace"] = .string(key.namespace) }
        var spec: JSON = [
            "placementName": .string(run.spec.placementName),
            "stagedRolloutStrategyName": .string(run.spec.stagedRolloutStrategyName),
        ]
        // The index most clusters go back to names the run; each cluster's own is frozen when it initializes.
        if let index = mostCommon(restorePlan(of: run).restores.values) { spec["resourceSnapshotIndex"] = .string(String(index)) }
        let created: JSON = [
            "apiVersion": object.json["apiVersion"] ?? .null, "kind": object.json["kind"] ?? .null, "metadata": metadata,
            "spec": spec,
        ]
        var annotated = object.json
        annotated[path: ["metadata", "annotations", FleetLabel.rolledBackBy]] = .string(key.name)
        return [
            .objectCreated(ObjectCreated(key: key, uid: ObjectUID.make(for: key, after: state.lastSeq), object: created)),
            .objectUpdated(ObjectUpdated(key: run.key, object: annotated)),
        ]
    }

    /// A rollback run's frozen plan, from the failed run it names instead of from its strategy and the fleet.
    static func initializeRollback(_ run: UpdateRunState, of name: String, in state: HubState) -> Initialization {
        let failedKey = ObjectKey(kind: run.key.kind, namespace: run.key.namespace, name: name)
        guard let failed = state.runs[failedKey], failed.isInitialized, failed.placement == run.placement else {
            return .failed(UpdateRunError.initFailed(
                user: "the run to roll back (\(FleetLabel.rollbackOf)) `\(name)` is not an initialized run of placement "
                    + "`\(run.spec.placementName)`"))
        }
        guard let placement = state.placements[run.placement], let spec = placement.spec, spec.strategyType == .external,
            let policyIndex = placement.policyIndex
        else {
            return .failed(UpdateRunError.initFailed(user: "parent placement not found or without an external rollout strategy"))
        }
        let plan = restorePlan(of: failed)
        var overrides: [String: [ObjectKey]] = [:]
        for index in Set(plan.restores.values).sorted() {
            guard let snapshot = placement.resourceSnapshots[index] else {
                return .failed(UpdateRunError.initFailed(
                    user: "no resourceSnapshots with index `\(index)` found for placement `\(run.spec.placementName)`"))
            }
            let clusters = plan.restores.filter { $0.value == index }.keys.sorted()
            overrides.merge(Overrides.frozen(for: run.placement, resources: snapshot.resources, clusters: clusters, in: state)) { $1 }
        }
        let stages = plan.stages.reversed()
        // The gates judged the failed snapshot: going back waits on none of them.
        let strategy = StagedUpdateStrategySpec(stages: stages.map {
            StageConfig(name: $0.config.name, labelSelector: $0.config.labelSelector, maxConcurrency: $0.config.maxConcurrency)
        })
        return .initialized(
            UpdateRunInitialized(
                run: run.key, generation: run.generation, policySnapshotIndex: String(policyIndex),
                observedClusterCount: stages.reduce(0) { $0 + $1.clusters.count },
                resourceSnapshotIndex: run.spec.resourceSnapshotIndex.flatMap { Int($0) } ?? failed.resourceSnapshotIndex ?? 0,
                strategy: strategy, stages: stages.map { .init(name: $0.config.name, clusters: $0.clusters) },
                deletionClusters: plan.removals, applyStrategy: spec.strategy?.applyStrategy, overrides: overrides,
                restores: plan.restores))
    }

    private static func mostCommon(_ values: some Sequence<Int>) -> Int? {
        let counts = Dictionary(values.map { ($0, 1) }, uniquingKeysWith: +)
        return counts.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key
    }
}
