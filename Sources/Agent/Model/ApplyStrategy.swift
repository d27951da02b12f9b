public import FleetAPI

/// A Work's `spec.applyStrategy`, KubeFleet's `ApplyStrategy` with its defaults.
public struct ApplyStrategy: Sendable, Equatable {
    public enum Kind: String, Sendable { case clientSideApply = "ClientSideApply", serverSideApply = "ServerSideApply", reportDiff = "ReportDiff" }
    public enum TakeOver: String, Sendable { case always = "Always", ifNoDiff = "IfNoDiff", never = "Never" }
    public enum Comparison: String, Sendable { case partial = "PartialComparison", full = "FullComparison" }
    public enum WhenToApply: String, Sendable { case always = "Always", ifNotDrifted = "IfNotDrifted" }

    public var type = Kind.clientSideApply
    public var whenToTakeOver = TakeOver.always
    public var comparisonOption = Comparison.partial
    public var whenToApply = WhenToApply.always
    public var allowCoOwnership = false
    public var force = false

    public init() {}

    /// Reads `spec.applyStrategy`; a value KubeFleet does not define is refused naming its field.
    public init(_ json: JSON?) throws(ManifestError) {
        guard let json, !json.isNull else { return }
        func value<T: RawRepresentable<String>>(_ field: String, _: T.Type) throws(ManifestError) -> T? {
            guard let raw = json[field], !raw.isNull else { return nil }
            guard let text = raw.stringValue, let parsed = T(rawValue: text) else {
                throw ManifestError("spec.applyStrategy.\(field): Unsupported value: \(raw)")
            }
            return parsed
        }
        type = try value("type", Kind.self) ?? type
        whenToTakeOver = try value("whenToTakeOver", TakeOver.self) ?? whenToTakeOver
        comparisonOption = try value("comparisonOption", Comparison.self) ?? comparisonOption
        whenToApply = try value("whenToApply", WhenToApply.self) ?? whenToApply
        allowCoOwnership = json["allowCoOwnership"]?.boolValue ?? false
        force = json["serverSideApplyConfig"]?["force"]?.boolValue ?? false
    }
}

/// A Work or manifest the agent cannot use as written.
public struct ManifestError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
