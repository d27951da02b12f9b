import FleetAPI

/// One RBAC rule, `rbac.authorization.k8s.io/v1` `PolicyRule`.
public struct PolicyRule: Sendable, Hashable {
    public var verbs: [String]
    public var apiGroups: [String]
    public var resources: [String]
    public var resourceNames: [String]
    public var nonResourceURLs: [String]

    public init(
        verbs: [String], apiGroups: [String] = [], resources: [String] = [], resourceNames: [String] = [],
        nonResourceURLs: [String] = []
    ) {
        self.verbs = verbs
        self.apiGroups = apiGroups
        self.resources = resources
        self.resourceNames = resourceNames
        self.nonResourceURLs = nonResourceURLs
    }

    public init(json: JSON) {
        func strings(_ key: String) -> [String] { json[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        self.init(
            verbs: strings("verbs"), apiGroups: strings("apiGroups"), resources: strings("resources"),
            resourceNames: strings("resourceNames"), nonResourceURLs: strings("nonResourceURLs"))
    }

    public var json: JSON {
        var object: [String: JSON] = ["verbs": .array(verbs.map(JSON.string))]
        if !apiGroups.isEmpty { object["apiGroups"] = .array(apiGroups.map(JSON.string)) }
        if !resources.isEmpty { object["resources"] = .array(resources.map(JSON.string)) }
        if !resourceNames.isEmpty { object["resourceNames"] = .array(resourceNames.map(JSON.string)) }
        if !nonResourceURLs.isEmpty { object["nonResourceURLs"] = .array(nonResourceURLs.map(JSON.string)) }
        return .object(object)
    }

    /// Whether the rule allows the request, as `evaluation_helpers.go` matches: every part must match.
    public func allows(_ request: RequestAttributes) -> Bool {
        guard verbs.contains("*") || verbs.contains(request.verb) else { return false }
        guard request.isResourceRequest else { return matchesNonResourceURL(request.path) }
        guard apiGroups.contains("*") || apiGroups.contains(request.apiGroup) else { return false }
        guard matchesResource(request) else { return false }
        if resourceNames.isEmpty { return true }
        return !request.name.isEmpty && resourceNames.contains(request.name)
    }

    private func matchesResource(_ request: RequestAttributes) -> Bool {
        let qualified = request.qualifiedResource
        return resources.contains { rule in
            rule == "*" || rule == qualified || (!request.subresource.isEmpty && rule == "*/\(request.subresource)")
        }
    }

    private func matchesNonResourceURL(_ path: String) -> Bool {
        nonResourceURLs.contains { url in
            url == "*" || url == path || (url.hasSuffix("*") && path.hasPrefix(String(url.dropLast())))
        }
    }

    /// The rule as the escalation check's denial lists it (`CompactString`): only the parts that are set.
    public var compactDescription: String {
        func list(_ values: [String]) -> String { "[" + values.map { "\"\($0)\"" }.joined(separator: " ") + "]" }
        var parts: [String] = []
        if !apiGroups.isEmpty { parts.append("APIGroups:\(list(apiGroups))") }
        if !resources.isEmpty { parts.append("Resources:\(list(resources))") }
        if !nonResourceURLs.isEmpty { parts.append("NonResourceURLs:\(list(nonResourceURLs))") }
        if !resourceNames.isEmpty { parts.append("ResourceNames:\(list(resourceNames))") }
        if !verbs.isEmpty { parts.append("Verbs:\(list(verbs))") }
        return "{" + parts.joined(separator: ", ") + "}"
    }
}
