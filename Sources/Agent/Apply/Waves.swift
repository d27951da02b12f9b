/// KubeFleet's apply waves (`workapplier/waves.go`): what others depend on goes first (namespaces, then data,
/// definitions and accounts, then roles, then their bindings, then workloads, then webhooks), and every kind not
/// named here, custom resources included, last. Manifests within a wave are applied in parallel.
public enum ApplyWaves {
    /// The wave of the unknown kinds.
    public static let last = 999

    private static let waves: [String: (wave: Int, groups: Set<String>)] = {
        var table: [String: (Int, Set<String>)] = [:]
        func add(_ wave: Int, _ group: String, _ resources: [String]) {
            for resource in resources { table[resource, default: (wave, [])].1.insert(group) }
        }
        add(0, "", ["namespaces"])
        add(0, "scheduling.k8s.io", ["priorityclasses"])
        add(1, "networking.k8s.io", ["networkpolicies", "ingressclasses"])
        add(1, "", ["resourcequotas", "limitranges", "serviceaccounts", "secrets", "configmaps", "persistentvolumes",
                    "persistentvolumeclaims"])
        add(1, "policy", ["podsecuritypolicies", "poddisruptionbudgets"])
        add(1, "storage.k8s.io", ["storageclasses"])
        add(1, "apiextensions.k8s.io", ["customresourcedefinitions"])
        add(2, "rbac.authorization.k8s.io", ["clusterroles", "roles"])
        add(3, "rbac.authorization.k8s.io", ["clusterrolebindings", "rolebindings"])
        add(4, "", ["services", "pods", "replicationcontrollers"])
        add(4, "apps", ["daemonsets", "replicasets", "deployments", "statefulsets"])
        add(4, "autoscaling", ["horizontalpodautoscalers"])
        add(4, "batch", ["jobs", "cronjobs"])
        add(4, "networking.k8s.io", ["ingresses"])
        add(5, "apiregistration.k8s.io", ["apiservices"])
        add(5, "admissionregistration.k8s.io", ["validatingwebhookconfigurations", "mutatingwebhookconfigurations"])
        return table
    }()

    /// The wave of a resource in its API group.
    public static func wave(group: String, resource: String) -> Int {
        guard let entry = waves[resource], entry.groups.contains(group) else { return last }
        return entry.wave
    }

    /// The indices of `items`, grouped into waves in the order to apply them; each wave keeps the Work's order.
    public static func plan<T>(_ items: [T], group: (T) -> String, resource: (T) -> String) -> [[Int]] {
        let byWave = Dictionary(grouping: items.indices) { wave(group: group(items[$0]), resource: resource(items[$0])) }
        return byWave.keys.sorted().map { byWave[$0]! }
    }
}
