import ArgumentParser
import Foundation

extension Flotilla {
    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve an approval request, as `kubectl fleet approve` does, or reject it, recording who decided.",
            discussion: "Sets the request's Approved condition at its current generation through the hub's API, "
                + "retrying on conflicts for up to five minutes. The hub records the authenticated user as the approver: "
                + "the kubeconfig context's (--kubeconfig, $KUBECONFIG, --context). With --reject the condition is False "
                + "and the run fails with --message.")

        enum Kind: String, ExpressibleByArgument, CaseIterable {
            case clusterapprovalrequest, approvalrequest

            var plural: String { rawValue + "s" }
            func reason(rejecting: Bool) -> String {
                (self == .clusterapprovalrequest ? "ClusterApprovalRequest" : "ApprovalRequest") + (rejecting ? "Rejected" : "Approved")
            }
        }

        @Argument(help: "clusterapprovalrequest or approvalrequest.")
        var kind: Kind

        @Option(name: .long, help: "The approval request's name.")
        var name: String

        @Option(name: [.short, .long], help: "The namespace of an approvalrequest.")
        var namespace: String?

        @OptionGroup var connection: HubConnection

        @Option(name: .customLong("as"), help: "A user to impersonate, as kubectl --as does; needs the impersonate permission. The journal records both names.")
        var impersonate: String?

        @Flag(name: .long, help: "Reject the request: the run fails with --message.")
        var reject = false

        @Option(name: .long, help: "The message on the Approved condition; a rejected run fails with it.")
        var message: String?

        func validate() throws {
            if kind == .approvalrequest && (namespace ?? "").isEmpty {
                throw ValidationError("--namespace is required for an approvalrequest")
            }
            if kind == .clusterapprovalrequest && namespace != nil {
                throw ValidationError("--namespace does not apply to a clusterapprovalrequest, which is cluster-scoped")
            }
        }

        func run() async throws {
            let hub = HubClient(try connection.resolve(), impersonate: impersonate)
            let path = "/apis/placement.kubernetes-fleet.io/v1beta1/"
                + (namespace.map { "namespaces/\($0)/" } ?? "") + "\(kind.plural)/\(name)"
            let deadline = Date().addingTimeInterval(300)
            while true {
                let (current, status) = try await hub.request("GET", path)
                guard status == 200 else { throw HubClient.failure(current, status) }
                let object = try JSONSerialization.jsonObject(with: current) as? [String: Any] ?? [:]
                let metadata = object["metadata"] as? [String: Any] ?? [:]
                let generation = metadata["generation"] as? Int ?? 1
                var conditions = ((object["status"] as? [String: Any])?["conditions"] as? [[String: Any]] ?? [])
                    .filter { $0["type"] as? String != "Approved" }
                conditions.append([
                    "type": "Approved", "status": reject ? "False" : "True", "observedGeneration": generation,
                    "reason": kind.reason(rejecting: reject),
                    "message": message ?? (reject ? "rejected with flotilla approve" : "approved with flotilla approve"),
                    "lastTransitionTime": ISO8601DateFormatter().string(from: Date()),
                ])
                let patch: [String: Any] = [
                    "metadata": ["resourceVersion": metadata["resourceVersion"] ?? ""], "status": ["conditions": conditions],
                ]
                let (body, code) = try await hub.request(
                    "PATCH", path + "/status", body: try JSONSerialization.data(withJSONObject: patch),
                    contentType: "application/merge-patch+json")
                if code == 200 {
                    print("\(kind.rawValue).placement.kubernetes-fleet.io/\(name) \(reject ? "rejected" : "approved")")
                    return
                }
                guard code == 409, Date() < deadline else { throw HubClient.failure(body, code) }
                try await Task.sleep(for: .seconds(1))
            }
        }
    }
}
