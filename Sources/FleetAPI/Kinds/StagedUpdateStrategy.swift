/// `ClusterStagedUpdateStrategy` / `StagedUpdateStrategy` spec.
public struct StagedUpdateStrategySpec: Codable, Sendable, Hashable {
    public var stages: [StageConfig]

    public init(stages: [StageConfig]) {
        self.stages = stages
    }
}

public struct StageConfig: Codable, Sendable, Hashable {
    public var name: String
    public var labelSelector: LabelSelector?
    public var sortingLabelKey: String?
    public var maxConcurrency: IntOrString?
    public var beforeStageTasks: [StageTask]?
    public var afterStageTasks: [StageTask]?

    public init(
        name: String, labelSelector: LabelSelector?, sortingLabelKey: String? = nil,
        maxConcurrency: IntOrString? = nil, beforeStageTasks: [StageTask]? = nil, afterStageTasks: [StageTask]? = nil
    ) {
        self.name = name
        self.labelSelector = labelSelector
        self.sortingLabelKey = sortingLabelKey
        self.maxConcurrency = maxConcurrency
        self.beforeStageTasks = beforeStageTasks
        self.afterStageTasks = afterStageTasks
    }
}

public struct StageTask: Codable, Sendable, Hashable {
    public enum TaskType: String, Codable, Sendable {
        case timedWait = "TimedWait"
        case approval = "Approval"
        /// Flotilla's: the stage starts only inside (or, denying, outside) a cron-scheduled window.
        case scheduleWindow = "ScheduleWindow"
        /// Flotilla's: the stage (before) or the next one (after) waits on measurements of a metric.
        case metricGate = "MetricGate"
    }

    public var type: TaskType
    public var waitTime: GoDuration?
    public var scheduleWindow: ScheduleWindow?
    public var metricGate: MetricGate?

    public init(type: TaskType, waitTime: GoDuration? = nil, scheduleWindow: ScheduleWindow? = nil, metricGate: MetricGate? = nil) {
        self.type = type
        self.waitTime = waitTime
        self.scheduleWindow = scheduleWindow
        self.metricGate = metricGate
    }
}

/// `intstr.IntOrString`.
public enum IntOrString: Codable, Sendable, Hashable {
    case int(Int)
    case string(String)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        }
    }
}
