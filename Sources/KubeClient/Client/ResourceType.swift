/// A served resource: its group, version and kind, the plural in its URLs, and its scope.
public struct ResourceType: Sendable, Hashable {
    public var group: String
    public var version: String
    public var kind: String
    public var resource: String
    public var namespaced: Bool

    public init(group: String, version: String, kind: String, resource: String, namespaced: Bool) {
        self.group = group
        self.version = version
        self.kind = kind
        self.resource = resource
        self.namespaced = namespaced
    }

    /// `/api/v1/namespaces/NS/configmaps/NAME/status` and the like; a collection when `name` is nil, all
    /// namespaces when `namespace` is nil.
    public func path(namespace: String? = nil, name: String? = nil, subresource: String? = nil) -> String {
        var path = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        if namespaced, let namespace { path += "/namespaces/\(namespace)" }
        path += "/\(resource)"
        if let name { path += "/\(name)" }
        if let subresource { path += "/\(subresource)" }
        return path
    }

    /// Splits `apps/v1` into its group and version (`v1` is the core group).
    public static func split(apiVersion: String) -> (group: String, version: String) {
        guard let slash = apiVersion.lastIndex(of: "/") else { return ("", apiVersion) }
        return (String(apiVersion[..<slash]), String(apiVersion[apiVersion.index(after: slash)...]))
    }
}
