import FleetAPI

/// A kubeconfig whose current context `hub` is the hub, with one read-only context per member showing what is
/// applied there.
public enum Kubeconfig {
    public static func make(server: String, members: [String]) -> String {
        let base = server.hasSuffix("/") ? String(server.dropLast()) : server
        let entries = [("hub", base)] + members.sorted().map { ($0, "\(base)/members/\($0)") }
        let clusters: [JSON] = entries.map { ["name": .string($0.0), "cluster": ["server": .string($0.1)]] }
        let contexts: [JSON] = entries.map {
            ["name": .string($0.0), "context": ["cluster": .string($0.0), "user": "flotilla"]]
        }
        let config: JSON = [
            "apiVersion": "v1", "kind": "Config", "current-context": "hub", "preferences": .emptyObject,
            "clusters": .array(clusters), "contexts": .array(contexts),
            "users": [["name": "flotilla", "user": .emptyObject]],
        ]
        return YAML.emit(config)
    }
}
