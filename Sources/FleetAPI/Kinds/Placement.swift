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

extension PlacementSpec {
    /// The spec `JSONValueDecoder` decodes from `json`, or nil where it would throw: read directly, as a replay reads
    /// each new placement and each edit of one, and the decoder's generic walk cost about 140,000 instructions a spec.
    public init?(json: JSON) {
        typealias Read = JSONTreeReading
        guard case .object(let members) = json,
            let resourceSelectors = members["resourceSelectors"].flatMap({ Read.array($0, ResourceSelector.init(json:)) }),
            let policy = Read.optional(members["policy"], PlacementPolicy.init(json:)),
            let strategy = Read.optional(members["strategy"], RolloutStrategy.init(json:)),
            let revisionHistoryLimit = Read.optional(members["revisionHistoryLimit"], { Read.integer($0, as: Int.self) })
        else { return nil }
        self.init(
            resourceSelectors: resourceSelectors, policy: policy, strategy: strategy,
            revisionHistoryLimit: revisionHistoryLimit)
    }
}

extension ResourceSelector {
    init?(json: JSON) {
        typealias Read = JSONTreeReading
        guard case .object(let members) = json, let group = members["group"].flatMap(Read.string),
            let version = members["version"].flatMap(Read.string), let kind = members["kind"].flatMap(Read.string),
            let name = Read.optional(members["name"], Read.string),
            let labelSelector = Read.optional(members["labelSelector"], LabelSelector.init(json:))
        else { return nil }
        self.init(group: group, version: version, kind: kind, name: name, labelSelector: labelSelector)
    }
}

extension PlacementPolicy {
    init?(json: JSON) {
        typealias Read = JSONTreeReading
        guard case .object(let members) = json,
            let placementType = Read.optional(members["placementType"], { Read.string($0).flatMap(PlacementType.init(rawValue:)) }),
            let clusterNames = Read.optional(members["clusterNames"], { Read.array($0, Read.string) }),
            let numberOfClusters = Read.optional(members["numberOfClusters"], { Read.integer($0, as: Int.self) })
        else { return nil }
        self.init(
            placementType: placementType, clusterNames: clusterNames, numberOfClusters: numberOfClusters,
            affinity: Read.present(members["affinity"]), tolerations: Read.present(members["tolerations"]),
            topologySpreadConstraints: Read.present(members["topologySpreadConstraints"]))
    }
}

extension RolloutStrategy {
    init?(json: JSON) {
        typealias Read = JSONTreeReading
        guard case .object(let members) = json,
            let type = Read.optional(members["type"], { Read.string($0).flatMap(StrategyType.init(rawValue:)) })
        else { return nil }
        self.init(type: type, rollingUpdate: Read.present(members["rollingUpdate"]), applyStrategy: Read.present(members["applyStrategy"]))
    }
}
