/// What a request asks to do, in the terms RBAC matches: the API server's `RequestInfo`.
public struct RequestAttributes: Sendable, Hashable {
    public var verb: String
    public var isResourceRequest: Bool
    /// The URL path of a non-resource request.
    public var path: String
    public var apiGroup: String
    public var apiVersion: String
    public var resource: String
    public var subresource: String
    public var namespace: String
    public var name: String

    public init(
        verb: String, isResourceRequest: Bool = true, path: String = "", apiGroup: String = "", apiVersion: String = "",
        resource: String = "", subresource: String = "", namespace: String = "", name: String = ""
    ) {
        self.verb = verb
        self.isResourceRequest = isResourceRequest
        self.path = path
        self.apiGroup = apiGroup
        self.apiVersion = apiVersion
        self.resource = resource
        self.subresource = subresource
        self.namespace = namespace
        self.name = name
    }

    public static func nonResource(_ verb: String, path: String) -> RequestAttributes {
        RequestAttributes(verb: verb, isResourceRequest: false, path: path)
    }

    /// `resource` or `resource/subresource`, as rules and messages name it.
    public var qualifiedResource: String { subresource.isEmpty ? resource : "\(resource)/\(subresource)" }

    /// Reads an HTTP request as `requestinfo.go` does: `/api/v1/...` and `/apis/<group>/<version>/...` with at
    /// least three parts are resource requests; everything else is a non-resource request whose verb is the
    /// lowercase method.
    public static func parse(method: String, path: String, query: [String: String]) -> RequestAttributes {
        let lowered = method.lowercased()
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let nonResource = RequestAttributes.nonResource(lowered, path: path)
        guard let prefix = parts.first, prefix == "api" || prefix == "apis" else { return nonResource }
        let minimum = prefix == "api" ? 2 : 3
        guard parts.count >= minimum + 1 else { return nonResource }
        var attributes = RequestAttributes(verb: "")
        parts.removeFirst()
        if prefix == "apis" { attributes.apiGroup = parts.removeFirst() }
        attributes.apiVersion = parts.removeFirst()
        switch lowered {
        case "post": attributes.verb = "create"
        case "get", "head": attributes.verb = "get"
        case "put": attributes.verb = "update"
        case "patch": attributes.verb = "patch"
        case "delete": attributes.verb = "delete"
        default: attributes.verb = ""
        }
        if parts.first == "watch" {
            attributes.verb = "watch"
            parts.removeFirst()
        }
        // `/namespaces/<ns>/<resource>/...` names a namespace; `/namespaces/<ns>` alone (and its own status and
        // finalize) is the namespace itself, in its own namespace, as the API server reads it.
        if parts.first == "namespaces", parts.count > 1 {
            attributes.namespace = parts[1]
            if parts.count > 2 && !["status", "finalize"].contains(parts[2]) { parts.removeFirst(2) }
        }
        if !parts.isEmpty { attributes.resource = parts[0] }
        if parts.count > 1 { attributes.name = parts[1] }
        if parts.count > 2 { attributes.subresource = parts[2] }
        return attributes.settingCollectionVerb(query: query)
    }

    /// A request with no name is a list, a watch or a deletecollection; a list filtered to one name by
    /// `fieldSelector=metadata.name=X` names it, as the API server does for RBAC's resourceNames.
    private func settingCollectionVerb(query: [String: String]) -> RequestAttributes {
        var attributes = self
        guard attributes.name.isEmpty else { return attributes }
        if attributes.verb == "get" {
            let watch = query["watch"].map { $0 != "false" && $0 != "0" } ?? false
            attributes.verb = watch ? "watch" : "list"
        } else if attributes.verb == "delete" {
            attributes.verb = "deletecollection"
        }
        if attributes.verb == "list" || attributes.verb == "watch", let selector = query["fieldSelector"] {
            for term in selector.split(separator: ",") {
                let pair = term.split(separator: "=", omittingEmptySubsequences: false).filter { !$0.isEmpty }
                if pair.count == 2, pair[0] == "metadata.name" { attributes.name = String(pair[1]) }
            }
        }
        return attributes
    }
}
