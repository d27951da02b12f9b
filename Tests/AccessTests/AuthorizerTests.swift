import FleetAPI
import Testing
@testable import Access

/// Given RBAC objects, when a user asks for something, then RBAC's decision and the API server's words.
struct AuthorizerTests {
    static let alice = UserInfo(name: "alice", groups: ["team-a", "system:authenticated"])

    static func role(_ name: String, namespace: String, rules: [PolicyRule]) -> JSON {
        ["kind": "Role", "metadata": ["name": .string(name), "namespace": .string(namespace)], "rules": .array(rules.map(\.json))]
    }

    static func clusterRole(_ name: String, rules: [PolicyRule], labels: [String: String] = [:]) -> JSON {
        ["kind": "ClusterRole", "metadata": ["name": .string(name), "labels": .object(labels.mapValues(JSON.string))], "rules": .array(rules.map(\.json))]
    }

    static func binding(_ kind: String, _ name: String, namespace: String = "", role: (String, String), subjects: [(String, String)]) -> JSON {
        let list: [JSON] = subjects.map { ["kind": .string($0.0), "name": .string($0.1), "apiGroup": "rbac.authorization.k8s.io"] }
        var metadata: JSON = ["name": .string(name)]
        if !namespace.isEmpty { metadata["namespace"] = .string(namespace) }
        return ["kind": .string(kind), "metadata": metadata, "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": .string(role.0), "name": .string(role.1)], "subjects": .array(list)]
    }

    static func authorizer(_ objects: [JSON]) -> Authorizer { Authorizer(policy: RBACPolicy(objects: objects)) }

    static let createRun = RequestAttributes(
        verb: "create", apiGroup: "placement.kubernetes-fleet.io", apiVersion: "v1beta1", resource: "clusterstagedupdateruns")

    @Test func withNoBindingTheRequestIsRefusedInTheAPIServersWords() {
        let decision = Self.authorizer([]).authorize(Self.alice, Self.createRun)
        #expect(!decision.allowed)
        #expect(decision.reason == "")
        let forbidden = Forbidden(user: Self.alice, request: Self.createRun, reason: decision.reason)
        #expect(forbidden.message == #"clusterstagedupdateruns.placement.kubernetes-fleet.io is forbidden: User "alice" cannot create resource "clusterstagedupdateruns" in API group "placement.kubernetes-fleet.io" at the cluster scope"#)
        #expect(forbidden.details == ["group": "placement.kubernetes-fleet.io", "kind": "clusterstagedupdateruns"])
    }

    @Test func aRoleBindingGrantsOnlyInItsNamespaceAndSaysWhichBindingAllowed() {
        let objects = [
            Self.role("runner", namespace: "team-a", rules: [PolicyRule(verbs: ["create"], apiGroups: ["placement.kubernetes-fleet.io"], resources: ["stagedupdateruns"])]),
            Self.binding("RoleBinding", "runners", namespace: "team-a", role: ("Role", "runner"), subjects: [("Group", "team-a")]),
        ]
        let authorizer = Self.authorizer(objects)
        var inTeam = RequestAttributes(verb: "create", apiGroup: "placement.kubernetes-fleet.io", resource: "stagedupdateruns", namespace: "team-a")
        let allowed = authorizer.authorize(Self.alice, inTeam)
        #expect(allowed == .allow(#"RBAC: allowed by RoleBinding "runners/team-a" of Role "runner" to Group "team-a""#))
        inTeam.namespace = "team-b"
        #expect(!authorizer.authorize(Self.alice, inTeam).allowed)
        #expect(Forbidden(user: Self.alice, request: inTeam, reason: "").message
            == #"stagedupdateruns.placement.kubernetes-fleet.io is forbidden: User "alice" cannot create resource "stagedupdateruns" in API group "placement.kubernetes-fleet.io" in the namespace "team-b""#)
    }

    @Test func subresourcesAndNamesMatchExactly() {
        let approve = PolicyRule(verbs: ["patch", "update"], apiGroups: ["placement.kubernetes-fleet.io"], resources: ["clusterapprovalrequests/status"])
        var status = RequestAttributes(verb: "patch", apiGroup: "placement.kubernetes-fleet.io", resource: "clusterapprovalrequests", subresource: "status", name: "r1")
        #expect(approve.allows(status))
        status.subresource = ""
        #expect(!approve.allows(status))
        let wildcard = PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["*/status"])
        #expect(wildcard.allows(RequestAttributes(verb: "get", resource: "namespaces", subresource: "status", name: "a")))
        #expect(!wildcard.allows(RequestAttributes(verb: "get", resource: "namespaces", name: "a")))
        let named = PolicyRule(verbs: ["get", "list"], apiGroups: [""], resources: ["configmaps"], resourceNames: ["settings"])
        #expect(named.allows(RequestAttributes(verb: "get", resource: "configmaps", name: "settings")))
        #expect(!named.allows(RequestAttributes(verb: "get", resource: "configmaps", name: "other")))
        #expect(!named.allows(RequestAttributes(verb: "list", resource: "configmaps")))
    }

    @Test func nonResourceURLsMatchByPathOrPrefix() {
        let rule = PolicyRule(verbs: ["get"], nonResourceURLs: ["/healthz", "/apis/*"])
        #expect(rule.allows(.nonResource("get", path: "/healthz")))
        #expect(rule.allows(.nonResource("get", path: "/apis/placement.kubernetes-fleet.io")))
        #expect(!rule.allows(.nonResource("get", path: "/healthz/etcd")))
        #expect(!rule.allows(.nonResource("post", path: "/healthz")))
        #expect(Forbidden(user: .anonymous, request: .nonResource("get", path: "/api"), reason: "").message
            == #"forbidden: User "system:anonymous" cannot get path "/api""#)
    }

    @Test func theMastersGroupMayDoAnythingWhateverRBACHolds() {
        let admin = UserInfo(name: "flotilla-admin", groups: ["system:masters"])
        #expect(Authorizer(policy: RBACPolicy(objects: [], bootstrap: false)).authorize(admin, Self.createRun).allowed)
    }

    @Test func aBindingToAMissingRoleGrantsNothingAndSaysSo() {
        let objects = [Self.binding("ClusterRoleBinding", "ghost", role: ("ClusterRole", "ghost"), subjects: [("User", "alice")])]
        let decision = Self.authorizer(objects).authorize(Self.alice, Self.createRun)
        #expect(decision == .deny(#"RBAC: clusterrole.rbac.authorization.k8s.io "ghost" not found"#))
        #expect(Forbidden(user: Self.alice, request: Self.createRun, reason: decision.reason).message.hasSuffix(
            #"at the cluster scope: RBAC: clusterrole.rbac.authorization.k8s.io "ghost" not found"#))
    }

    @Test func theDefaultRolesAggregateViewIntoEditIntoAdminOverTheFleetKinds() {
        let policy = RBACPolicy(objects: [])
        let view = policy.clusterRoleRules("view") ?? []
        let edit = policy.clusterRoleRules("edit") ?? []
        let admin = policy.clusterRoleRules("admin") ?? []
        let readRuns = RequestAttributes(verb: "list", apiGroup: "placement.kubernetes-fleet.io", resource: "stagedupdateruns", namespace: "a")
        let createRuns = RequestAttributes(verb: "create", apiGroup: "placement.kubernetes-fleet.io", resource: "stagedupdateruns", namespace: "a")
        let writeRoles = RequestAttributes(verb: "create", apiGroup: "rbac.authorization.k8s.io", resource: "roles", namespace: "a")
        let readSecrets = RequestAttributes(verb: "get", resource: "secrets", namespace: "a", name: "s")
        #expect(view.contains { $0.allows(readRuns) } && !view.contains { $0.allows(createRuns) })
        #expect(!view.contains { $0.allows(readSecrets) })
        #expect(edit.contains { $0.allows(readRuns) } && edit.contains { $0.allows(createRuns) } && edit.contains { $0.allows(readSecrets) })
        #expect(!edit.contains { $0.allows(writeRoles) })
        #expect(admin.contains { $0.allows(createRuns) } && admin.contains { $0.allows(writeRoles) })
    }

    @Test func aUserAggregatedRoleTakesInMatchingRoles() {
        let objects: [JSON] = [
            Self.clusterRole("approver-rules", rules: [PolicyRule(verbs: ["patch"], apiGroups: ["placement.kubernetes-fleet.io"], resources: ["clusterapprovalrequests/status"])], labels: ["fleet/approve": "true"]),
            ["kind": "ClusterRole", "metadata": ["name": "approver"], "aggregationRule": ["clusterRoleSelectors": [["matchLabels": ["fleet/approve": "true"]]]], "rules": []],
        ]
        #expect(RBACPolicy(objects: objects).clusterRoleRules("approver")?.count == 1)
    }

    @Test func everyAuthenticatedUserMayReviewThemselvesAndReadDiscovery() {
        let authorizer = Self.authorizer([])
        #expect(authorizer.authorize(Self.alice, RequestAttributes(verb: "create", apiGroup: "authorization.k8s.io", resource: "selfsubjectaccessreviews")).allowed)
        #expect(authorizer.authorize(Self.alice, .nonResource("get", path: "/apis")).allowed)
        #expect(!authorizer.authorize(.anonymous, .nonResource("get", path: "/apis")).allowed)
        #expect(authorizer.authorize(.anonymous, .nonResource("get", path: "/healthz")).allowed)
    }

    @Test func serviceAccountSubjectsDefaultToTheBindingsNamespace() {
        let objects = [
            Self.binding("RoleBinding", "ci", namespace: "team-a", role: ("ClusterRole", "edit"), subjects: []),
        ].map { binding -> JSON in
            var binding = binding
            binding["subjects"] = [["kind": "ServiceAccount", "name": "deployer"]]
            return binding
        }
        let account = UserInfo(name: "system:serviceaccount:team-a:deployer", groups: ["system:serviceaccounts", "system:authenticated"])
        let request = RequestAttributes(verb: "create", apiGroup: "placement.kubernetes-fleet.io", resource: "resourceplacements", namespace: "team-a")
        #expect(Self.authorizer(objects).authorize(account, request)
            == .allow(#"RBAC: allowed by RoleBinding "ci/team-a" of ClusterRole "edit" to ServiceAccount "deployer/team-a""#))
    }
}
