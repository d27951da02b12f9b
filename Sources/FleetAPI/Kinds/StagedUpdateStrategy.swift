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

extension StagedUpdateStrategySpec {
    /// The strategy `JSONValueDecoder` decodes from `json`, or nil where it would throw: read directly, as each run's
    /// initialization reads one and a replay reads each new one, and the decoder's generic walk cost about 300,000
    /// instructions a strategy. A task's schedule window and metric gate, rare, still go through the decoder.
    public init?(json: JSON) {
        guard case .object(let members) = json,
            let stages = members["stages"].flatMap({ JSONTreeReading.array($0, StageConfig.init(json:)) })
        else { return nil }
        self.init(stages: stages)
    }
}

extension StageConfig {
    init?(json: JSON) {
        typealias Read = JSONTreeReading
        guard case .object(let members) = json, let name = members["name"].flatMap(Read.string),
            let labelSelector = Read.optional(members["labelSelector"], LabelSelector.init(json:)),
            let sortingLabelKey = Read.optional(members["sortingLabelKey"], Read.string),
            let maxConcurrency = Read.optional(members["maxConcurrency"], IntOrString.init(json:)),
            let beforeStageTasks = Read.optional(members["beforeStageTasks"], { Read.array($0, StageTask.init(json:)) }),
            let afterStageTasks = Read.optional(members["afterStageTasks"], { Read.array($0, StageTask.init(json:)) })
        else { return nil }
        self.init(
            name: name, labelSelector: labelSelector, sortingLabelKey: sortingLabelKey, maxConcurrency: maxConcurrency,
            beforeStageTasks: beforeStageTasks, afterStageTasks: afterStageTasks)
    }
}

extension StageTask {
    init?(json: JSON) {
        typealias Read = JSONTreeReading
        guard case .object(let members) = json,
            let type = members["type"].flatMap(Read.string).flatMap(TaskType.init(rawValue:)),
            let waitTime = Read.optional(members["waitTime"], { Read.string($0).flatMap(GoDuration.init(parsing:)) }),
            let scheduleWindow = Read.optional(members["scheduleWindow"], { try? $0.decode(ScheduleWindow.self) }),
            let metricGate = Read.optional(members["metricGate"], { try? $0.decode(MetricGate.self) })
        else { return nil }
        self.init(type: type, waitTime: waitTime, scheduleWindow: scheduleWindow, metricGate: metricGate)
    }
}

extension IntOrString {
    /// As `init(from:)` decodes it: an integer when the value reads as one, else a string.
    init?(json: JSON) {
        if let value = JSONTreeReading.integer(json, as: Int.self) {
            self = .int(value)
        } else if let value = JSONTreeReading.string(json) {
            self = .string(value)
        } else {
            return nil
        }
    }
}
