import FleetAPI
import Foundation

/// What a run would do if it started now, before it does: the stages its initialization would freeze, each stage's
/// clusters in order and in the batches `maxConcurrency` allows, its gates and waits, an estimated timeline from how
/// long each cluster took in earlier runs, and the blast radius per stage (clusters and objects changed), with the
/// diff for the first cluster. Pure: read off the state as the run would see it.
public enum RunPlan {
    /// The plan as JSON, or why the run would fail to initialize, from the run's `initialization` in `state`.
    static func plan(
        _ initialization: UpdateRunController.Initialization, of run: UpdateRunState, in state: HubState
    ) -> Result<JSON, PlanFailure> {
        let frozen: UpdateRunInitialized
        switch initialization {
        case .initialized(let initialized): frozen = initialized
        case .failed(let message): return .failure(PlanFailure(message: message))
        case .notYet: return .failure(PlanFailure(message: "the run cannot initialize yet: its placement has not been scheduled"))
        }
        let placement = run.placement
        let resources = state.placements[placement]?.resourceSnapshots[frozen.resourceSnapshotIndex]?.resources ?? []
        let latencies = recordedLatencies(in: state)
        let fleetMedian = median(latencies.values.flatMap { $0 })
        var elapsed = 0.0
        var approvals = 0
        var stages: [JSON] = []
        var firstDiff: JSON?
        for (config, stage) in zip(frozen.strategy.stages, frozen.stages) {
            let limit = UpdateRunController.maxConcurrency(config.maxConcurrency, clusters: stage.clusters.count)
            let batches = stride(from: 0, to: stage.clusters.count, by: limit).map { Array(stage.clusters[$0..<min($0 + limit, stage.clusters.count)]) }
            let start = elapsed
            let gates = (config.beforeStageTasks ?? []) + (config.afterStageTasks ?? [])
            approvals += gates.filter { $0.type == .approval }.count
            for batch in batches {
                elapsed += batch.map { median(latencies[$0] ?? []) ?? fleetMedian ?? 0 }.max() ?? 0
            }
            elapsed += (config.afterStageTasks ?? []).compactMap { $0.waitTime.map { Double($0.milliseconds) / 1000 } }.reduce(0, +)
            var changedClusters = 0
            var changedObjects = 0
            for cluster in stage.clusters {
                let change = change(on: cluster, placement: placement, resources: resources, overrides: frozen.overrides?[cluster] ?? [], in: state)
                if change.objects > 0 { changedClusters += 1 }
                changedObjects += change.objects
                if firstDiff == nil { firstDiff = ["cluster": .string(cluster), "lines": .array(change.diff.map(JSON.string))] }
            }
            stages.append([
                "name": .string(stage.name), "clusters": .array(stage.clusters.map(JSON.string)),
                "batches": .array(batches.map { .array($0.map(JSON.string)) }),
                "beforeStageTasks": .array((config.beforeStageTasks ?? []).map(describe)),
                "afterStageTasks": .array((config.afterStageTasks ?? []).map(describe)),
                "estimatedStartSeconds": .int(Int64(start.rounded())), "estimatedEndSeconds": .int(Int64(elapsed.rounded())),
                "blastRadius": ["clusters": .int(Int64(changedClusters)), "objects": .int(Int64(changedObjects))],
            ])
        }
        var plan: JSON = [
            "resourceSnapshotIndex": .int(Int64(frozen.resourceSnapshotIndex)),
            "policySnapshotIndex": .string(frozen.policySnapshotIndex),
            "stages": .array(stages),
            "deletionClusters": .array(frozen.deletionClusters.map(JSON.string)),
            "estimatedSeconds": .int(Int64(elapsed.rounded())), "approvals": .int(Int64(approvals)),
            "latencyObservations": .int(Int64(latencies.values.map(\.count).reduce(0, +))),
        ]
        if let firstDiff { plan["firstClusterDiff"] = firstDiff }
        return .success(plan)
    }

    public struct PlanFailure: Error, Equatable, Sendable {
        public var message: String
    }

    static func describe(_ task: StageTask) -> JSON {
        .string(task.waitTime.map { "\(task.type.rawValue) \($0)" } ?? task.type.rawValue)
    }

    /// Every earlier run's clusters, by name: how many seconds each took from started to succeeded.
    static func recordedLatencies(in state: HubState) -> [String: [Double]] {
        var latencies: [String: [Double]] = [:]
        for run in state.runs.values {
            for stage in run.stages {
                for cluster in stage.clusters {
                    let conditions = cluster.conditions ?? []
                    guard let started = conditions[type: "Started"], let succeeded = conditions[type: "Succeeded"],
                        succeeded.status == .true
                    else { continue }
                    latencies[cluster.clusterName, default: []].append(succeeded.lastTransitionTime.timeIntervalSince(started.lastTransitionTime))
                }
            }
        }
        return latencies
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// How many objects the run would change on `cluster`, and the unified diff of what it holds against what it
    /// would hold.
    static func change(on cluster: String, placement: ObjectKey, resources: [JSON], overrides: [ObjectKey], in state: HubState) -> (objects: Int, diff: [String]) {
        let desired = (try? Overrides.apply(resources, snapshots: overrides, cluster: cluster, in: state)) ?? resources
        let held = state.members[cluster]?.applied[placement]?.objects ?? []
        let before = Dictionary(held.map { (SimulatedMembers.differenceName($0), $0) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(desired.map { (SimulatedMembers.differenceName($0), $0) }, uniquingKeysWith: { first, _ in first })
        let changed = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.count
        let text = { (objects: [JSON]) in objects.map { YAML.emit($0) }.joined(separator: "---\n") }
        let diff = SnapshotDiff.unified(SnapshotDiff.lines(text(held)), SnapshotDiff.lines(text(desired)))
        return (changed, diff)
    }
}
