/// `rbac.authorization.k8s.io/v1`: the roles and bindings the hub authorizes every request by.
extension KindSchemas {
    static func rbacFields(_ kind: ResourceKind) -> (String, [String], [String: JSON]) {
        switch kind {
        case .role:
            return ("Namespaced rules that a RoleBinding grants.", [], ["rules": rules()])
        case .clusterRole:
            return (
                "Cluster-wide rules that a RoleBinding or ClusterRoleBinding grants.", [],
                [
                    "rules": rules(),
                    "aggregationRule": object(
                        "Builds the rules from other ClusterRoles; the hub fills rules in from them.",
                        [
                            "clusterRoleSelectors": array(
                                "The ClusterRoles whose rules are combined, by label.",
                                of: ref(labelSelector, "One selector; the roles any selector matches are combined."))
                        ]),
                ]
            )
        default:
            return (
                kind == .roleBinding
                    ? "Grants a Role's or ClusterRole's rules to subjects within a namespace."
                    : "Grants a ClusterRole's rules to subjects across the cluster.",
                ["roleRef"],
                [
                    "subjects": array(
                        "Who the rules are granted to.",
                        of: object(
                            "A user, group or ServiceAccount.", required: ["kind", "name"],
                            [
                                "kind": string("User, Group or ServiceAccount."),
                                "apiGroup": string("rbac.authorization.k8s.io for users and groups; empty for ServiceAccounts."),
                                "name": string("The name of the user, group or ServiceAccount."),
                                "namespace": string("The namespace of a ServiceAccount."),
                            ])),
                    "roleRef": object(
                        "The role granted; it cannot change once set.", required: ["apiGroup", "kind", "name"],
                        [
                            "apiGroup": string("rbac.authorization.k8s.io."),
                            "kind": string("Role or ClusterRole."),
                            "name": string("The role's name."),
                        ]),
                ]
            )
        }
    }

    private static func rules() -> JSON {
        array(
            "What may be done: every request matching one rule is allowed.",
            of: object(
                "Verbs on resources of API groups, or on non-resource URLs.", required: ["verbs"],
                [
                    "verbs": strings("get, list, watch, create, update, patch, delete, deletecollection, or * for all."),
                    "apiGroups": strings("API groups of the resources; \"\" is the core group, * any."),
                    "resources": strings("Resources by plural, resource/subresource, or * for all."),
                    "resourceNames": strings("When set, only objects of these names."),
                    "nonResourceURLs": strings("URL paths such as /healthz, a trailing * matching any suffix."),
                ]))
    }
}
