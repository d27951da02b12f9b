import Access
import FleetAPI
import Foundation
import Hummingbird
import HTTPTypes
import Logging
import NIOCore
import NIOSSL
import Rollout
import X509

/// A request's context: Hummingbird's, plus the connection, which holds the client's TLS certificate.
struct HubRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}

/// Hummingbird's side of the API: turns its requests into `APIRequest`s and `APIResponse`s back, and serves
/// `/metrics`.
struct HubResponder: HTTPResponder {
    typealias Context = HubRequestContext

    let handler: APIHandler
    let metrics: HubMetrics
    let logger: Logger
    /// The API server's `MaxRequestBodyBytes`: 3 MiB.
    static let maxBody = 3 << 20

    func respond(to request: Request, context: HubRequestContext) async throws -> Response {
        var request = request
        let path = request.uri.path
        var headers: [String: String] = [:]
        var all: [String: [String]] = [:]
        for field in request.headers {
            headers[field.name.canonicalName] = field.value
            all[field.name.canonicalName, default: []].append(field.value)
        }
        let apiRequest: APIRequest
        do {
            let body = try await request.collectBody(upTo: Self.maxBody)
            apiRequest = APIRequest(
                method: request.method.rawValue, path: path, query: APIRequest.parseQuery(request.uri.query ?? ""),
                headers: headers, body: Array(buffer: body), clientCertificate: await Self.clientCertificate(context.channel),
                impersonation: Impersonation.requested(all), remoteIdentity: all.filter { $0.key.hasPrefix("x-remote-") },
                uri: request.uri.description)
        } catch is NIOTooManyBytesError {
            return Self.response(
                KubeStatus(
                    code: 413, reason: "RequestEntityTooLarge", message: "Request entity too large: limit is \(Self.maxBody)"
                ).response)
        }
        if path == "/metrics" {
            if let refusal = await handler.refusal(apiRequest) { return Self.response(refusal) }
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: await metrics.scrape(handler.hub))))
        }
        let response = await handler.handle(apiRequest)
        metrics.recordRequest(method: apiRequest.method, code: response.status)
        logger.debug("\(apiRequest.method) \(path) -> \(response.status)")
        return Self.response(response)
    }

    static func response(_ response: APIResponse) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = response.contentType
        for (name, value) in response.headers {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        let status = HTTPResponse.Status(code: response.status)
        switch response.body {
        case .bytes(let bytes):
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        case .stream(let chunks):
            return Response(status: status, headers: headers, body: .init(asyncSequence: chunks.map { ByteBuffer(bytes: $0) }))
        }
    }

    /// The leaf certificate the client presented, if the connection is TLS and it presented one.
    static func clientCertificate(_ channel: any Channel) async -> Certificate? {
        guard let presented = try? await channel.nioSSL_peerCertificate().get(), let der = try? presented.toDERBytes() else {
            return nil
        }
        return try? Certificate(derEncoded: der)
    }
}
