/// `ClusterResourceOverride` / `ResourceOverride` spec: per-cluster changes to the resources a placement
/// propagates, as JSON patches or a deletion, chosen by member labels.
public struct OverrideSpec: Codable, Sendable, Hashable {
    public struct PlacementReference: Codable, Sendable, Hashable {
        public var name: String
    }

    public var placement: PlacementReference?
    public var clusterResourceSelectors: [ResourceSelector]?
    public var resourceSelectors: [ResourceSelector]?
    public var policy: OverridePolicy

    /// The selectors of either scope.
    public var selectors: [ResourceSelector] { (clusterResourceSelectors ?? []) + (resourceSelectors ?? []) }
}

public struct OverridePolicy: Codable, Sendable, Hashable {
    public var overrideRules: [OverrideRule]
}

public struct OverrideRule: Codable, Sendable, Hashable {
    public enum OverrideType: String, Codable, Sendable {
        case jsonPatch = "JSONPatch"
        case delete = "Delete"
    }

    public var clusterSelector: ClusterSelector?
    public var overrideType: OverrideType?
    public var jsonPatchOverrides: [JSONPatchOverride]?

    /// Whether the rule applies to a member with `labels`: no selector means every cluster, and the terms are
    /// ORed as in KubeFleet.
    public func selects(_ labels: [String: String]) -> Bool {
        guard let terms = clusterSelector?.clusterSelectorTerms, !terms.isEmpty else { return true }
        return terms.contains { ($0.labelSelector ?? LabelSelector()).matches(labels) }
    }
}

public struct ClusterSelector: Codable, Sendable, Hashable {
    public struct Term: Codable, Sendable, Hashable {
        public var labelSelector: LabelSelector?
    }

    public var clusterSelectorTerms: [Term]
}

public struct JSONPatchOverride: Codable, Sendable, Hashable {
    public var op: String
    public var path: String
    public var value: JSON?
}
