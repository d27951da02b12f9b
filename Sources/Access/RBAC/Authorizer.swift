import FleetAPI

/// What the authorizer said of one request.
public struct Decision: Sendable, Hashable {
    public var allowed: Bool
    /// Why, as a SelfSubjectAccessReview shows it: the binding that allowed it, or why bindings failed.
    public var reason: String

    public static func allow(_ reason: String) -> Decision { Decision(allowed: true, reason: reason) }
    public static func deny(_ reason: String) -> Decision { Decision(allowed: false, reason: reason) }
}

/// Decides requests as the API server's authorizer chain does: the `system:masters` group first, then RBAC.
/// Pure: everything it reads is in the policy it is given.
public struct Authorizer: Sendable {
    public var policy: RBACPolicy

    public init(policy: RBACPolicy) {
        self.policy = policy
    }

    public func authorize(_ user: UserInfo, _ request: RequestAttributes) -> Decision {
        if user.isMaster { return .allow("") }
        var errors: [RBACResolutionError] = []
        var allowedBy: String?
        policy.visitBindings(namespace: request.isResourceRequest ? request.namespace : "") { binding in
            guard let subject = binding.subjects.first(where: { Self.applies($0, to: user, namespace: binding.namespace) })
            else { return true }
            switch policy.rules(kind: binding.roleKind, name: binding.roleName, namespace: binding.namespace) {
            case .failure(let error):
                errors.append(error)
                return true
            case .success(let rules):
                guard rules.contains(where: { $0.allows(request) }) else { return true }
                allowedBy = Self.describe(binding, subject)
                return false
            }
        }
        if let allowedBy { return .allow("RBAC: allowed by \(allowedBy)") }
        return .deny(Self.reason(errors))
    }

    /// Every rule that applies to the user in a namespace (cluster-wide ones included), and the errors of
    /// bindings that could not be resolved: what the escalation check and `auth can-i --list` read.
    public func rules(for user: UserInfo, namespace: String) -> (rules: [PolicyRule], errors: [RBACResolutionError]) {
        if user.isMaster {
            return ([PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"]), PolicyRule(verbs: ["*"], nonResourceURLs: ["*"])], [])
        }
        var rules: [PolicyRule] = []
        var errors: [RBACResolutionError] = []
        policy.visitBindings(namespace: namespace) { binding in
            guard binding.subjects.contains(where: { Self.applies($0, to: user, namespace: binding.namespace) }) else { return true }
            switch policy.rules(kind: binding.roleKind, name: binding.roleName, namespace: binding.namespace) {
            case .failure(let error): errors.append(error)
            case .success(let granted): rules.append(contentsOf: granted)
            }
            return true
        }
        return (rules, errors)
    }

    static func applies(_ subject: RBACPolicy.Subject, to user: UserInfo, namespace: String) -> Bool {
        switch subject.kind {
        case "User": return user.name == subject.name
        case "Group": return user.groups.contains(subject.name)
        case "ServiceAccount":
            let saNamespace = subject.namespace.isEmpty ? namespace : subject.namespace
            guard !saNamespace.isEmpty else { return false }
            return user.name == ServiceAccountName.user(namespace: saNamespace, name: subject.name)
        default: return false
        }
    }

    static func describe(_ binding: RBACPolicy.Binding, _ subject: RBACPolicy.Subject) -> String {
        let who: String
        if subject.kind == "ServiceAccount" {
            who = "ServiceAccount \(GoQuote.quote(subject.name + "/" + (subject.namespace.isEmpty ? binding.namespace : subject.namespace)))"
        } else {
            who = "\(subject.kind) \(GoQuote.quote(subject.name))"
        }
        let role = "\(binding.roleKind) \(GoQuote.quote(binding.roleName))"
        if binding.namespace.isEmpty {
            return "ClusterRoleBinding \(GoQuote.quote(binding.name)) of \(role) to \(who)"
        }
        return "RoleBinding \(GoQuote.quote(binding.name + "/" + binding.namespace)) of \(role) to \(who)"
    }

    /// `RBAC: <aggregate of errors>`, or nothing when every binding resolved.
    static func reason(_ errors: [RBACResolutionError]) -> String {
        switch errors.count {
        case 0: ""
        case 1: "RBAC: \(errors[0])"
        default: "RBAC: [" + errors.map(\.description).joined(separator: ", ") + "]"
        }
    }
}
