import AsyncHTTPClient
import Foundation
import NIOCore
import Rollout

/// Notification sinks reached with async-http-client: one JSON POST per event, five seconds to connect and answer
/// (async-http-client retries a refused connection until then).
struct SinkTransport: NotificationTransport {
    struct Refused: Error, CustomStringConvertible {
        var status: UInt
        var description: String { "the sink answered HTTP \(status)" }
    }

    func post(_ body: [UInt8], to url: String, idempotencyKey: String) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: idempotencyKey)
        request.headers.add(name: "User-Agent", value: "flotilla-notifications")
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        _ = try? await response.body.collect(upTo: 1 << 16)
        guard (200..<300).contains(response.status.code) else { throw Refused(status: response.status.code) }
    }
}
