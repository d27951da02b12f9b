import FleetAPI

/// A resource URL, `/api/v1/...` or `/apis/<group>/<version>/...`, taken apart.
struct ResourcePath: Sendable, Equatable {
    var kind: ResourceKind
    var version: String
    /// The namespace the URL names; nil for cluster-scoped kinds and for lists across all namespaces.
    var namespace: String?
    var name: String?
    var subresource: String?

    var apiVersion: String { kind.group.isEmpty ? version : "\(kind.group)/\(version)" }

    /// Parses what follows the group-version prefix; nil when no kind `registry` serves matches.
    static func parse(_ segments: [String], group: String, version: String, _ registry: KindRegistry) -> ResourcePath? {
        func kind(_ plural: String) -> ResourceKind? { registry.kind(group: group, version: version, plural: plural) }
        if segments.count >= 3, segments[0] == "namespaces", let namespaced = kind(segments[2]), namespaced.namespaced {
            guard segments.count <= 5 else { return nil }
            return ResourcePath(
                kind: namespaced, version: version, namespace: segments[1], name: segments.count > 3 ? segments[3] : nil,
                subresource: segments.count > 4 ? segments[4] : nil)
        }
        guard let first = segments.first, let found = kind(first), segments.count <= 3 else { return nil }
        return ResourcePath(
            kind: found, version: version, namespace: nil, name: segments.count > 1 ? segments[1] : nil,
            subresource: segments.count > 2 ? segments[2] : nil)
    }
}
