import FleetAPI

/// Names one object on the hub: its kind, namespace (empty for cluster-scoped kinds) and name.
public struct ObjectKey: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var kind: String
    public var namespace: String
    public var name: String

    public init(kind: String, namespace: String = "", name: String) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    public init(_ kind: ResourceKind, namespace: String = "", name: String) {
        self.init(kind: kind.keyName, namespace: kind.namespaced ? namespace : "", name: name)
    }

    /// The built-in kind of the object; nil for a custom kind, which `HubState.kinds` resolves.
    public var resourceKind: ResourceKind? { ResourceKind.builtIn(keyName: kind) }

    /// The journal stream of the object: `Kind/name` or `Kind/namespace/name`.
    public var description: String { namespace.isEmpty ? "\(kind)/\(name)" : "\(kind)/\(namespace)/\(name)" }

    public static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        (lhs.kind, lhs.namespace, lhs.name) < (rhs.kind, rhs.namespace, rhs.name)
    }
}
