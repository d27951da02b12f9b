import ArgumentParser
import FleetAPI
import Foundation

/// How a command finds a running hub and its credentials, as kubectl does: `--kubeconfig`, else `$KUBECONFIG`
/// (a colon-separated list, the first to set a value winning), else `~/.kube/config`; `--context`, else the
/// current context; `--server` overrides the context's server.
struct HubConnection: ParsableArguments {
    @Option(name: .long, help: "The kubeconfig file; $KUBECONFIG or ~/.kube/config when left out.")
    var kubeconfig: String?

    @Option(name: .long, help: "The kubeconfig context to use; its current context when left out.")
    var context: String?

    @Option(name: .long, help: "The hub's URL, overriding the context's server.")
    var server: String?

    func validate() throws {
        if let server, URL(string: server)?.host == nil {
            throw ValidationError("--server must be a URL such as https://127.0.0.1:\(Flotilla.defaultPort)")
        }
    }

    /// The endpoint and credentials to use.
    func resolve() throws -> HubEndpoint {
        let environment = ProcessInfo.processInfo.environment
        let files: [String]
        if let kubeconfig {
            files = [kubeconfig]
        } else if let list = environment["KUBECONFIG"], !list.isEmpty {
            files = list.split(separator: ":").map(String.init)
        } else {
            let home = environment["HOME"] ?? NSHomeDirectory()
            files = FileManager.default.fileExists(atPath: home + "/.kube/config") ? [home + "/.kube/config"] : []
        }
        var config = KubeconfigFile()
        for file in files {
            guard FileManager.default.fileExists(atPath: file) else {
                if kubeconfig != nil { throw CommandError("--kubeconfig: \(file) does not exist") }
                continue
            }
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let parsed: JSON
            do {
                parsed = try YAML.parse(text)
            } catch {
                throw CommandError("\(file): not a kubeconfig: \(error)")
            }
            config.merge(parsed, base: (file as NSString).deletingLastPathComponent)
        }
        var endpoint = try config.endpoint(context: context)
        if let server { endpoint.server = server }
        guard let url = URL(string: endpoint.server), url.host != nil else {
            throw CommandError("no hub to talk to: give --server, or a kubeconfig (--kubeconfig, $KUBECONFIG) whose context names a server")
        }
        return endpoint
    }
}

/// Where a hub is and how to prove who one is there.
struct HubEndpoint {
    var server: String
    var certificateAuthority: String?
    var clientCertificate: String?
    var clientKey: String?
    var token: String?
    var insecureSkipVerify = false
}

/// The parts of kubeconfig files a command reads, merged as kubectl merges them.
struct KubeconfigFile {
    var clusters: [String: JSON] = [:]
    var users: [String: JSON] = [:]
    var contexts: [String: JSON] = [:]
    var currentContext: String?
    var bases: [String: String] = [:]

    mutating func merge(_ config: JSON, base: String) {
        func add(_ key: String, into table: inout [String: JSON], kind: String) {
            for entry in config[key]?.arrayValue ?? [] {
                guard let name = entry["name"]?.stringValue, table[name] == nil else { continue }
                table[name] = entry[kind] ?? .emptyObject
                bases["\(kind)/\(name)"] = base
            }
        }
        add("clusters", into: &clusters, kind: "cluster")
        add("users", into: &users, kind: "user")
        add("contexts", into: &contexts, kind: "context")
        if currentContext == nil, let current = config["current-context"]?.stringValue, !current.isEmpty { currentContext = current }
    }

    func endpoint(context requested: String?) throws -> HubEndpoint {
        guard let name = requested ?? currentContext else { return HubEndpoint(server: "") }
        guard let context = contexts[name] else { throw CommandError("--context: context \"\(name)\" is not in the kubeconfig") }
        let clusterName = context["cluster"]?.stringValue ?? ""
        let userName = context["user"]?.stringValue ?? ""
        let cluster = clusters[clusterName] ?? .emptyObject
        let user = users[userName] ?? .emptyObject
        func material(_ entry: JSON, data: String, file: String, kind: String, name: String) throws -> String? {
            if let encoded = entry[data]?.stringValue {
                guard let decoded = Data(base64Encoded: encoded) else { throw CommandError("kubeconfig: \(kind) \(name): \(data) is not base64") }
                return String(decoding: decoded, as: UTF8.self)
            }
            guard var path = entry[file]?.stringValue else { return nil }
            if !path.hasPrefix("/"), let base = bases["\(kind)/\(name)"] { path = base + "/" + path }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw CommandError("kubeconfig: \(kind) \(name): cannot read \(path)") }
            return text
        }
        var endpoint = HubEndpoint(server: cluster["server"]?.stringValue ?? "")
        endpoint.certificateAuthority = try material(cluster, data: "certificate-authority-data", file: "certificate-authority", kind: "cluster", name: clusterName)
        endpoint.insecureSkipVerify = cluster["insecure-skip-tls-verify"]?.boolValue ?? false
        endpoint.clientCertificate = try material(user, data: "client-certificate-data", file: "client-certificate", kind: "user", name: userName)
        endpoint.clientKey = try material(user, data: "client-key-data", file: "client-key", kind: "user", name: userName)
        endpoint.token = user["token"]?.stringValue
        return endpoint
    }
}
