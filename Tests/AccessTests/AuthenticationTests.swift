import Crypto
import Foundation
import Testing
import X509
@testable import Access

/// Who a request is, from its certificate or token, as the API server's authenticators decide.
struct AuthenticationTests {
    static let now = Date(timeIntervalSince1970: 1_780_000_000)
    let authority = try! CertificateAuthority.create(commonName: "test-ca", now: AuthenticationTests.now)

    func authenticator(tokens: TokenFile? = nil, signing: P256.Signing.PrivateKey = P256.Signing.PrivateKey()) -> Authenticator {
        Authenticator(
            certificates: ClientCertificates(authorities: [authority.certificate]), tokenFile: tokens,
            serviceAccounts: ServiceAccountTokens(key: signing))
    }

    @Test func aClientCertificateNamesItsUserByCNAndGroupsByO() throws {
        let issued = try authority.issue(commonName: "alice", organizations: ["team-a", "release"], usage: .client, now: Self.now)
        let outcome = authenticator().authenticate(certificate: issued.certificate, authorization: nil, now: Self.now) { _, _ in nil }
        guard case .authenticated(let user) = outcome else { Issue.record("not authenticated: \(outcome)"); return }
        #expect(user.name == "alice")
        #expect(user.groups == ["team-a", "release", "system:authenticated"])
        #expect(user.extra["authentication.kubernetes.io/credential-id"]?.first?.hasPrefix("X509SHA256=") == true)
    }

    @Test func aCertificateFromAnotherCAOrOutOfDateIsRejectedNotAnonymous() throws {
        let stranger = try CertificateAuthority.create(commonName: "test-ca", now: Self.now)
        let forged = try stranger.issue(commonName: "admin", organizations: ["system:masters"], usage: .client, now: Self.now)
        #expect(authenticator().authenticate(certificate: forged.certificate, authorization: nil, now: Self.now) { _, _ in nil }
            == .rejected("x509: certificate signature is invalid"))
        let issued = try authority.issue(commonName: "alice", usage: .client, now: Self.now)
        let later = Self.now.addingTimeInterval(400 * 86_400)
        #expect(authenticator().authenticate(certificate: issued.certificate, authorization: nil, now: later) { _, _ in nil }
            == .rejected("x509: certificate has expired"))
        let server = try authority.issue(commonName: "flotilla", usage: .server(dnsNames: ["localhost"], ipAddresses: []), now: Self.now)
        #expect(authenticator().authenticate(certificate: server.certificate, authorization: nil, now: Self.now) { _, _ in nil }
            == .rejected("x509: certificate specifies an incompatible key usage"))
    }

    @Test func noCredentialsAtAllIsAnonymous() {
        #expect(authenticator().authenticate(certificate: nil, authorization: nil, now: Self.now) { _, _ in nil } == .anonymous)
        #expect(authenticator().authenticate(certificate: nil, authorization: "Bearer nonsense", now: Self.now) { _, _ in nil }
            == .rejected("invalid bearer token"))
    }

    @Test func theTokenFileIsTheAPIServersCSV() throws {
        let file = try TokenFile(csv: "t1,alice,uid-1\nt2,bob,uid-2,\"release,qa\"\n,skipped,uid-3\nt1,alice2,uid-4\n", path: "tokens.csv")
        #expect(file.user(for: "t2") == UserInfo(name: "bob", uid: "uid-2", groups: ["release", "qa"]))
        #expect(file.user(for: "t1")?.name == "alice2")
        #expect(throws: TokenFile.Invalid.self) { try TokenFile(csv: "t1,alice\n", path: "tokens.csv") }
        let error = #expect(throws: TokenFile.Invalid.self) { try TokenFile(csv: "t1,alice\n", path: "tokens.csv") }
        #expect(error?.description == "token file 'tokens.csv' must have at least 3 columns (token, user name, user uid), found 2")
        let outcome = authenticator(tokens: file).authenticate(certificate: nil, authorization: "bearer t2", now: Self.now) { _, _ in nil }
        #expect(outcome == .authenticated(UserInfo(name: "bob", uid: "uid-2", groups: ["release", "qa", "system:authenticated"])))
    }

    @Test func aServiceAccountTokenHoldsUntilItExpiresOrItsAccountGoes() throws {
        let key = P256.Signing.PrivateKey()
        let tokens = ServiceAccountTokens(key: key)
        let (token, expires) = try tokens.issue(namespace: "ci", name: "deployer", uid: "sa-uid", audiences: [], expirationSeconds: 3600, now: Self.now)
        #expect(expires == Self.now.addingTimeInterval(3600))
        let signer = authenticator(signing: key)
        guard case .authenticated(let user) = signer.authenticate(certificate: nil, authorization: "Bearer \(token)", now: Self.now, serviceAccount: { _, _ in "sa-uid" })
        else { Issue.record("the token did not authenticate"); return }
        #expect(user.name == "system:serviceaccount:ci:deployer")
        #expect(user.groups == ["system:serviceaccounts", "system:serviceaccounts:ci", "system:authenticated"])
        #expect(signer.authenticate(certificate: nil, authorization: "Bearer \(token)", now: Self.now) { _, _ in nil }
            == .rejected("service account ci/deployer has been deleted"))
        #expect(signer.authenticate(certificate: nil, authorization: "Bearer \(token)", now: Self.now) { _, _ in "new-uid" }
            == .rejected("service account UID (new-uid) does not match claim (sa-uid)"))
        #expect(signer.authenticate(certificate: nil, authorization: "Bearer \(token)", now: expires) { _, _ in "sa-uid" }
            == .rejected("service account token has expired"))
        #expect(authenticator().authenticate(certificate: nil, authorization: "Bearer \(token)", now: Self.now) { _, _ in "sa-uid" }
            == .rejected("token signature is invalid"))
    }

    @Test func aTamperedTokenIsRefused() throws {
        let tokens = ServiceAccountTokens(key: P256.Signing.PrivateKey())
        let (token, _) = try tokens.issue(namespace: "ci", name: "deployer", uid: "u", audiences: [], expirationSeconds: 3600, now: Self.now)
        var parts = token.split(separator: ".").map(String.init)
        let forgedClaims = #"{"aud":["https://kubernetes.default.svc.cluster.local"],"exp":9999999999,"iss":"https://kubernetes.default.svc.cluster.local","kubernetes.io":{"namespace":"kube-system","serviceaccount":{"name":"admin","uid":"u"}},"sub":"system:serviceaccount:kube-system:admin"}"#
        parts[1] = Data(forgedClaims.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        #expect(throws: ServiceAccountTokens.Rejection.badSignature) { try tokens.verify(parts.joined(separator: "."), now: Self.now) }
    }

    @Test func impersonationNeedsTheGrantForEveryItem() throws {
        let real = UserInfo(name: "bob", groups: ["system:authenticated"])
        let authorizer = Authorizer(policy: RBACPolicy(objects: [
            AuthorizerTests.clusterRole("impersonate-alice", rules: [PolicyRule(verbs: ["impersonate"], apiGroups: [""], resources: ["users"], resourceNames: ["alice"])]),
            AuthorizerTests.binding("ClusterRoleBinding", "bob-as-alice", role: ("ClusterRole", "impersonate-alice"), subjects: [("User", "bob")]),
        ]))
        let asAlice = try Impersonation(user: "alice").apply(as: real, requestURI: "/api", authorizer: authorizer)
        #expect(asAlice == UserInfo(name: "alice", groups: ["system:authenticated"]))
        #expect(RequestIdentity(user: asAlice, impersonator: real).actor == "bob (as alice)")
        #expect(throws: Impersonation.Refusal.forbidden(Forbidden(
            user: real, request: RequestAttributes(verb: "impersonate", apiVersion: "v1", resource: "users", name: "carol"), reason: ""))) {
            try Impersonation(user: "carol").apply(as: real, requestURI: "/api", authorizer: authorizer)
        }
        let refused = Forbidden(user: real, request: RequestAttributes(verb: "impersonate", apiVersion: "v1", resource: "users", name: "carol"), reason: "")
        #expect(refused.message == #"users "carol" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope"#)
        #expect(throws: Impersonation.Refusal.withoutUser(#"Internal Server Error: "/api": requested [group admins] without impersonating a user"#)) {
            try Impersonation(groups: ["admins"]).apply(as: real, requestURI: "/api", authorizer: authorizer)
        }
    }

    @Test func theHubsCredentialsAreMadeOnceAndReadBack() throws {
        let journal = FileManager.default.temporaryDirectory.appendingPathComponent("pki-\(UUID().uuidString).journal").path
        defer { try? FileManager.default.removeItem(atPath: HubCredentials.directory(forJournal: journal)) }
        let made = try HubCredentials.prepare(journal: journal, hosts: ["127.0.0.1", "hub.example"], now: Self.now)
        let loaded = try HubCredentials.load(journal: journal)
        #expect(made.authority.certificate == loaded.authority.certificate)
        #expect(made.serviceAccountKey.rawRepresentation == loaded.serviceAccountKey.rawRepresentation)
        let admin = try HubCredentials.certificate(loaded.adminCertificateFile)
        let user = try ClientCertificates(authorities: [loaded.authority.certificate]).user(admin, now: Self.now)
        #expect(user.name == "flotilla-admin" && user.groups == ["system:masters"])
        let server = try HubCredentials.certificate(loaded.serverCertificateFile)
        #expect(try server.extensions.subjectAlternativeNames?.contains(.dnsName("hub.example")) == true)
        let permissions = try FileManager.default.attributesOfItem(atPath: loaded.directory + "/ca.key")[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        // The hub's proxy certificate names users; its admin certificate is only itself.
        let proxy = try HubCredentials.certificate(loaded.proxyCertificateFile)
        #expect(loaded.frontProxy.user(proxy, headers: ["x-remote-user": ["rita"]], now: Self.now)?.name == "rita")
        #expect(loaded.frontProxy.user(admin, headers: ["x-remote-user": ["rita"]], now: Self.now) == nil)
    }
}
