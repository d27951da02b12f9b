import Foundation

/// `ClusterStagedUpdateRun` / `StagedUpdateRun` spec.
public struct UpdateRunSpec: Codable, Sendable, Hashable {
    public enum State: String, Codable, Sendable, CaseIterable {
        case initialize = "Initialize"
        case run = "Run"
        case stop = "Stop"
    }

    public var placementName: String
    public var resourceSnapshotIndex: String?
    public var stagedRolloutStrategyName: String
    public var state: State?

    public init(placementName: String, resourceSnapshotIndex: String?, stagedRolloutStrategyName: String, state: State? = nil) {
        self.placementName = placementName
        self.resourceSnapshotIndex = resourceSnapshotIndex
        self.stagedRolloutStrategyName = stagedRolloutStrategyName
        self.state = state
    }
}

/// The run's status in KubeFleet's layout: what `kubectl get csur -o yaml` shows.
public struct UpdateRunStatus: Codable, Sendable, Hashable {
    public var conditions: [Condition]?
    public var deletionStageStatus: StageUpdatingStatus?
    public var policyObservedClusterCount: Int?
    public var policySnapshotIndexUsed: String?
    public var stagedUpdateStrategySnapshot: StagedUpdateStrategySpec?
    public var stagesStatus: [StageUpdatingStatus]?

    public init() {}
}

public struct StageUpdatingStatus: Codable, Sendable, Hashable {
    public var stageName: String
    public var clusters: [ClusterUpdatingStatus]
    public var beforeStageTaskStatus: [StageTaskStatus]?
    public var afterStageTaskStatus: [StageTaskStatus]?
    public var conditions: [Condition]?
    public var startTime: Date?
    public var endTime: Date?

    public init(stageName: String, clusters: [ClusterUpdatingStatus]) {
        self.stageName = stageName
        self.clusters = clusters
    }
}

/// One answer a MetricGate got: when, the first sample's value (absent when the query failed), and whether it met
/// the gate's `successCondition`.
public struct MetricMeasurement: Codable, Sendable, Hashable {
    public var time: Date
    public var value: String?
    public var passed: Bool
    public var message: String

    public init(time: Date, value: String?, passed: Bool, message: String) {
        self.time = time
        self.value = value
        self.passed = passed
        self.message = message
    }
}

public struct ClusterUpdatingStatus: Codable, Sendable, Hashable {
    public struct NamespacedName: Codable, Sendable, Hashable {
        public var name: String
        public var namespace: String

        public init(name: String, namespace: String) {
            self.name = name
            self.namespace = namespace
        }
    }

    public var clusterName: String
    public var clusterResourceOverrideSnapshots: [String]?
    public var resourceOverrideSnapshots: [NamespacedName]?
    public var conditions: [Condition]?

    public init(clusterName: String) {
        self.clusterName = clusterName
    }
}

public struct StageTaskStatus: Codable, Sendable, Hashable {
    public var type: StageTask.TaskType
    public var approvalRequestName: String?
    public var conditions: [Condition]?
    /// A MetricGate's measurements so far, oldest first.
    public var measurements: [MetricMeasurement]?

    public init(type: StageTask.TaskType, approvalRequestName: String? = nil) {
        self.type = type
        self.approvalRequestName = approvalRequestName
    }
}

extension UpdateRunSpec {
    /// The spec `JSONValueDecoder` decodes from `json`, or nil where it would throw: read directly, as a hub reads a
    /// run's spec each time the run is created or changed, replays included, and the decoder's generic walk cost
    /// more than the rest of creating the run.
    public init?(json: JSON) {
        typealias Read = JSONTreeReading
        guard case .object(let members) = json,
            let placementName = members["placementName"].flatMap(Read.string),
            let stagedRolloutStrategyName = members["stagedRolloutStrategyName"].flatMap(Read.string),
            let resourceSnapshotIndex = Read.optional(members["resourceSnapshotIndex"], Read.string),
            let state = Read.optional(members["state"], { Read.string($0).flatMap(State.init(rawValue:)) })
        else { return nil }
        self.init(
            placementName: placementName, resourceSnapshotIndex: resourceSnapshotIndex,
            stagedRolloutStrategyName: stagedRolloutStrategyName, state: state)
    }
}
