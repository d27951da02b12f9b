import FleetAPI
import Foundation

/// One update run: its spec and the status KubeFleet would show, folded from the run's events.
public struct UpdateRunState: Sendable, Hashable, Codable {
    public var key: ObjectKey
    public var spec: UpdateRunSpec
    public var generation: Int64
    public var status = UpdateRunStatus()
    public var resourceSnapshotIndex: Int?
    public var applyStrategy: JSON?
    public var overrides: [String: [ObjectKey]] = [:]
    /// ReportDiff mode: members report differences instead of applying, and a report completes a cluster.
    public var reportsDiff: Bool { applyStrategy?["type"]?.stringValue == "ReportDiff" }
    /// How long a cluster may take before the run reports Stuck: the run's annotation, else KubeFleet's 5 minutes.
    public var stuckThreshold: TimeInterval = UpdateRunController.stuckThreshold
    /// Whether drift in the fleet after initialization is ignored instead of failing the run.
    public var frozenMembership = false

    public init(key: ObjectKey, spec: UpdateRunSpec, generation: Int64) {
        self.key = key
        self.spec = spec
        self.generation = generation
    }

    /// Reads Flotilla's run annotations; validation has already refused values it does not understand.
    mutating func configure(annotations: [String: String]) {
        stuckThreshold = annotations[FleetLabel.stuckThreshold].flatMap(GoDuration.init(parsing:)).map {
            Double($0.milliseconds) / 1000
        } ?? UpdateRunController.stuckThreshold
        frozenMembership = annotations[FleetLabel.membership] == "Frozen"
    }

    public var placement: ObjectKey { PlacementNames.placementKey(forRun: key, placementName: spec.placementName) }
    /// An omitted state means Run, as the seed's manifests assume.
    public var desiredState: UpdateRunSpec.State { spec.state ?? .run }
    var conditions: [Condition] { status.conditions ?? [] }
    public var isInitialized: Bool { conditions.isTrue("Initialized") }
    public var initializationFailed: Bool { conditions[type: "Initialized"]?.status == .false }
    public var isFinished: Bool { conditions[type: "Succeeded"] != nil }
    var stages: [StageUpdatingStatus] { status.stagesStatus ?? [] }
    var strategyStages: [StageConfig] { status.stagedUpdateStrategySnapshot?.stages ?? [] }
}
