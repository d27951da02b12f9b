import FleetAPI
import Foundation
import Hummingbird
import Logging
import Rollout

/// Hummingbird's side of the API: turns its requests into `APIRequest`s and `APIResponse`s back, and serves
/// `/metrics`.
struct HubResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let handler: APIHandler
    let metrics: HubMetrics
    let logger: Logger
    static let maxBody = 32 << 20

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        var request = request
        let path = request.uri.path
        if path == "/metrics" {
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: await metrics.scrape(handler.hub))))
        }
        let body = try await request.collectBody(upTo: Self.maxBody)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let apiRequest = APIRequest(
            method: request.method.rawValue, path: path, query: APIRequest.parseQuery(request.uri.query ?? ""),
            headers: headers, body: Array(buffer: body))
        let response = await handler.handle(apiRequest)
        metrics.recordRequest(method: apiRequest.method, code: response.status)
        logger.debug("\(apiRequest.method) \(path) -> \(response.status)")
        var responseHeaders = HTTPFields()
        responseHeaders[.contentType] = response.contentType
        let status = HTTPResponse.Status(code: response.status)
        switch response.body {
        case .bytes(let bytes):
            return Response(status: status, headers: responseHeaders, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        case .stream(let chunks):
            return Response(
                status: status, headers: responseHeaders,
                body: .init(asyncSequence: chunks.map { ByteBuffer(bytes: $0) }))
        }
    }
}
