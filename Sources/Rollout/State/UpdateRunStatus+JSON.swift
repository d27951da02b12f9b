import FleetAPI

/// A run's status as `JSONValueEncoder` encodes `renderedStatus`, built directly: lists and watches render every
/// run they show, and the encoder's generic walk was three quarters of a list of runs. Every condition carries the
/// run's generation, as `renderedStatus` stamps it.
extension UpdateRunState {
    var renderedStatusJSON: JSON {
        var members: [String: JSON] = [:]
        members["conditions"] = conditionsJSON(status.conditions)
        members["deletionStageStatus"] = status.deletionStageStatus.map(stageJSON)
        members["policyObservedClusterCount"] = status.policyObservedClusterCount.map { .int(Int64($0)) }
        members["policySnapshotIndexUsed"] = status.policySnapshotIndexUsed.map(JSON.string)
        // Once a run, and rare beside its stages: the strategy keeps its own `Codable` layout.
        members["stagedUpdateStrategySnapshot"] = status.stagedUpdateStrategySnapshot.flatMap { try? JSON(encoding: $0) }
        members["stagesStatus"] = status.stagesStatus.map { .array($0.map(stageJSON)) }
        return .object(members)
    }

    private func conditionsJSON(_ conditions: [Condition]?) -> JSON? {
        conditions.map { conditions in
            .array(conditions.map { condition in
                var stamped = condition
                stamped.observedGeneration = generation
                return stamped.json
            })
        }
    }

    private func stageJSON(_ stage: StageUpdatingStatus) -> JSON {
        var members: [String: JSON] = ["stageName": .string(stage.stageName), "clusters": .array(stage.clusters.map(clusterJSON))]
        members["beforeStageTaskStatus"] = stage.beforeStageTaskStatus.map { .array($0.map(taskJSON)) }
        members["afterStageTaskStatus"] = stage.afterStageTaskStatus.map { .array($0.map(taskJSON)) }
        members["conditions"] = conditionsJSON(stage.conditions)
        members["startTime"] = stage.startTime.map { .string(KubeTime.format($0)) }
        members["endTime"] = stage.endTime.map { .string(KubeTime.format($0)) }
        return .object(members)
    }

    private func clusterJSON(_ cluster: ClusterUpdatingStatus) -> JSON {
        var members: [String: JSON] = ["clusterName": .string(cluster.clusterName)]
        members["clusterResourceOverrideSnapshots"] = cluster.clusterResourceOverrideSnapshots.map { .array($0.map(JSON.string)) }
        members["resourceOverrideSnapshots"] = cluster.resourceOverrideSnapshots.map { snapshots in
            .array(snapshots.map { ["name": .string($0.name), "namespace": .string($0.namespace)] })
        }
        members["conditions"] = conditionsJSON(cluster.conditions)
        return .object(members)
    }

    private func taskJSON(_ task: StageTaskStatus) -> JSON {
        var members: [String: JSON] = ["type": .string(task.type.rawValue)]
        members["approvalRequestName"] = task.approvalRequestName.map(JSON.string)
        members["conditions"] = conditionsJSON(task.conditions)
        members["measurements"] = task.measurements.map { measurements in
            .array(measurements.map { measurement in
                var members: [String: JSON] = [
                    "time": .string(KubeTime.format(measurement.time)), "passed": .bool(measurement.passed),
                    "message": .string(measurement.message),
                ]
                members["value"] = measurement.value.map(JSON.string)
                return .object(members)
            })
        }
        return .object(members)
    }
}
