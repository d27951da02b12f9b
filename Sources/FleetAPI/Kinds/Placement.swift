/// `ClusterResourcePlacement` / `ResourcePlacement` spec.
public struct PlacementSpec: Codable, Sendable, Hashable {
    public var resourceSelectors: [ResourceSelector]
    public var policy: PlacementPolicy?
    public var strategy: RolloutStrategy?
    public var revisionHistoryLimit: Int?

    public var placementType: PlacementPolicy.PlacementType { policy?.placementType ?? .pickAll }
    public var strategyType: RolloutStrategy.StrategyType { strategy?.type ?? .rollingUpdate }
}

public struct ResourceSelector: Codable, Sendable, Hashable {
    public var group: String
    public var version: String
    public var kind: String
    public var name: String?
    public var labelSelector: LabelSelector?

    public init(group: String, version: String, kind: String, name: String? = nil, labelSelector: LabelSelector? = nil) {
        self.group = group
        self.version = version
        self.kind = kind
        self.name = name
        self.labelSelector = labelSelector
    }
}

public struct PlacementPolicy: Codable, Sendable, Hashable {
    public enum PlacementType: String, Codable, Sendable {
        case pickAll = "PickAll"
        case pickFixed = "PickFixed"
        case pickN = "PickN"
    }

    public var placementType: PlacementType?
    public var clusterNames: [String]?
    public var numberOfClusters: Int?
    public var affinity: JSON?
    public var tolerations: JSON?
    public var topologySpreadConstraints: JSON?
}

public struct RolloutStrategy: Codable, Sendable, Hashable {
    public enum StrategyType: String, Codable, Sendable {
        case rollingUpdate = "RollingUpdate"
        case external = "External"
    }

    public var type: StrategyType?
    public var rollingUpdate: JSON?
    public var applyStrategy: JSON?
}
