import AsyncHTTPClient
import FleetAPI
import Foundation
import KubeClient
import NIOCore
import NIOHTTP1

/// The few HTTP calls the command line makes to a running hub, with the credentials of its kubeconfig
/// context; `impersonate` sends `Impersonate-User`, as `kubectl --as` does.
struct HubClient {
    var endpoint: KubeEndpoint
    var impersonate: String?

    init(_ endpoint: KubeEndpoint, impersonate: String? = nil) {
        self.endpoint = endpoint
        self.impersonate = impersonate
    }

    func request(
        _ method: String, _ path: String, query: [String: String?] = [:], body: Data? = nil, contentType: String = "application/json"
    ) async throws -> (Data, Int) {
        var components = URLComponents(string: endpoint.server.trimmingCharacters(in: ["/"]) + path)!
        let items = query.compactMap { key, value in value.map { URLQueryItem(name: key, value: $0) } }.sorted { $0.name < $1.name }
        if !items.isEmpty { components.queryItems = items }
        var request = HTTPClientRequest(url: components.url!.absoluteString)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "Accept", value: "application/json")
        if let impersonate { request.headers.add(name: "Impersonate-User", value: impersonate) }
        if let token = endpoint.token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
            request.headers.add(name: "Content-Type", value: contentType)
        }
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = try endpoint.tlsConfiguration()
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            let bytes = try await response.body.collect(upTo: 64 << 20)
            try await client.shutdown()
            return (Data(buffer: bytes), Int(response.status.code))
        } catch {
            try? await client.shutdown()
            throw CommandError("could not reach the hub at \(endpoint.server): \(error)")
        }
    }

    /// A refused request as kubectl reports it: `Error from server (Reason): message`, or kubectl's words for a
    /// 401.
    static func failure(_ body: Data, _ code: Int) -> CommandError {
        let status = try? JSON.parse(Array(body))
        let reason = status?["reason"]?.stringValue ?? "HTTP \(code)"
        let message = status?["message"]?.stringValue ?? String(decoding: body, as: UTF8.self)
        if code == 401 { return CommandError("You must be logged in to the server (\(message))") }
        return CommandError("Error from server (\(reason)): \(message)")
    }
}
