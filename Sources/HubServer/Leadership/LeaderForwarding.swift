import Access
import FleetAPI
import KubeClient
import Synchronization

/// How a hub that does not lead passes writes on, so that a client may talk to any hub: to the leader's address,
/// over the hubs' front-proxy identity, as the user access control admitted (impersonation already applied).
/// The leader authenticates the proxy, believes its `X-Remote-*` headers, and authorizes the user again.
public final class LeaderForwarding: Sendable {
    /// The leader's base URL while another hub leads; nil while this one does.
    let leader: @Sendable () async -> String?
    /// This hub's part among the hubs, for `/readyz`.
    let role: @Sendable () async -> String
    /// The proxy's credentials and the CA the leader's serving certificate chains to; its server is replaced by
    /// the leader's address.
    let proxy: KubeEndpoint
    private let clients = Mutex<[String: KubeClient]>([:])

    public init(
        proxy: KubeEndpoint, leader: @escaping @Sendable () async -> String?, role: @escaping @Sendable () async -> String
    ) {
        self.proxy = proxy
        self.leader = leader
        self.role = role
    }

    /// The request headers that travel with a forwarded write: what the body is and what answer the client takes.
    static let passedHeaders = ["content-type", "accept"]

    /// Where a write goes: nil when this hub takes it itself.
    func target(of request: APIRequest) async -> String? {
        guard !["GET", "HEAD", "OPTIONS"].contains(request.method) else { return nil }
        return await leader()
    }

    /// The leader's answer to the request, or a 503 naming the leader when it cannot be reached.
    func forward(_ request: APIRequest, to leader: String) async -> APIResponse {
        var headers = Self.passedHeaders.compactMap { name in request.header(name).map { (name: name, value: $0) } }
        headers += RequestHeaderAuthentication.headers(naming: request.identity.user)
        do {
            let answer = try await client(for: leader).exchange(
                request.method, uri: request.uri, headers: headers, body: request.body.isEmpty ? nil : request.body)
            let value = { (name: String) in answer.headers.first { $0.name.lowercased() == name }?.value }
            var response = APIResponse(status: answer.code, contentType: value("content-type") ?? APIResponse.json, body: .bytes(answer.body))
            // What kubectl shows of the leader's answer beyond its body: warnings, and when to retry.
            for name in ["warning", "retry-after"] { response.headers[name] = value(name) }
            return response
        } catch {
            return KubeStatus(
                code: 503, reason: "ServiceUnavailable",
                message: "this hub does not lead and the leader at \(leader) cannot be reached: \(error)"
            ).response
        }
    }

    private func client(for leader: String) throws -> KubeClient {
        try clients.withLock { clients in
            if let client = clients[leader] { return client }
            var endpoint = proxy
            endpoint.server = leader
            // Hubs sit near each other: a leader that does not answer soon is gone, and another will lead.
            let client = try KubeClient(endpoint, userAgent: "flotilla-hub-proxy", connectTimeout: .seconds(2))
            clients[leader] = client
            return client
        }
    }

    /// Closes the connections to every leader this hub forwarded to.
    public func shutdown() async {
        for client in clients.withLock({ $0.values }) { try? await client.shutdown() }
    }
}
