import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HubServer

extension Flotilla {
    struct KubeconfigCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "kubeconfig",
            abstract: "Write a kubeconfig: context `hub` for the hub, and one read-only context per member.")

        @Option(name: .long, help: "The hub's URL, as `flotilla serve` printed it.")
        var server: String = "http://127.0.0.1:\(Flotilla.defaultPort)"

        @Option(name: .long, help: "Where to write it; standard output when omitted.")
        var output: String?

        @Option(name: .long, help: "A member context to add; by default the hub's joined members are asked for.")
        var member: [String] = []

        func validate() throws {
            guard let url = URL(string: server), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                throw ValidationError("--server must be an http(s) URL such as http://127.0.0.1:\(Flotilla.defaultPort)")
            }
        }

        func run() async throws {
            let members = member.isEmpty ? try await joinedMembers() : member
            let text = Kubeconfig.make(server: server, members: members)
            if let output {
                try text.write(toFile: output, atomically: true, encoding: .utf8)
            } else {
                print(text, terminator: "")
            }
        }

        func joinedMembers() async throws -> [String] {
            let url = URL(string: server.trimmingCharacters(in: ["/"]) + "/apis/cluster.kubernetes-fleet.io/v1beta1/memberclusters")!
            let data: Data
            do {
                (data, _) = try await URLSession.shared.data(from: url)
            } catch {
                throw ValidationError("--server: could not reach the hub at \(server) to list its members (\(error.localizedDescription)); pass --member NAME instead")
            }
            let list = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            let items = list?["items"] as? [[String: Any]] ?? []
            return items.compactMap { ($0["metadata"] as? [String: Any])?["name"] as? String }
        }
    }
}
