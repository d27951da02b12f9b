import Foundation
import FleetAPI

/// An HTTP request as the API layer sees it, free of any server library's types so it can be tested directly.
public struct APIRequest: Sendable {
    public var method: String
    public var path: String
    public var query: [String: String]
    public var headers: [String: String]
    public var body: [UInt8]

    /// - Parameter headers: keyed by lowercased name.
    public init(method: String, path: String, query: [String: String] = [:], headers: [String: String] = [:], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// Whether the client asked for a `meta.k8s.io` Table, as `kubectl get` does.
    var wantsTable: Bool { header("accept")?.contains("as=Table") ?? false }

    var wantsAggregatedDiscovery: Bool {
        header("accept")?.contains("g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList") ?? false
    }

    var isDryRun: Bool { query["dryRun"] == "All" }

    /// Who is acting, for the journal: an impersonated user if kubectl was run with `--as`, else the client.
    var actor: String {
        if let user = header("impersonate-user"), !user.isEmpty { return user }
        if let agent = header("user-agent")?.split(separator: " ").first { return String(agent) }
        return "anonymous"
    }

    static func parseQuery(_ text: String) -> [String: String] {
        var query: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0]).removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1 ? (String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "") : ""
            query[key] = value
        }
        return query
    }
}
