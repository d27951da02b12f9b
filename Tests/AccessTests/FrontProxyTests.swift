import Foundation
import Testing
import X509
@testable import Access

/// A front proxy's `X-Remote-*` headers name the user only from an allowed proxy's certificate.
struct FrontProxyTests {
    static let now = Date(timeIntervalSince1970: 1_780_000_000)
    let authority = try! CertificateAuthority.create(commonName: "test-ca", now: FrontProxyTests.now)

    var authenticator: Authenticator {
        let certificates = ClientCertificates(authorities: [authority.certificate])
        return Authenticator(
            certificates: certificates, tokenFile: nil, serviceAccounts: nil,
            frontProxy: RequestHeaderAuthentication(proxies: certificates, allowedNames: ["flotilla:hub-proxy"]))
    }

    func outcome(_ certificate: Certificate, _ headers: [(name: String, value: String)]) -> Authenticator.Outcome {
        var byName: [String: [String]] = [:]
        for header in headers { byName[header.name.lowercased(), default: []].append(header.value) }
        return authenticator.authenticate(certificate: certificate, authorization: nil, headers: byName, now: Self.now) { _, _ in nil }
    }

    @Test func anAllowedProxyNamesTheUserItsGroupsAndExtras() throws {
        let proxy = try authority.issue(commonName: "flotilla:hub-proxy", usage: .client, now: Self.now)
        let alice = UserInfo(name: "alice", groups: ["release"], extra: ["authentication.kubernetes.io/credential-id": ["X509SHA256=ab"]])
        let headers = RequestHeaderAuthentication.headers(naming: alice)
        #expect(headers.contains { $0.name == "X-Remote-Extra-authentication.kubernetes.io%2Fcredential-id" })
        #expect(outcome(proxy.certificate, headers) == .authenticated(
            UserInfo(name: "alice", groups: ["release", "system:authenticated"], extra: alice.extra)))
    }

    @Test func anyOtherCertificateOfTheSameCAIsItselfWhateverItsHeadersSay() throws {
        let mallory = try authority.issue(commonName: "mallory", usage: .client, now: Self.now)
        guard case .authenticated(let user) = outcome(mallory.certificate, [("X-Remote-User", "admin"), ("X-Remote-Group", "system:masters")])
        else { Issue.record("mallory's own certificate should authenticate"); return }
        #expect(user.name == "mallory")
        #expect(!user.groups.contains("system:masters"))
    }

    @Test func aProxyNamingNoUserIsItself() throws {
        let proxy = try authority.issue(commonName: "flotilla:hub-proxy", usage: .client, now: Self.now)
        guard case .authenticated(let user) = outcome(proxy.certificate, [("X-Remote-Group", "system:masters")])
        else { Issue.record("the proxy's certificate should authenticate"); return }
        #expect(user.name == "flotilla:hub-proxy")
        #expect(!user.groups.contains("system:masters"))
    }
}
