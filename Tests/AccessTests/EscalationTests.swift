import FleetAPI
import Testing
@testable import Access

/// Given what a user holds, when they write a role or binding, then RBAC refuses what would grant more.
struct EscalationTests {
    static let lead = UserInfo(name: "lead", groups: ["system:authenticated"])
    static let authorizer = Authorizer(policy: RBACPolicy(objects: [
        AuthorizerTests.binding("RoleBinding", "lead-admin", namespace: "team-a", role: ("ClusterRole", "admin"), subjects: [("User", "lead")])
    ]))

    @Test func aRoleWithinWhatTheWriterHoldsIsAllowed() {
        let role = AuthorizerTests.role("runs", namespace: "team-a", rules: [
            PolicyRule(verbs: ["get", "create"], apiGroups: ["placement.kubernetes-fleet.io"], resources: ["stagedupdateruns"])
        ])
        #expect(Escalation.refusal(writing: role, by: Self.lead, authorizer: Self.authorizer) == nil)
    }

    @Test func aRoleBeyondItIsRefusedListingWhatIsMissing() {
        let role = AuthorizerTests.role("members", namespace: "team-a", rules: [
            PolicyRule(verbs: ["delete"], apiGroups: ["cluster.kubernetes-fleet.io"], resources: ["memberclusters"])
        ])
        #expect(Escalation.refusal(writing: role, by: Self.lead, authorizer: Self.authorizer)
            == "roles.rbac.authorization.k8s.io \"members\" is forbidden: user \"lead\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[\"cluster.kubernetes-fleet.io\"], Resources:[\"memberclusters\"], Verbs:[\"delete\"]}")
    }

    @Test func bindingClusterAdminNeedsToHoldItOrBind() {
        let binding = AuthorizerTests.binding("RoleBinding", "grab", namespace: "team-a", role: ("ClusterRole", "cluster-admin"), subjects: [("User", "lead")])
        #expect(Escalation.refusal(writing: binding, by: Self.lead, authorizer: Self.authorizer)?.contains("is attempting to grant RBAC permissions not currently held") == true)
        let withBind = Authorizer(policy: RBACPolicy(objects: [
            AuthorizerTests.clusterRole("binder", rules: [PolicyRule(verbs: ["bind"], apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], resourceNames: ["cluster-admin"])]),
            AuthorizerTests.binding("ClusterRoleBinding", "lead-binds", role: ("ClusterRole", "binder"), subjects: [("User", "lead")]),
        ]))
        #expect(Escalation.refusal(writing: binding, by: Self.lead, authorizer: withBind) == nil)
        let view = AuthorizerTests.binding("RoleBinding", "viewers", namespace: "team-a", role: ("ClusterRole", "view"), subjects: [("Group", "team-a")])
        #expect(Escalation.refusal(writing: view, by: Self.lead, authorizer: Self.authorizer) == nil)
    }
}
