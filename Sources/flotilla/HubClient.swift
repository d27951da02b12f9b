import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The few HTTP calls the command line makes to a running hub, as a user (`Impersonate-User`, which the
/// journal records as the actor).
struct HubClient {
    var server: String
    var user: String?

    /// Refuses anything that is not a URL with a host, naming the option.
    static func validate(_ server: String) throws {
        guard URL(string: server)?.host != nil else {
            throw ValidationError("--server must be a URL such as http://127.0.0.1:\(Flotilla.defaultPort)")
        }
    }

    func request(_ method: String, _ path: String, query: [String: String?] = [:], body: Data? = nil, contentType: String = "application/json") async throws -> (Data, Int) {
        var components = URLComponents(string: server.trimmingCharacters(in: ["/"]) + path)!
        let items = query.compactMap { key, value in value.map { URLQueryItem(name: key, value: $0) } }.sorted { $0.name < $1.name }
        if !items.isEmpty { components.queryItems = items }
        var request = URLRequest(url: components.url!)
        request.httpMethod = method
        if let user { request.setValue(user, forHTTPHeaderField: "Impersonate-User") }
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let body {
            request.httpBody = body
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            return (data, (response as? HTTPURLResponse)?.statusCode ?? 0)
        } catch {
            throw CommandError("--server: could not reach the hub at \(server): \(error.localizedDescription)")
        }
    }

    /// A refused request as kubectl reports it: `Error from server (Reason): message`.
    static func failure(_ body: Data, _ code: Int) -> CommandError {
        let status = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        let reason = status?["reason"] as? String ?? "HTTP \(code)"
        let message = status?["message"] as? String ?? String(decoding: body, as: UTF8.self)
        return CommandError("Error from server (\(reason)): \(message)")
    }
}
