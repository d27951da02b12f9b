import Access
import FleetAPI
import Foundation
import Testing
import X509
@testable import HubServer
@testable import Rollout

/// The API with authentication and RBAC on, request by request: who gets 401, who gets the API server's 403,
/// what a refused request leaves in the journal (nothing), and who the journal says acted.
struct AccessControlTests {
    let hub: Hub
    let api: APIHandler
    let authority: CertificateAuthority
    let clock = ManualClock(KubeTime.parse("2026-12-01T10:00:00Z")!)

    init() throws { try self.init(members: SimulatedMembers()) }

    init(members: any MemberAdapter) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path
        hub = try Hub(path: path, clock: clock, members: members)
        authority = try CertificateAuthority.create(commonName: "test-ca", now: clock.now())
        let tokens = try TokenFile(csv: "release-token,rita,uid-rita,release\n", path: "tokens.csv")
        api = APIHandler(
            hub: hub,
            authenticator: Authenticator(
                certificates: ClientCertificates(authorities: [authority.certificate]), tokenFile: tokens,
                serviceAccounts: ServiceAccountTokens(key: .init())))
    }

    func certificate(_ user: String, _ groups: [String] = []) throws -> Certificate {
        try authority.issue(commonName: user, organizations: groups, usage: .client, now: clock.now()).certificate
    }

    var admin: Certificate { get throws { try certificate("flotilla-admin", ["system:masters"]) } }

    func call(
        _ method: String, _ path: String, as user: Certificate?, token: String? = nil, impersonate: String? = nil, body: JSON? = nil,
        query: [String: String] = [:], contentType: String = "application/json"
    ) async -> (Int, JSON, String) {
        var headers = ["accept": "application/json", "content-type": contentType]
        if let token { headers["authorization"] = "Bearer \(token)" }
        if let impersonate { headers["impersonate-user"] = impersonate }
        let response = await api.handle(APIRequest(
            method: method, path: path, query: query, headers: headers, body: body.map { $0.serialized() } ?? [], clientCertificate: user))
        let text = String(decoding: response.bytes, as: UTF8.self)
        return (response.status, (try? JSON.parse(response.bytes)) ?? .null, text)
    }

    static let configMaps = "/api/v1/namespaces/team-a/configmaps"
    static let configMap: JSON = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "settings", "namespace": "team-a"], "data": ["a": "1"]]

    func grantConfigMaps(to user: String) async throws {
        let admin = try self.admin
        _ = await call("POST", "/api/v1/namespaces", as: admin, body: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team-a"]])
        let role: JSON = [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": ["name": "config", "namespace": "team-a"],
            "rules": [["apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "list", "create"]]],
        ]
        let binding: JSON = [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": ["name": "config", "namespace": "team-a"],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "config"],
            "subjects": [["apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": .string(user)]],
        ]
        #expect(await call("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/roles", as: admin, body: role).0 == 201)
        #expect(await call("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings", as: admin, body: binding).0 == 201)
    }

    @Test func aRequestWithoutCredentialsGets401ExceptTheHealthChecks() async throws {
        let (status, _, text) = await call("GET", "/api", as: nil)
        #expect(status == 401)
        #expect(text == #"{"apiVersion":"v1","code":401,"kind":"Status","message":"Unauthorized","metadata":{},"reason":"Unauthorized","status":"Failure"}"#)
        for path in ["/healthz", "/livez", "/readyz", "/version"] { #expect(await call("GET", path, as: nil).0 == 200) }
        #expect(await call("GET", "/api", as: nil, token: "wrong").0 == 401)
    }

    @Test func aRefusedWriteGetsTheAPIServers403AndRecordsNothing() async throws {
        let before = await hub.state.lastSeq
        let run: JSON = ["apiVersion": "placement.kubernetes-fleet.io/v1beta1", "kind": "ClusterStagedUpdateRun", "metadata": ["name": "r"], "spec": ["placementName": "p"]]
        let (status, body, _) = await call("POST", "/apis/placement.kubernetes-fleet.io/v1beta1/clusterstagedupdateruns", as: try certificate("alice"), body: run)
        #expect(status == 403)
        #expect(body["reason"] == "Forbidden")
        #expect(body["message"]?.stringValue == #"clusterstagedupdateruns.placement.kubernetes-fleet.io is forbidden: User "alice" cannot create resource "clusterstagedupdateruns" in API group "placement.kubernetes-fleet.io" at the cluster scope"#)
        #expect(await hub.state.lastSeq == before)
    }

    @Test func aRoleBindingLetsAUserWorkInItsNamespaceOnly() async throws {
        try await grantConfigMaps(to: "alice")
        let alice = try certificate("alice")
        #expect(await call("POST", Self.configMaps, as: alice, body: Self.configMap).0 == 201)
        #expect(await call("GET", Self.configMaps, as: alice).0 == 200)
        let (status, body, _) = await call("GET", "/api/v1/configmaps", as: alice)
        #expect(status == 403)
        #expect(body["message"]?.stringValue == #"configmaps is forbidden: User "alice" cannot list resource "configmaps" in API group "" at the cluster scope"#)
        let envelopes = try History.envelopes(hub.journal)
        #expect(envelopes.last { $0.event.stream == "ConfigMap/team-a/settings" }?.actor == "alice")
    }

    @Test func selfReviewsAnswerForTheCaller() async throws {
        try await grantConfigMaps(to: "alice")
        let alice = try certificate("alice", ["team-a"])
        let review: JSON = ["apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview", "spec": ["resourceAttributes": ["namespace": "team-a", "verb": "create", "resource": "configmaps"]]]
        let (status, allowed, _) = await call("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", as: alice, body: review)
        #expect(status == 201)
        #expect(allowed[path: ["status", "allowed"]] == true)
        #expect(allowed[path: ["status", "reason"]]?.stringValue == #"RBAC: allowed by RoleBinding "config/team-a" of Role "config" to User "alice""#)
        var elsewhere = review
        elsewhere[path: ["spec", "resourceAttributes", "namespace"]] = "team-b"
        #expect(await call("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", as: alice, body: elsewhere).1[path: ["status", "allowed"]] == false)
        let (_, whoami, _) = await call("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", as: alice, body: ["apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"])
        #expect(whoami[path: ["status", "userInfo", "username"]] == "alice")
        #expect(whoami[path: ["status", "userInfo", "groups"]] == ["team-a", "system:authenticated"])
        let (_, rita, _) = await call("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", as: nil, token: "release-token", body: .emptyObject)
        #expect(rita[path: ["status", "userInfo", "username"]] == "rita")
    }

    @Test func impersonationNeedsItsGrantAndTheJournalNamesBoth() async throws {
        try await grantConfigMaps(to: "bob")
        let (status, body, _) = await call("GET", Self.configMaps, as: try certificate("alice"), impersonate: "bob")
        #expect(status == 403)
        #expect(body["message"]?.stringValue == #"users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope"#)
        #expect(await call("POST", Self.configMaps, as: try admin, impersonate: "bob", body: Self.configMap).0 == 201)
        let envelopes = try History.envelopes(hub.journal)
        #expect(envelopes.last { $0.event.stream == "ConfigMap/team-a/settings" }?.actor == "flotilla-admin (as bob)")
    }

    @Test func aServiceAccountTokenWorksUntilTheAccountIsDeleted() async throws {
        let admin = try self.admin
        _ = await call("POST", "/api/v1/namespaces", as: admin, body: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "ci"]])
        #expect(await call("POST", "/api/v1/namespaces/ci/serviceaccounts", as: admin, body: ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "deployer"]]).0 == 201)
        let tokenPath = "/api/v1/namespaces/ci/serviceaccounts/deployer/token"
        let (short, invalid, _) = await call("POST", tokenPath, as: admin, body: ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": ["expirationSeconds": 60]])
        #expect(short == 422)
        #expect(invalid["message"]?.stringValue == #"TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes"#)
        let (created, request, _) = await call("POST", tokenPath, as: admin, body: ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": .emptyObject])
        #expect(created == 201)
        #expect(request[path: ["spec", "expirationSeconds"]] == 3600)
        let token = try #require(request[path: ["status", "token"]]?.stringValue)
        let (_, whoami, _) = await call("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", as: nil, token: token, body: .emptyObject)
        #expect(whoami[path: ["status", "userInfo", "username"]] == "system:serviceaccount:ci:deployer")
        #expect(await call("DELETE", "/api/v1/namespaces/ci/serviceaccounts/deployer", as: admin).0 == 200)
        #expect(await call("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", as: nil, token: token, body: .emptyObject).0 == 401)
        #expect(await call("POST", "/api/v1/namespaces/ci/serviceaccounts/ghost/token", as: admin, body: .emptyObject).0 == 404)
    }

    @Test func aUserCannotGrantWhatTheyDoNotHold() async throws {
        try await grantConfigMaps(to: "alice")
        let alice = try certificate("alice")
        let admin = try self.admin
        let grab: JSON = [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": ["name": "grab"],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"],
            "subjects": [["apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "alice"]],
        ]
        let allowWrites: JSON = [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": ["name": "rbac-writer"],
            "rules": [["apiGroups": ["rbac.authorization.k8s.io"], "resources": ["clusterrolebindings"], "verbs": ["create"]]],
        ]
        let bindWrites: JSON = [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": ["name": "rbac-writer"],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "rbac-writer"],
            "subjects": [["apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "alice"]],
        ]
        #expect(await call("POST", "/apis/rbac.authorization.k8s.io/v1/clusterroles", as: admin, body: allowWrites).0 == 201)
        #expect(await call("POST", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", as: admin, body: bindWrites).0 == 201)
        let before = await hub.state.lastSeq
        let (status, body, _) = await call("POST", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", as: alice, body: grab)
        #expect(status == 403)
        #expect(body["message"]?.stringValue?.hasPrefix(#"clusterrolebindings.rbac.authorization.k8s.io "grab" is forbidden: user "alice" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:"#) == true)
        #expect(await hub.state.lastSeq == before)
    }

    @Test func anAggregatedClusterRoleShowsTheRulesItAggregates() async throws {
        let admin = try self.admin
        let part: JSON = [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": ["name": "approve-part", "labels": ["fleet/approver": "true"]],
            "rules": [["apiGroups": ["placement.kubernetes-fleet.io"], "resources": ["clusterapprovalrequests/status"], "verbs": ["patch"]]],
        ]
        let whole: JSON = [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": ["name": "approver"],
            "aggregationRule": ["clusterRoleSelectors": [["matchLabels": ["fleet/approver": "true"]]]],
        ]
        #expect(await call("POST", "/apis/rbac.authorization.k8s.io/v1/clusterroles", as: admin, body: part).0 == 201)
        #expect(await call("POST", "/apis/rbac.authorization.k8s.io/v1/clusterroles", as: admin, body: whole).0 == 201)
        let (status, shown, _) = await call("GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/approver", as: admin)
        #expect(status == 200)
        #expect(shown["rules"] == part["rules"])
    }
}
