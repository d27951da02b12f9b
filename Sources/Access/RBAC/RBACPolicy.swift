import FleetAPI

/// The RBAC objects a decision reads, taken apart once: roles and cluster roles by name, bindings in the
/// order they are visited.
public struct RBACPolicy: Sendable {
    public static let group = "rbac.authorization.k8s.io"

    struct Binding: Sendable {
        var name: String
        /// Empty for a ClusterRoleBinding.
        var namespace: String
        var roleKind: String
        var roleName: String
        var subjects: [Subject]
    }

    struct Subject: Sendable {
        var kind: String
        var name: String
        var namespace: String
    }

    struct ClusterRole: Sendable {
        var rules: [PolicyRule]
        var labels: [String: String]
        var aggregation: [LabelSelector]?
    }

    private var roles: [String: [PolicyRule]] = [:]
    private var clusterRoles: [String: ClusterRole] = [:]
    private var clusterRoleBindings: [Binding] = []
    private var roleBindings: [String: [Binding]] = [:]
    /// Each aggregated cluster role's rules, worked out once: the aggregation controller's result.
    private var aggregated: [String: [PolicyRule]] = [:]

    /// - Parameter objects: Role, ClusterRole, RoleBinding and ClusterRoleBinding objects; other kinds are
    ///   ignored. The built-in defaults are added under any object of the same kind and name.
    public init(objects: [JSON], bootstrap: Bool = true) {
        var seen = Set<String>()
        for object in objects + (bootstrap ? BootstrapPolicy.objects : []) {
            guard let kind = object["kind"]?.stringValue, let name = object[path: ["metadata", "name"]]?.stringValue
            else { continue }
            let namespace = object[path: ["metadata", "namespace"]]?.stringValue ?? ""
            guard seen.insert("\(kind)/\(namespace)/\(name)").inserted else { continue }
            let rules = (object["rules"]?.arrayValue ?? []).map(PolicyRule.init(json:))
            switch kind {
            case "Role":
                roles["\(namespace)/\(name)"] = rules
            case "ClusterRole":
                let selectors = object[path: ["aggregationRule", "clusterRoleSelectors"]]?.arrayValue.map { list in
                    list.compactMap { try? JSONValueDecoder().decode(LabelSelector.self, from: $0) }
                }
                let labels = (object[path: ["metadata", "labels"]]?.objectValue ?? [:]).compactMapValues(\.stringValue)
                clusterRoles[name] = ClusterRole(rules: rules, labels: labels, aggregation: selectors)
            case "RoleBinding", "ClusterRoleBinding":
                let subjects = (object["subjects"]?.arrayValue ?? []).map { subject in
                    Subject(
                        kind: subject["kind"]?.stringValue ?? "", name: subject["name"]?.stringValue ?? "",
                        namespace: subject["namespace"]?.stringValue ?? "")
                }
                let binding = Binding(
                    name: name, namespace: kind == "RoleBinding" ? namespace : "",
                    roleKind: object[path: ["roleRef", "kind"]]?.stringValue ?? "",
                    roleName: object[path: ["roleRef", "name"]]?.stringValue ?? "", subjects: subjects)
                if kind == "RoleBinding" { roleBindings[namespace, default: []].append(binding) } else { clusterRoleBindings.append(binding) }
            default:
                continue
            }
        }
        clusterRoleBindings.sort { $0.name < $1.name }
        for key in roleBindings.keys { roleBindings[key]?.sort { $0.name < $1.name } }
        for name in clusterRoles.keys where clusterRoles[name]?.aggregation != nil {
            aggregated[name] = aggregate(name, visiting: [])
        }
    }

    /// The union of the rules of every cluster role an aggregation rule selects, itself excluded, in name
    /// order with duplicates dropped; aggregated roles it selects contribute their own aggregates.
    private func aggregate(_ name: String, visiting: Set<String>) -> [PolicyRule] {
        guard let role = clusterRoles[name], let selectors = role.aggregation else { return clusterRoles[name]?.rules ?? [] }
        var rules: [PolicyRule] = []
        for selector in selectors {
            for candidate in clusterRoles.keys.sorted() where candidate != name && !visiting.contains(candidate) {
                guard let other = clusterRoles[candidate], selector.matches(other.labels) else { continue }
                for rule in aggregate(candidate, visiting: visiting.union([name])) where !rules.contains(rule) {
                    rules.append(rule)
                }
            }
        }
        return rules
    }

    /// The rules a role reference grants, or the error the API server reports for a missing role.
    func rules(kind: String, name: String, namespace: String) -> Result<[PolicyRule], RBACResolutionError> {
        if kind == "ClusterRole" {
            guard clusterRoles[name] != nil else { return .failure(.init(resource: "clusterrole", name: name)) }
            return .success(aggregated[name] ?? clusterRoles[name]?.rules ?? [])
        }
        guard let rules = roles["\(namespace)/\(name)"] else { return .failure(.init(resource: "role", name: name)) }
        return .success(rules)
    }

    /// The rules of a ClusterRole as stored, or as aggregated when it has an aggregation rule.
    public func clusterRoleRules(_ name: String) -> [PolicyRule]? {
        guard clusterRoles[name] != nil else { return nil }
        return aggregated[name] ?? clusterRoles[name]?.rules
    }

    /// Walks every binding that could apply to a request in `namespace`, cluster bindings first, as
    /// `VisitRulesFor` does; `visit` returns false to stop.
    func visitBindings(namespace: String, _ visit: (Binding) -> Bool) {
        for binding in clusterRoleBindings where !visit(binding) { return }
        guard !namespace.isEmpty else { return }
        for binding in roleBindings[namespace] ?? [] where !visit(binding) { return }
    }
}

/// A binding whose role does not exist: it grants nothing, and says so in a refusal's reason.
public struct RBACResolutionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var resource: String
    public var name: String

    public var description: String { "\(resource).rbac.authorization.k8s.io \"\(name)\" not found" }
}
