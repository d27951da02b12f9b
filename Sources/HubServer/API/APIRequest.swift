import Access
import FleetAPI
import Foundation
import X509

/// An HTTP request as the API layer sees it, free of any server library's types so it can be tested directly.
public struct APIRequest: Sendable {
    public var method: String
    public var path: String
    public var query: [String: String]
    public var headers: [String: String]
    public var body: [UInt8]
    /// The certificate the client presented in the TLS handshake, not yet checked.
    public var clientCertificate: Certificate?
    /// What the `Impersonate-*` headers ask for.
    public var impersonation: Impersonation?
    /// The `X-Remote-*` headers, every value of each: whom a front proxy says the request is from, believed only
    /// from a trusted proxy's certificate.
    public var remoteIdentity: [String: [String]]
    /// The path and query as sent, for messages that quote the request URI.
    public var uri: String
    /// Who the request acts as: set by access control before any handler sees it.
    public var identity = RequestIdentity(user: .anonymous)
    /// The place this request holds within its user's limits: set by access control, released when the
    /// request ends, or for a watch, when its stream ends.
    var slot: LimitSlot?

    /// - Parameter headers: keyed by lowercased name.
    public init(
        method: String, path: String, query: [String: String] = [:], headers: [String: String] = [:], body: [UInt8] = [],
        clientCertificate: Certificate? = nil, impersonation: Impersonation? = nil,
        remoteIdentity: [String: [String]]? = nil, uri: String? = nil
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.clientCertificate = clientCertificate
        self.impersonation = impersonation ?? Impersonation.requested(headers.mapValues { [$0] })
        self.remoteIdentity = remoteIdentity ?? headers.filter { $0.key.hasPrefix("x-remote-") }.mapValues { [$0] }
        self.uri = uri ?? path
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// Whether the client asked for a `meta.k8s.io` Table, as `kubectl get` does.
    var wantsTable: Bool { header("accept")?.contains("as=Table") ?? false }

    var wantsAggregatedDiscovery: Bool {
        header("accept")?.contains("g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList") ?? false
    }

    var isDryRun: Bool { query["dryRun"] == "All" }

    /// Who is acting, for the journal.
    var actor: String { identity.actor }

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
