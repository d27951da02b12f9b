import AsyncHTTPClient
public import FleetAPI
import Foundation
import NIOCore
import NIOHTTP1

/// A client of one Kubernetes API server: JSON over HTTPS with the endpoint's CA and client certificate or
/// bearer token, errors decoded from the server's `Status`.
///
/// ```swift
/// let client = try KubeClient(endpoint, userAgent: "flotilla-agent")
/// let cm = try await client.get(configMaps, namespace: "app", name: "settings")
/// ```
///
/// - Note: Thread-safe; share one client per server. Call ``shutdown()`` before dropping it.
public final class KubeClient: Sendable {
    public let endpoint: KubeEndpoint
    let http: HTTPClient
    let userAgent: String
    let timeout: TimeAmount

    public init(
        _ endpoint: KubeEndpoint, userAgent: String, timeout: Duration = .seconds(30), connectTimeout: Duration = .seconds(10)
    ) throws(KubeconfigError) {
        guard let url = URL(string: endpoint.server), url.scheme == "https" || url.scheme == "http", url.host != nil else {
            throw KubeconfigError("the server \"\(endpoint.server)\" is not an http(s) URL")
        }
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = try endpoint.tlsConfiguration()
        configuration.timeout.connect = .seconds(connectTimeout.components.seconds)
        self.endpoint = endpoint
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.userAgent = userAgent
        self.timeout = .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000)
    }

    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// One request; the body of any answer, with its code.
    public func send(
        _ method: String, _ path: String, query: [(String, String)] = [], body: [UInt8]? = nil,
        contentType: String = "application/json"
    ) async throws(KubeError) -> (code: Int, body: [UInt8]) {
        let answer = try await perform(makeRequest(method, path, query: query, body: body, contentType: contentType))
        return (answer.code, answer.body)
    }

    /// One request passed on as it came: the path and query as sent and the caller's headers, with this client's
    /// credentials; the answer's code, headers and body, whatever they are.
    public func exchange(
        _ method: String, uri: String, headers: [(name: String, value: String)], body: [UInt8]?
    ) async throws(KubeError) -> (code: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        var request = HTTPClientRequest(url: endpoint.server.trimmingCharacters(in: ["/"]) + uri)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "User-Agent", value: userAgent)
        for header in headers { request.headers.add(name: header.name, value: header.value) }
        if let token = endpoint.bearerToken() { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        return try await perform(request)
    }

    private func perform(
        _ request: HTTPClientRequest
    ) async throws(KubeError) -> (code: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        do {
            let response = try await http.execute(request, timeout: timeout)
            let bytes = try await response.body.collect(upTo: 64 << 20)
            return (Int(response.status.code), response.headers.map { (name: $0.name, value: $0.value) }, Array(buffer: bytes))
        } catch {
            throw .unreachable(server: endpoint.server, message: "\(error)")
        }
    }

    /// One request whose 2xx answer is a JSON object; anything else throws.
    public func json(
        _ method: String, _ path: String, query: [(String, String)] = [], body: JSON? = nil,
        contentType: String = "application/json"
    ) async throws(KubeError) -> JSON {
        let (code, bytes) = try await send(method, path, query: query, body: body?.serialized(), contentType: contentType)
        guard (200..<300).contains(code) else { throw KubeError.from(code: code, body: bytes) }
        do {
            return try JSON.parse(bytes)
        } catch {
            throw .malformed("\(method) \(path): \(error)")
        }
    }

    func makeRequest(
        _ method: String, _ path: String, query: [(String, String)], body: [UInt8]?, contentType: String
    ) -> HTTPClientRequest {
        var components = URLComponents(string: endpoint.server.trimmingCharacters(in: ["/"]) + path)!
        if !query.isEmpty { components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        var request = HTTPClientRequest(url: components.url!.absoluteString)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: userAgent)
        if let token = endpoint.bearerToken() { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
            request.headers.add(name: "Content-Type", value: contentType)
        }
        return request
    }
}
