public import FleetAPI
import Foundation

/// The parts of kubeconfig files a client reads, merged as kubectl merges them: the first file to set a name or
/// the current context wins; relative certificate paths are relative to the file that names them.
public struct Kubeconfig: Sendable {
    var clusters: [String: JSON] = [:]
    var users: [String: JSON] = [:]
    var contexts: [String: JSON] = [:]
    public var currentContext: String?
    var bases: [String: String] = [:]

    public init() {}

    /// Loads the files kubectl would: `explicit` (refused when missing, naming `flag`), else `$KUBECONFIG` (a
    /// colon-separated list; missing files skipped), else `~/.kube/config` when it exists.
    public static func load(
        explicit: String?, flag: String = "--kubeconfig",
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(KubeconfigError) -> Kubeconfig {
        let files: [String]
        if let explicit {
            files = [explicit]
        } else if let list = environment["KUBECONFIG"], !list.isEmpty {
            files = list.split(separator: ":").map(String.init)
        } else {
            let home = environment["HOME"] ?? NSHomeDirectory()
            files = FileManager.default.fileExists(atPath: home + "/.kube/config") ? [home + "/.kube/config"] : []
        }
        var config = Kubeconfig()
        for file in files {
            guard FileManager.default.fileExists(atPath: file) else {
                if explicit != nil { throw KubeconfigError("\(flag): \(file) does not exist") }
                continue
            }
            let parsed: JSON
            do {
                parsed = try YAML.parse(try String(contentsOfFile: file, encoding: .utf8))
            } catch {
                throw KubeconfigError("\(file): not a kubeconfig: \(error)")
            }
            config.merge(parsed, base: (file as NSString).deletingLastPathComponent)
        }
        return config
    }

    public mutating func merge(_ config: JSON, base: String) {
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
        if currentContext == nil, let current = config["current-context"]?.stringValue, !current.isEmpty {
            currentContext = current
        }
    }

    /// The endpoint of `requested` (else the current context); an empty server when there is no context at all.
    public func endpoint(context requested: String?) throws(KubeconfigError) -> KubeEndpoint {
        guard let name = requested ?? currentContext else { return KubeEndpoint(server: "") }
        guard let context = contexts[name] else {
            throw KubeconfigError("--context: context \"\(name)\" is not in the kubeconfig")
        }
        let clusterName = context["cluster"]?.stringValue ?? ""
        let userName = context["user"]?.stringValue ?? ""
        let cluster = clusters[clusterName] ?? .emptyObject
        let user = users[userName] ?? .emptyObject
        func material(_ entry: JSON, data: String, file: String, kind: String, name: String) throws(KubeconfigError) -> String? {
            if let encoded = entry[data]?.stringValue {
                guard let decoded = Data(base64Encoded: encoded) else {
                    throw KubeconfigError("kubeconfig: \(kind) \(name): \(data) is not base64")
                }
                return String(decoding: decoded, as: UTF8.self)
            }
            guard var path = entry[file]?.stringValue else { return nil }
            if !path.hasPrefix("/"), let base = bases["\(kind)/\(name)"] { path = base + "/" + path }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw KubeconfigError("kubeconfig: \(kind) \(name): cannot read \(path)")
            }
            return text
        }
        var endpoint = KubeEndpoint(server: cluster["server"]?.stringValue ?? "")
        endpoint.certificateAuthority = try material(
            cluster, data: "certificate-authority-data", file: "certificate-authority", kind: "cluster", name: clusterName)
        endpoint.insecureSkipVerify = cluster["insecure-skip-tls-verify"]?.boolValue ?? false
        endpoint.clientCertificate = try material(
            user, data: "client-certificate-data", file: "client-certificate", kind: "user", name: userName)
        endpoint.clientKey = try material(user, data: "client-key-data", file: "client-key", kind: "user", name: userName)
        endpoint.token = user["token"]?.stringValue
        endpoint.tokenFile = user["tokenFile"]?.stringValue
        return endpoint
    }
}
