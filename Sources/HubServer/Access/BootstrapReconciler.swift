import Access
import FleetAPI
import Rollout

/// The default roles and bindings written into the journal as the API server writes its bootstrap policy at
/// every start: what is missing is created, and what drifted is put back unless it is annotated
/// `rbac.authorization.kubernetes.io/autoupdate: "false"`. Recorded as `system:apiserver`, so the audit shows
/// where they came from; `kubectl get clusterroles` lists them.
public enum BootstrapReconciler {
    public static let actor = "system:apiserver"
    static let autoupdate = "rbac.authorization.kubernetes.io/autoupdate"
    static let compared = ["rules", "aggregationRule", "roleRef", "subjects"]

    /// Returns how many objects it wrote.
    @discardableResult
    public static func reconcile(_ hub: Hub) async throws -> Int {
        var written = 0
        for object in BootstrapPolicy.objects {
            let key = try ObjectDecider.identify(object).1
            if let stored = await hub.state.objects[key] {
                if stored.annotations[autoupdate] == "false" { continue }
                let drifted = compared.contains { stored.json[$0] != object[$0] }
                    || BootstrapPolicy.labels(of: object).contains { stored.labels[$0.key] != $0.value }
                if !drifted { continue }
            }
            try await hub.send(.apply(object), actor: actor)
            written += 1
        }
        return written
    }
}
