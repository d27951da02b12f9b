import Foundation
import Testing

@testable import FleetAPI
@testable import KubeClient

/// Kubeconfig files found and merged as kubectl does, and the in-cluster service account.
@Suite struct KubeconfigTests {
    let directory: String = {
        let path = NSTemporaryDirectory() + "kubeconfig-tests-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    func write(_ name: String, _ text: String) -> String {
        let path = directory + "/" + name
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func readsTheCurrentContextWithRelativeFilesAndData() throws {
        _ = write("ca.crt", "CA PEM")
        let file = write("config", """
            apiVersion: v1
            kind: Config
            current-context: hub
            clusters:
            - name: hub
              cluster: {server: "https://127.0.0.1:7480", certificate-authority: ca.crt}
            users:
            - name: admin
              user: {client-certificate-data: \(Data("CERT".utf8).base64EncodedString()), client-key-data: \(Data("KEY".utf8).base64EncodedString()), token: t0k3n}
            contexts:
            - name: hub
              context: {cluster: hub, user: admin}
            """)
        let endpoint = try Kubeconfig.load(explicit: file).endpoint(context: nil)
        var expected = KubeEndpoint(server: "https://127.0.0.1:7480")
        expected.certificateAuthority = "CA PEM"
        expected.clientCertificate = "CERT"
        expected.clientKey = "KEY"
        expected.token = "t0k3n"
        #expect(endpoint == expected)
    }

    @Test func theFirstFileOfKUBECONFIGWins() throws {
        let first = write("a", "current-context: a\ncontexts: [{name: a, context: {cluster: one}}]\nclusters: [{name: one, cluster: {server: 'https://one'}}]\n")
        let second = write("b", "current-context: b\nclusters: [{name: one, cluster: {server: 'https://two'}}]\n")
        let config = try Kubeconfig.load(explicit: nil, environment: ["KUBECONFIG": "\(first):\(directory)/missing:\(second)"])
        #expect(config.currentContext == "a")
        #expect(try config.endpoint(context: nil).server == "https://one")
    }

    @Test func errorsNameTheFlagAndField() throws {
        #expect(throws: KubeconfigError("--hub-kubeconfig: \(directory)/none does not exist")) {
            try Kubeconfig.load(explicit: directory + "/none", flag: "--hub-kubeconfig")
        }
        let file = write("bad", "current-context: x\nusers: [{name: u, user: {client-key-data: '%%%'}}]\ncontexts: [{name: x, context: {user: u}}]\n")
        #expect(throws: KubeconfigError("kubeconfig: user u: client-key-data is not base64")) {
            try Kubeconfig.load(explicit: file).endpoint(context: nil)
        }
        #expect(throws: KubeconfigError("--context: context \"nope\" is not in the kubeconfig")) {
            try Kubeconfig.load(explicit: file).endpoint(context: "nope")
        }
    }

    @Test func inClusterUsesTheServiceAccount() throws {
        _ = write("token", "abc\n")
        _ = write("ca.crt", "CLUSTER CA")
        #expect(try KubeEndpoint.inCluster(environment: [:], directory: directory) == nil)
        let endpoint = try #require(
            try KubeEndpoint.inCluster(
                environment: ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "6443"], directory: directory))
        #expect(endpoint.server == "https://10.96.0.1:6443")
        #expect(endpoint.certificateAuthority == "CLUSTER CA")
        #expect(endpoint.bearerToken() == "abc")
        #expect(try KubeEndpoint.inCluster(environment: ["KUBERNETES_SERVICE_HOST": "fd00::1"], directory: directory)?.server == "https://[fd00::1]:443")
        #expect(throws: KubeconfigError("in-cluster: KUBERNETES_SERVICE_HOST is set but /nonexistent/token cannot be read")) {
            try KubeEndpoint.inCluster(environment: ["KUBERNETES_SERVICE_HOST": "10.96.0.1"], directory: "/nonexistent")
        }
    }
}

extension KubeconfigError: Equatable {
    public static func == (a: Self, b: Self) -> Bool { a.description == b.description }
}
