import FleetAPI

/// `/version`, `/api`, `/apis` and the per-version resource lists, in both the aggregated (v2) form kubectl
/// 1.32 asks for and the legacy form older clients use.
enum Discovery {
    static let version: JSON = [
        "major": "1", "minor": "32", "gitVersion": "v1.32.4-flotilla", "gitCommit": "flotilla",
        "gitTreeState": "clean", "buildDate": "2026-11-26T00:00:00Z", "goVersion": "swift6.3", "compiler": "swiftc",
        "platform": "linux/amd64",
    ]

    /// The API server's never-stored resources the hub answers: `kubectl auth can-i` and `auth whoami`.
    static let reviews: [ResourceKind] = [
        ResourceKind(group: "authentication.k8s.io", versions: ["v1"], kind: "SelfSubjectReview", plural: "selfsubjectreviews", namespaced: false),
        ResourceKind(group: "authorization.k8s.io", versions: ["v1"], kind: "SelfSubjectAccessReview", plural: "selfsubjectaccessreviews", namespaced: false),
        ResourceKind(group: "authorization.k8s.io", versions: ["v1"], kind: "SelfSubjectRulesReview", plural: "selfsubjectrulesreviews", namespaced: false),
    ]

    static func verbs(_ kind: ResourceKind) -> JSON { reviews.contains(kind) ? ["create"] : verbs }

    /// Groups in the order discovery lists them, each with its versions, preferred first.
    static func groups(_ registry: KindRegistry) -> [(name: String, versions: [String])] {
        var result: [(String, [String])] = []
        for kind in registry.all + reviews {
            if let index = result.firstIndex(where: { $0.0 == kind.group }) {
                for version in kind.versions where !result[index].1.contains(version) { result[index].1.append(version) }
            } else {
                result.append((kind.group, kind.versions))
            }
        }
        return result.map { (name: $0.0, versions: $0.1) }
    }

    static func kinds(group: String, version: String, _ registry: KindRegistry) -> [ResourceKind] {
        (registry.all + reviews).filter { $0.group == group && $0.versions.contains(version) }
    }

    static let verbs: JSON = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    static func aggregated(core: Bool, _ registry: KindRegistry) -> JSON {
        let items: [JSON] = groups(registry).filter { ($0.name.isEmpty) == core }.map { group in
            let versions: [JSON] = group.versions.map { version in
                let resources: [JSON] = kinds(group: group.name, version: version, registry).map { kind in
                    let responseKind: JSON = ["group": .string(kind.group), "version": .string(version), "kind": .string(kind.kind)]
                    var resource: JSON = [
                        "resource": .string(kind.plural), "singularResource": .string(kind.singular),
                        "responseKind": responseKind, "scope": kind.namespaced ? "Namespaced" : "Cluster",
                        "verbs": verbs(kind),
                    ]
                    if !kind.shortNames.isEmpty { resource["shortNames"] = .array(kind.shortNames.map(JSON.string)) }
                    if !kind.categories.isEmpty { resource["categories"] = .array(kind.categories.map(JSON.string)) }
                    var subresources: [JSON] = []
                    if kind.hasStatus {
                        subresources.append(["subresource": "status", "verbs": ["get", "patch", "update"], "responseKind": responseKind])
                    }
                    if kind == .serviceAccount {
                        subresources.append([
                            "subresource": "token", "verbs": ["create"],
                            "responseKind": ["group": "authentication.k8s.io", "version": "v1", "kind": "TokenRequest"],
                        ])
                    }
                    if !subresources.isEmpty { resource["subresources"] = .array(subresources) }
                    return resource
                }
                return ["version": .string(version), "freshness": "Current", "resources": .array(resources)]
            }
            return ["metadata": ["name": .string(group.name)], "versions": .array(versions)]
        }
        return [
            "kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": .emptyObject,
            "items": .array(items),
        ]
    }

    static let apiVersions: JSON = [
        "kind": "APIVersions", "versions": ["v1"],
        "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": ""]],
    ]

    static func apiGroupList(_ registry: KindRegistry) -> JSON {
        let list: [JSON] = groups(registry).filter { !$0.name.isEmpty }.map { group in
            let versions: [JSON] = group.versions.map {
                ["groupVersion": .string("\(group.name)/\($0)"), "version": .string($0)]
            }
            return ["name": .string(group.name), "versions": .array(versions), "preferredVersion": versions[0]]
        }
        return ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(list)]
    }

    static func resourceList(group: String, version: String, _ registry: KindRegistry) -> JSON? {
        let kinds = kinds(group: group, version: version, registry)
        guard !kinds.isEmpty else { return nil }
        var resources: [JSON] = []
        for kind in kinds {
            var resource: JSON = [
                "name": .string(kind.plural), "singularName": .string(kind.singular), "namespaced": .bool(kind.namespaced),
                "kind": .string(kind.kind), "verbs": verbs(kind),
            ]
            if !kind.shortNames.isEmpty { resource["shortNames"] = .array(kind.shortNames.map(JSON.string)) }
            if !kind.categories.isEmpty { resource["categories"] = .array(kind.categories.map(JSON.string)) }
            resources.append(resource)
            if kind.hasStatus {
                resources.append([
                    "name": .string("\(kind.plural)/status"), "singularName": "", "namespaced": .bool(kind.namespaced),
                    "kind": .string(kind.kind), "verbs": ["get", "patch", "update"],
                ])
            }
            if kind == .serviceAccount {
                resources.append([
                    "name": "serviceaccounts/token", "singularName": "", "namespaced": true, "group": "authentication.k8s.io",
                    "version": "v1", "kind": "TokenRequest", "verbs": ["create"],
                ])
            }
        }
        let groupVersion = group.isEmpty ? version : "\(group)/\(version)"
        return ["kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(groupVersion), "resources": .array(resources)]
    }
}
