import FleetAPI

/// The roles and bindings the hub has from its first start, as the API server's bootstrap policy: the
/// user-facing `cluster-admin`, `admin`, `edit` and `view` (the last three aggregated, view ⊂ edit ⊂ admin),
/// extended to the Fleet kinds, and the `system:` roles every authenticated user holds.
///
/// `flotilla serve` writes them into the journal at start; until then, and for a hub that cannot write, they
/// hold as built in, and a stored object of the same kind and name takes their place.
public enum BootstrapPolicy {
    static let read = ["get", "list", "watch"]
    static let write = ["create", "delete", "deletecollection", "patch", "update"]
    static let aggregateLabel = "rbac.authorization.k8s.io/aggregate-to-"

    public static let objects: [JSON] = clusterRoles + clusterRoleBindings

    public static func labels(of object: JSON) -> [String: String] {
        (object[path: ["metadata", "labels"]]?.objectValue ?? [:]).compactMapValues(\.stringValue)
    }

    static func clusterRole(
        _ name: String, rules: [PolicyRule] = [], labels: [String: String] = [:], aggregateFrom: String? = nil
    ) -> JSON {
        var allLabels = labels
        allLabels["kubernetes.io/bootstrapping"] = "rbac-defaults"
        var metadata: JSON = ["name": .string(name), "labels": .object(allLabels.mapValues(JSON.string))]
        metadata["annotations"] = ["rbac.authorization.kubernetes.io/autoupdate": "true"]
        var role: JSON = [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": metadata,
            "rules": .array(rules.map(\.json)),
        ]
        if let aggregateFrom {
            role["aggregationRule"] = [
                "clusterRoleSelectors": [["matchLabels": .object(["\(aggregateLabel)\(aggregateFrom)": "true"])]]
            ]
        }
        return role
    }

    static func clusterRoleBinding(_ name: String, role: String, groups: [String]) -> JSON {
        let subjects: [JSON] = groups.map { ["apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": .string($0)] }
        return [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
            "metadata": [
                "name": .string(name), "labels": ["kubernetes.io/bootstrapping": "rbac-defaults"],
                "annotations": ["rbac.authorization.kubernetes.io/autoupdate": "true"],
            ],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": .string(role)],
            "subjects": .array(subjects),
        ]
    }

    /// The kinds in a group, by plural, with their status subresources when asked.
    static func resources(_ kinds: [ResourceKind], status: Bool = false) -> [String] {
        kinds.map(\.plural) + (status ? kinds.filter(\.hasStatus).map { "\($0.plural)/status" } : [])
    }

    static var workloads: [ResourceKind] {
        ResourceKind.all.filter { ($0.group.isEmpty || $0.group == "apps") && $0 != .namespace && $0 != .secret }
    }

    static var placementKinds: [ResourceKind] { ResourceKind.all.filter { $0.group == ResourceKind.placementGroup } }
    static var clusterKinds: [ResourceKind] { ResourceKind.all.filter { $0.group == ResourceKind.clusterGroup } }

    static func byGroup(_ kinds: [ResourceKind], verbs: [String], status: Bool) -> [PolicyRule] {
        var groups: [String] = []
        for kind in kinds where !groups.contains(kind.group) { groups.append(kind.group) }
        return groups.map { group in
            PolicyRule(verbs: verbs, apiGroups: [group], resources: resources(kinds.filter { $0.group == group }, status: status))
        }
    }

    static let clusterRoles: [JSON] = [
        clusterRole(
            "cluster-admin",
            rules: [PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"]), PolicyRule(verbs: ["*"], nonResourceURLs: ["*"])]),
        clusterRole("admin", aggregateFrom: "admin"),
        clusterRole("edit", labels: ["\(aggregateLabel)admin": "true"], aggregateFrom: "edit"),
        clusterRole("view", labels: ["\(aggregateLabel)edit": "true"], aggregateFrom: "view"),
        clusterRole(
            "system:aggregate-to-admin",
            rules: [
                PolicyRule(verbs: read + write, apiGroups: [RBACPolicy.group], resources: ["rolebindings", "roles"]),
                PolicyRule(verbs: ["create"], apiGroups: ["authorization.k8s.io"], resources: ["localsubjectaccessreviews"]),
            ],
            labels: ["\(aggregateLabel)admin": "true"]),
        clusterRole(
            "system:aggregate-to-edit",
            rules: byGroup(workloads + [.secret], verbs: write, status: false)
                + byGroup(placementKinds, verbs: write, status: true)
                + [
                    PolicyRule(verbs: ["impersonate"], apiGroups: [""], resources: ["serviceaccounts"]),
                    PolicyRule(verbs: ["create"], apiGroups: [""], resources: ["serviceaccounts/token"]),
                    PolicyRule(verbs: read, apiGroups: [""], resources: ["secrets"]),
                ],
            labels: ["\(aggregateLabel)edit": "true"]),
        clusterRole(
            "system:aggregate-to-view",
            rules: byGroup(workloads, verbs: read, status: true)
                + [PolicyRule(verbs: read, apiGroups: [""], resources: ["namespaces", "namespaces/status"])]
                + byGroup(placementKinds + clusterKinds, verbs: read, status: true),
            labels: ["\(aggregateLabel)view": "true"]),
        clusterRole(
            "system:basic-user",
            rules: [
                PolicyRule(verbs: ["create"], apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]),
                PolicyRule(verbs: ["create"], apiGroups: ["authentication.k8s.io"], resources: ["selfsubjectreviews"]),
            ]),
        clusterRole(
            "system:discovery",
            rules: [
                PolicyRule(
                    verbs: ["get"],
                    nonResourceURLs: ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"])
            ]),
        clusterRole(
            "system:public-info-viewer",
            rules: [PolicyRule(verbs: ["get"], nonResourceURLs: ["/healthz", "/livez", "/readyz", "/version", "/version/"])]),
    ]

    static let clusterRoleBindings: [JSON] = [
        clusterRoleBinding("cluster-admin", role: "cluster-admin", groups: [UserInfo.mastersGroup]),
        clusterRoleBinding("system:basic-user", role: "system:basic-user", groups: [UserInfo.authenticatedGroup]),
        clusterRoleBinding("system:discovery", role: "system:discovery", groups: [UserInfo.authenticatedGroup]),
        clusterRoleBinding(
            "system:public-info-viewer", role: "system:public-info-viewer",
            groups: [UserInfo.authenticatedGroup, UserInfo.unauthenticatedGroup]),
    ]
}
