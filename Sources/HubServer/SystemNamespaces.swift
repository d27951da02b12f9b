import FleetAPI
import Rollout

/// The namespaces every Kubernetes cluster has, which kube-apiserver's system namespaces controller creates at
/// start: a plain server stands in for a member cluster, whose workloads land in `default` unless told otherwise.
public enum SystemNamespaces {
    public static let names = ["default", "kube-node-lease", "kube-public", "kube-system"]

    /// Creates the missing ones, recorded as `system:apiserver`; returns how many it created.
    @discardableResult
    public static func ensure(_ hub: Hub) async throws -> Int {
        var created = 0
        for name in names where await hub.state.objects[ObjectKey(.namespace, name: name)] == nil {
            try await hub.send(.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]]), actor: BootstrapReconciler.actor)
            created += 1
        }
        return created
    }
}
