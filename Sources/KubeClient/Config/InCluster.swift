import Foundation

extension KubeEndpoint {
    /// Where a pod's service account mounts its credentials.
    public static let serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// The API server a pod runs under, as client-go's `rest.InClusterConfig` finds it: `KUBERNETES_SERVICE_HOST`
    /// and `_PORT`, the service account's CA, and its token (re-read per request, as it is rotated). `nil` outside
    /// a pod.
    public static func inCluster(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        directory: String = serviceAccountDirectory
    ) throws(KubeconfigError) -> KubeEndpoint? {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty else { return nil }
        let port = environment["KUBERNETES_SERVICE_PORT"] ?? "443"
        let tokenFile = directory + "/token"
        guard FileManager.default.isReadableFile(atPath: tokenFile) else {
            throw KubeconfigError("in-cluster: KUBERNETES_SERVICE_HOST is set but \(tokenFile) cannot be read")
        }
        // An IPv6 address needs brackets in a URL.
        var endpoint = KubeEndpoint(server: "https://" + (host.contains(":") ? "[\(host)]" : host) + ":" + port)
        endpoint.tokenFile = tokenFile
        endpoint.certificateAuthority = try? String(contentsOfFile: directory + "/ca.crt", encoding: .utf8)
        return endpoint
    }
}
