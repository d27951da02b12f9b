import FleetAPI
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Requests as kubectl sends them: JSON bodies, JSON answers, the caller named by `Impersonate-User`.
struct HubClient: Sendable {
    /// The request never got an answer: the server is down, or died while answering.
    struct Unreachable: Error {}

    struct Response: Sendable {
        var status: Int
        var body: JSON
    }

    let actor: String
    private let session: URLSession

    init(actor: String) {
        self.actor = actor
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 15
        configuration.httpMaximumConnectionsPerHost = 4
        session = URLSession(configuration: configuration)
    }

    func send(
        _ method: String, _ base: URL, _ path: String, body: JSON? = nil, contentType: String = "application/json"
    ) async throws -> Response {
        var request = URLRequest(url: URL(string: base.absoluteString + path)!)
        request.httpMethod = method
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        request.setValue(actor, forHTTPHeaderField: "Impersonate-User")
        request.setValue("flotilla-crash-test", forHTTPHeaderField: "User-Agent")
        if let body {
            request.httpBody = Data(body.serialized())
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        let (data, response): (Data, URLResponse) = try await withCheckedThrowingContinuation { continuation in
            session.dataTask(with: request) { data, response, error in
                if let data, let response, error == nil {
                    continuation.resume(returning: (data, response))
                } else {
                    continuation.resume(throwing: Unreachable())
                }
            }.resume()
        }
        guard let http = response as? HTTPURLResponse else { throw Unreachable() }
        let json = data.isEmpty ? JSON.null : ((try? JSON.parse(Array(data))) ?? .string(String(decoding: data, as: UTF8.self)))
        return Response(status: http.statusCode, body: json)
    }
}
