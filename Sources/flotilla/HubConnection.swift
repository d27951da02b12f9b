import ArgumentParser
import Foundation
import KubeClient

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
    func resolve() throws -> KubeEndpoint {
        var endpoint = try Kubeconfig.load(explicit: kubeconfig).endpoint(context: context)
        if let server { endpoint.server = server }
        guard let url = URL(string: endpoint.server), url.host != nil else {
            throw CommandError("no hub to talk to: give --server, or a kubeconfig (--kubeconfig, $KUBECONFIG) whose context names a server")
        }
        return endpoint
    }

    /// Runs `body` with a client of the hub, shut down afterwards whether `body` throws or not.
    func withClient<T>(userAgent: String, _ body: (KubeClient) async throws -> T) async throws -> T {
        let client = try KubeClient(try resolve(), userAgent: userAgent)
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}
