/// One rule a field breaks, in the words Kubernetes uses for a 422 `Invalid` cause.
public struct FieldError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var rule: String

    public init(field: String, rule: String) {
        self.field = field
        self.rule = rule
    }

    public var description: String { "\(field): \(rule)" }
}

/// An object refused before anything is written: the kind, the name and every broken rule.
public struct InvalidObject: Error, Sendable, Hashable, CustomStringConvertible {
    public var kind: String
    public var name: String
    public var causes: [FieldError]

    public init(kind: String, name: String, causes: [FieldError]) {
        self.kind = kind
        self.name = name
        self.causes = causes
    }

    /// The message `kubectl` prints for a 422, e.g.
    /// `ClusterStagedUpdateRun.placement.kubernetes-fleet.io "run" is invalid: spec.placementName: Required value`.
    public func message(group: String) -> String {
        let qualified = group.isEmpty ? kind : "\(kind).\(group)"
        let details = causes.map(\.description)
        let joined = details.count == 1 ? details[0] : "[" + details.joined(separator: ", ") + "]"
        return "\(qualified) \"\(name)\" is invalid: \(joined)"
    }

    public var description: String { message(group: "") }
}
