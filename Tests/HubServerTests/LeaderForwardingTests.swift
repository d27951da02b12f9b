import Access
import FleetAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import KubeClient
import Logging
import NIOSSL
import Testing
import X509
@testable import HubServer
@testable import Rollout

/// A hub that does not lead passes each write to the leader over TLS as the hubs' front proxy, naming the user it
/// admitted; the leader records the write as that user's.
struct LeaderForwardingTests {
    let clock = ManualClock(KubeTime.parse("2026-12-01T10:00:00Z")!)
    let authority: CertificateAuthority
    static let proxyName = "flotilla:hub-proxy"

    init() throws {
        authority = try CertificateAuthority.create(commonName: "test-ca", now: clock.now())
    }

    func hub() throws -> Hub {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path
        return try Hub(path: path, clock: clock)
    }

    var authenticator: Authenticator {
        let certificates = ClientCertificates(authorities: [authority.certificate])
        return Authenticator(
            certificates: certificates, tokenFile: nil, serviceAccounts: nil,
            frontProxy: RequestHeaderAuthentication(proxies: certificates, allowedNames: [Self.proxyName]))
    }

    /// The leader's server: TLS with a certificate for 127.0.0.1, trusting the hubs' proxy.
    func leaderServer(_ hub: Hub) throws -> HubServer {
        let server = try authority.issue(commonName: "flotilla", usage: .server(dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"]), now: clock.now())
        let tls = ServerSecurity.tls(
            certificateChain: [try NIOSSLCertificate(bytes: Array(server.certificate.serializeAsPEM().pemString.utf8), format: .pem)],
            privateKey: try NIOSSLPrivateKey(bytes: Array(server.key.pemRepresentation.utf8), format: .pem))
        return HubServer(hub: hub, port: 0, security: ServerSecurity(tls: tls, authenticator: authenticator), logger: Logger(label: "test"))
    }

    /// A follower's API: its own hub for reads (`hub`, or one of its own), and writes to `leader`.
    func follower(leader: String?, hub followerHub: Hub? = nil) throws -> (APIHandler, LeaderForwarding) {
        let proxy = try authority.issue(commonName: Self.proxyName, usage: .client, now: clock.now())
        var endpoint = KubeEndpoint(server: "")
        endpoint.certificateAuthority = try authority.certificate.serializeAsPEM().pemString
        endpoint.clientCertificate = try proxy.certificate.serializeAsPEM().pemString
        endpoint.clientKey = proxy.key.pemRepresentation
        let forwarding = LeaderForwarding(proxy: endpoint, leader: { leader }, role: { "this hub follows" })
        return (APIHandler(hub: try followerHub ?? hub(), authenticator: authenticator, forwarding: forwarding), forwarding)
    }

    func request(_ method: String, _ path: String, as user: String, groups: [String], body: JSON? = nil) throws -> APIRequest {
        let certificate = try authority.issue(commonName: user, organizations: groups, usage: .client, now: clock.now()).certificate
        return APIRequest(
            method: method, path: path, headers: ["accept": "application/json", "content-type": "application/json"],
            body: body?.serialized() ?? [], clientCertificate: certificate)
    }

    static let namespace: JSON = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team-a"]]

    @Test func aWriteToAFollowerIsTheLeadersAsTheUserTheFollowerAdmitted() async throws {
        let leaderHub = try hub()
        try await leaderServer(leaderHub).application().test(.live) { client in
            let (api, forwarding) = try follower(leader: "https://127.0.0.1:\(client.port!)")
            let created = await api.handle(try request("POST", "/api/v1/namespaces", as: "rita", groups: ["system:masters"], body: Self.namespace))
            #expect(created.status == 201)
            #expect(created.contentType == "application/json")
            #expect(await leaderHub.state.objects[ObjectKey(.namespace, name: "team-a")] != nil)
            #expect(try leaderHub.journal.read(after: 0, limit: 10).last?.actor == "rita")
            #expect(await api.hub.state.objects[ObjectKey(.namespace, name: "team-a")] == nil)

            // Reads stay with the follower; a user the follower refuses never reaches the leader.
            let read = await api.handle(try request("GET", "/api/v1/namespaces/team-a", as: "rita", groups: ["system:masters"]))
            #expect(read.status == 404)
            let before = leaderHub.journal.lastSeq
            let refused = await api.handle(try request("DELETE", "/api/v1/namespaces/team-a", as: "mallory", groups: []))
            #expect(refused.status == 403)
            #expect(leaderHub.journal.lastSeq == before)
            await forwarding.shutdown()
        }
    }

    /// Given a follower of the leader's journal, when a write goes through it, then a read through it right after
    /// sees the write: the follower folds in the leader's commit before it answers the write.
    @Test func aFollowerAnswersAWriteOnlyOnceItsReadsSeeIt() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path
        let leaderHub = try Hub(path: path, clock: clock)
        let followerHub = try Hub(journal: Hub.openJournal(path: path, readOnly: true), clock: clock, readOnly: true)
        try await leaderServer(leaderHub).application().test(.live) { client in
            let (api, forwarding) = try follower(leader: "https://127.0.0.1:\(client.port!)", hub: followerHub)
            let created = await api.handle(try request("POST", "/api/v1/namespaces", as: "rita", groups: ["system:masters"], body: Self.namespace))
            #expect(created.status == 201)
            let read = await api.handle(try request("GET", "/api/v1/namespaces/team-a", as: "rita", groups: ["system:masters"]))
            #expect(read.status == 200)
            #expect(await followerHub.state.lastSeq == leaderHub.state.lastSeq)
            await forwarding.shutdown()
        }
    }

    @Test func readyzSaysWhichHubLeadsAndIsReadyOnlyWhileSomeHubDoes() async throws {
        let (api, forwarding) = try follower(leader: "https://127.0.0.1:1")
        await api.hub.demote(reason: "this hub follows")
        let ready = await api.handle(APIRequest(method: "GET", path: "/readyz"))
        #expect(ready.status == 200)
        #expect(String(decoding: ready.bytes, as: UTF8.self) == "[+]journal ok\n[+]leadership: this hub follows\nreadyz check passed\n")
        let (alone, aloneForwarding) = try follower(leader: nil)
        await alone.hub.demote(reason: "this hub has not won the journal's lease yet")
        let waiting = await alone.handle(APIRequest(method: "GET", path: "/readyz"))
        #expect(waiting.status == 503)
        await forwarding.shutdown()
        await aloneForwarding.shutdown()
    }

    @Test func aLeaderThatCannotBeReachedIsAServiceUnavailableNamingIt() async throws {
        let (api, forwarding) = try follower(leader: "https://127.0.0.1:1")
        let answer = await api.handle(try request("POST", "/api/v1/namespaces", as: "rita", groups: ["system:masters"], body: Self.namespace))
        await forwarding.shutdown()
        #expect(answer.status == 503)
        let status = try JSON.parse(answer.bytes)
        #expect(status["reason"] == "ServiceUnavailable")
        #expect(status["message"]?.stringValue?.hasPrefix("this hub does not lead and the leader at https://127.0.0.1:1 cannot be reached") == true)
    }
}
