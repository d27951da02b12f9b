public import FleetAPI

/// Which manifest of a Work: KubeFleet's `WorkResourceIdentifier`.
public struct ManifestIdentifier: Sendable, Hashable {
    public var ordinal: Int
    public var group: String
    public var version: String
    public var kind: String
    public var resource: String
    public var namespace: String
    public var name: String

    public init(
        ordinal: Int, group: String, version: String, kind: String, resource: String, namespace: String, name: String
    ) {
        self.ordinal = ordinal
        self.group = group
        self.version = version
        self.kind = kind
        self.resource = resource
        self.namespace = namespace
        self.name = name
    }

    /// The same object whatever its place in the list or the version it is written in.
    public var objectKey: String { "\(group)/\(kind)/\(namespace)/\(name)" }

    public var json: JSON {
        var object: [String: JSON] = ["ordinal": .int(Int64(ordinal))]
        for (key, value) in [
            ("group", group), ("version", version), ("kind", kind), ("resource", resource), ("namespace", namespace),
            ("name", name),
        ] where !value.isEmpty {
            object[key] = .string(value)
        }
        return .object(object)
    }

    public init(json: JSON) {
        self.init(
            ordinal: Int(json["ordinal"]?.intValue ?? 0), group: json["group"]?.stringValue ?? "",
            version: json["version"]?.stringValue ?? "", kind: json["kind"]?.stringValue ?? "",
            resource: json["resource"]?.stringValue ?? "", namespace: json["namespace"]?.stringValue ?? "",
            name: json["name"]?.stringValue ?? "")
    }
}

/// One field that differs between the hub's manifest and the member's object: KubeFleet's `PatchDetail`.
public struct PatchDetail: Sendable, Hashable {
    public var path: String
    public var valueInMember: String?
    public var valueInHub: String?

    public init(path: String, valueInMember: String?, valueInHub: String?) {
        self.path = path
        self.valueInMember = valueInMember
        self.valueInHub = valueInHub
    }

    public var json: JSON {
        var object: [String: JSON] = ["path": .string(path)]
        if let valueInMember { object["valueInMember"] = .string(valueInMember) }
        if let valueInHub { object["valueInHub"] = .string(valueInHub) }
        return .object(object)
    }
}

/// How applying (or diffing) one manifest went: KubeFleet's `ManifestProcessingApplyOrReportDiffResultType`,
/// with the error each failure carries.
public enum ApplyResult: Sendable, Equatable {
    case applied
    case decodingErred(String)
    case foundGenerateName(String)
    case duplicated(String)
    case failedToFindObject(String)
    case notTakenOver(String)
    case failedToTakeOver(String)
    case failedToApply(String)
    /// `whenToApply: IfNotDrifted` and the object drifted from the manifest last applied.
    case foundDrifts(String)
    case foundDiff
    case noDiffFound
    case failedToReportDiff(String)

    /// The reason KubeFleet writes on the manifest's condition.
    public var reason: String {
        switch self {
        case .applied: "Applied"
        case .decodingErred: "DecodingErred"
        case .foundGenerateName: "FoundGenerateName"
        case .duplicated: "Duplicated"
        case .failedToFindObject: "FailedToFindObjInMemberCluster"
        case .notTakenOver: "NotTakenOver"
        case .failedToTakeOver: "FailedToTakeOver"
        case .failedToApply: "ManifestApplyFailed"
        case .foundDrifts: "FoundDrifts"
        case .foundDiff: "FoundDiff"
        case .noDiffFound: "NoDiffFound"
        case .failedToReportDiff: "FailedToReportDiff"
        }
    }

    public var error: String? {
        switch self {
        case .applied, .foundDiff, .noDiffFound: nil
        case .decodingErred(let e), .foundGenerateName(let e), .duplicated(let e), .failedToFindObject(let e),
            .notTakenOver(let e), .failedToTakeOver(let e), .failedToApply(let e), .foundDrifts(let e),
            .failedToReportDiff(let e):
            e
        }
    }

    public var isApplied: Bool { self == .applied }
    public var isDiffReported: Bool { self == .foundDiff || self == .noDiffFound }
}

/// Whether an applied object is available: KubeFleet's `ManifestProcessingAvailabilityResultType`.
public enum AvailabilityResult: String, Sendable, Equatable {
    /// Not tracked, because the manifest was not applied (or the Work only reports diffs).
    case skipped = "Skipped"
    case available = "Available"
    case notYetAvailable = "ManifestNotAvailableYet"
    case notTrackable = "NotTrackable"

    public var countsAsAvailable: Bool { self == .available || self == .notTrackable }
}

/// Everything the agent learnt about one manifest in one pass.
public struct ManifestOutcome: Sendable, Equatable {
    public var identifier: ManifestIdentifier
    public var apply: ApplyResult
    public var availability: AvailabilityResult
    /// The member object's generation; nil when there is no object.
    public var memberGeneration: Int64?
    /// How the member's object differs from the manifest: ReportDiff's diff, or IfNoDiff's reason not to take over.
    public var diffs: [PatchDetail]
    /// How the member's object drifted from the manifest last applied (`whenToApply: IfNotDrifted`).
    public var drifts: [PatchDetail]

    public init(
        identifier: ManifestIdentifier, apply: ApplyResult, availability: AvailabilityResult = .skipped,
        memberGeneration: Int64? = nil, diffs: [PatchDetail] = [], drifts: [PatchDetail] = []
    ) {
        self.identifier = identifier
        self.apply = apply
        self.availability = availability
        self.memberGeneration = memberGeneration
        self.diffs = diffs
        self.drifts = drifts
    }
}
