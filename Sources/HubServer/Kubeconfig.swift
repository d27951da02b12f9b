import FleetAPI
import Foundation

/// A kubeconfig whose current context `hub` is the hub, with one read-only context per member showing what is
/// applied there; every context uses the same user, with the hub's CA and a client certificate embedded.
public enum Kubeconfig {
    /// A user's credentials as PEM text, and the CA that vouches for the hub's serving certificate.
    public struct Credentials: Sendable {
        public var user: String
        public var certificateAuthority: String
        public var clientCertificate: String
        public var clientKey: String

        public init(user: String, certificateAuthority: String, clientCertificate: String, clientKey: String) {
            self.user = user
            self.certificateAuthority = certificateAuthority
            self.clientCertificate = clientCertificate
            self.clientKey = clientKey
        }
    }

    /// - Parameter credentials: nil for a hub on `--insecure-http`, which asks for none.
    public static func make(server: String, members: [String], credentials: Credentials? = nil) -> String {
        let base = server.hasSuffix("/") ? String(server.dropLast()) : server
        let entries = [("hub", base)] + members.sorted().map { ($0, "\(base)/members/\($0)") }
        let userName = credentials?.user ?? "flotilla"
        func encoded(_ text: String) -> JSON { .string(Data(text.utf8).base64EncodedString()) }
        let clusters: [JSON] = entries.map { entry in
            var cluster: JSON = ["server": .string(entry.1)]
            if let credentials { cluster["certificate-authority-data"] = encoded(credentials.certificateAuthority) }
            return ["name": .string(entry.0), "cluster": cluster]
        }
        let contexts: [JSON] = entries.map {
            ["name": .string($0.0), "context": ["cluster": .string($0.0), "user": .string(userName)]]
        }
        var user: JSON = .emptyObject
        if let credentials {
            user = ["client-certificate-data": encoded(credentials.clientCertificate), "client-key-data": encoded(credentials.clientKey)]
        }
        let config: JSON = [
            "apiVersion": "v1", "kind": "Config", "current-context": "hub", "preferences": .emptyObject,
            "clusters": .array(clusters), "contexts": .array(contexts),
            "users": [["name": .string(userName), "user": user]],
        ]
        return YAML.emit(config)
    }
}
