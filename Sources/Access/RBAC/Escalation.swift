import FleetAPI

/// RBAC's guard against granting what one does not hold (`escalation_check.go`, `validation/rule.go`): a role
/// may be written only by one who holds all its rules or `escalate`, a binding only by one who holds the
/// bound role's rules or `bind` on it.
public enum Escalation {
    /// Why a write of an RBAC object would escalate, or nil when it may go ahead.
    /// - Parameters:
    ///   - object: the Role, ClusterRole, RoleBinding or ClusterRoleBinding as it would be stored.
    ///   - previousAggregation: the stored object's aggregation rule, for an update.
    public static func refusal(
        writing object: JSON, previousAggregation: JSON? = nil, by user: UserInfo, authorizer: Authorizer
    ) -> String? {
        guard !user.isMaster, let kind = object["kind"]?.stringValue else { return nil }
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        let namespace = kind.hasPrefix("Cluster") ? "" : object[path: ["metadata", "namespace"]]?.stringValue ?? ""
        let resource = kind.lowercased() + "s"
        switch kind {
        case "Role", "ClusterRole":
            if kind == "ClusterRole", let aggregation = object["aggregationRule"], aggregation != previousAggregation,
                !holdsEverything(user, authorizer)
            {
                return "\(resource).rbac.authorization.k8s.io \(GoQuote.quote(name)) is forbidden: must have cluster-admin privileges to use the aggregationRule"
            }
            let escalate = RequestAttributes(
                verb: "escalate", apiGroup: RBACPolicy.group, apiVersion: "v1", resource: resource, namespace: namespace,
                name: name)
            if authorizer.authorize(user, escalate).allowed { return nil }
            let rules = (object["rules"]?.arrayValue ?? []).map(PolicyRule.init(json:))
            return missing(rules, user: user, namespace: namespace, authorizer: authorizer, resource: resource, name: name)
        case "RoleBinding", "ClusterRoleBinding":
            let roleKind = object[path: ["roleRef", "kind"]]?.stringValue ?? ""
            let roleName = object[path: ["roleRef", "name"]]?.stringValue ?? ""
            let bind = RequestAttributes(
                verb: "bind", apiGroup: RBACPolicy.group, apiVersion: "v1", resource: roleKind.lowercased() + "s",
                namespace: namespace, name: roleName)
            if authorizer.authorize(user, bind).allowed { return nil }
            let rules: [PolicyRule]
            switch authorizer.policy.rules(kind: roleKind, name: roleName, namespace: namespace) {
            case .success(let found): rules = found
            case .failure(let error): return "\(resource).rbac.authorization.k8s.io \(GoQuote.quote(name)) is forbidden: \(error)"
            }
            return missing(rules, user: user, namespace: namespace, authorizer: authorizer, resource: resource, name: name)
        default:
            return nil
        }
    }

    private static func holdsEverything(_ user: UserInfo, _ authorizer: Authorizer) -> Bool {
        let held = authorizer.rules(for: user, namespace: "").rules
        let everything = [PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"]), PolicyRule(verbs: ["*"], nonResourceURLs: ["*"])]
        return uncovered(everything, by: held).isEmpty
    }

    private static func missing(
        _ rules: [PolicyRule], user: UserInfo, namespace: String, authorizer: Authorizer, resource: String, name: String
    ) -> String? {
        let (held, errors) = authorizer.rules(for: user, namespace: namespace)
        let lacking = uncovered(rules, by: held)
        guard !lacking.isEmpty else { return nil }
        let groups = "[" + user.groups.map { GoQuote.quote($0) }.joined(separator: " ") + "]"
        var message = "\(resource).rbac.authorization.k8s.io \(GoQuote.quote(name)) is forbidden: user \(GoQuote.quote(user.name)) (groups=\(groups)) is attempting to grant RBAC permissions not currently held:\n"
            + lacking.map(\.compactDescription).joined(separator: "\n")
        if !errors.isEmpty { message += "; resolution errors: [" + errors.map(\.description).joined(separator: ", ") + "]" }
        return message
    }

    /// The parts of `rules` that no rule in `held` covers, each broken down to one verb, group, resource and
    /// name, as `validation.Covers` reports them.
    public static func uncovered(_ rules: [PolicyRule], by held: [PolicyRule]) -> [PolicyRule] {
        var lacking: [PolicyRule] = []
        for rule in rules {
            for atom in atoms(rule) where !held.contains(where: { covers($0, atom) }) && !lacking.contains(atom) {
                lacking.append(atom)
            }
        }
        return lacking
    }

    static func atoms(_ rule: PolicyRule) -> [PolicyRule] {
        var atoms: [PolicyRule] = []
        for verb in rule.verbs {
            for url in rule.nonResourceURLs { atoms.append(PolicyRule(verbs: [verb], nonResourceURLs: [url])) }
            for group in rule.apiGroups {
                for resource in rule.resources {
                    if rule.resourceNames.isEmpty {
                        atoms.append(PolicyRule(verbs: [verb], apiGroups: [group], resources: [resource]))
                    }
                    for name in rule.resourceNames {
                        atoms.append(PolicyRule(verbs: [verb], apiGroups: [group], resources: [resource], resourceNames: [name]))
                    }
                }
            }
        }
        return atoms
    }

    static func covers(_ owner: PolicyRule, _ atom: PolicyRule) -> Bool {
        guard owner.verbs.contains("*") || atom.verbs.allSatisfy(owner.verbs.contains) else { return false }
        if !atom.nonResourceURLs.isEmpty {
            return atom.nonResourceURLs.allSatisfy { url in
                owner.nonResourceURLs.contains { $0 == "*" || $0 == url || ($0.hasSuffix("*") && url.hasPrefix(String($0.dropLast()))) }
            }
        }
        guard owner.apiGroups.contains("*") || atom.apiGroups.allSatisfy(owner.apiGroups.contains) else { return false }
        let resourcesCovered = owner.resources.contains("*") || atom.resources.allSatisfy { resource in
            if owner.resources.contains(resource) { return true }
            let parts = resource.split(separator: "/", maxSplits: 1)
            return parts.count == 2 && owner.resources.contains("*/\(parts[1])")
        }
        guard resourcesCovered else { return false }
        if owner.resourceNames.isEmpty { return true }
        return !atom.resourceNames.isEmpty && atom.resourceNames.allSatisfy(owner.resourceNames.contains)
    }
}
