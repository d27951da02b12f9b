import FleetAPI

/// What the API answers: a status, a content type and a body, which for a watch is a stream of chunks.
public struct APIResponse: Sendable {
    public enum Body: Sendable {
        case bytes([UInt8])
        case stream(AsyncStream<[UInt8]>)
    }

    public var status: Int
    public var contentType: String
    public var body: Body
    /// Headers beyond the content type, such as `Retry-After`.
    public var headers: [String: String] = [:]

    public static let json = "application/json"
    public static let table = "application/json;as=Table;v=v1;g=meta.k8s.io"
    public static let aggregatedDiscovery = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"

    public init(status: Int, contentType: String = APIResponse.json, body: Body) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    public static func json(_ value: JSON, status: Int = 200, contentType: String = APIResponse.json) -> APIResponse {
        APIResponse(status: status, contentType: contentType, body: .bytes(value.serialized()))
    }

    public static func text(_ text: String, status: Int = 200) -> APIResponse {
        APIResponse(status: status, contentType: "text/plain; charset=utf-8", body: .bytes(Array(text.utf8)))
    }

    /// The body of a non-streaming response.
    public var bytes: [UInt8] {
        if case .bytes(let bytes) = body { return bytes }
        return []
    }
}
