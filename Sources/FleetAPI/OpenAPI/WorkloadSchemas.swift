/// The other built-in kinds fleets place. The hub stores and forwards them without interpreting them, so their
/// spec and status are kept as sent; strict validation still catches a misspelt top-level field.
extension KindSchemas {
    static func workloadFields(_ kind: ResourceKind) -> (String, [String], [String: JSON]) {
        let (description, spec, status) = workloadDescriptions[kind.kind] ?? ("A \(kind.kind).", "What is wanted.", "What is observed.")
        var fields: [String: JSON] = ["spec": preserved(spec)]
        if kind.hasStatus { fields["status"] = preserved(status) }
        return (description, [], fields)
    }

    private static let workloadDescriptions: [String: (String, String, String)] = [
        "PersistentVolumeClaim": ("A request for storage.", "Access modes, size and storage class wanted.", "The bound capacity and phase."),
        "LimitRange": ("Default and maximum resources per object in a namespace.", "The limits by object type.", ""),
        "ResourceQuota": ("A cap on what a namespace may use.", "The hard limits.", "What is used against them."),
        "StatefulSet": ("Pods with stable identities and storage.", "Replicas, pod template and volume claims.", "Replicas ready and current."),
        "DaemonSet": ("A pod on every selected node.", "The pod template and update strategy.", "Pods scheduled and ready."),
        "Job": ("Pods run to completion.", "The pod template, completions and parallelism.", "Pods succeeded and failed."),
        "CronJob": ("A Job on a schedule.", "The schedule and job template.", "The last schedule and active jobs."),
        "Ingress": ("HTTP routes into services.", "Rules, TLS and the ingress class.", "The load balancer's addresses."),
        "NetworkPolicy": ("Which traffic may reach selected pods.", "The pod selector and ingress and egress rules.", ""),
        "PodDisruptionBudget": ("How many pods may be down at once.", "minAvailable or maxUnavailable, and the selector.", "Disruptions allowed now."),
        "HorizontalPodAutoscaler": ("Scales a workload on its metrics.", "The target, bounds and metrics.", "Current and desired replicas."),
        "CustomResourceDefinition": (
            "A kind the API serves from now on, with its names, scope, versions and their schemas.",
            "The group, names, scope and versions with their schemas and columns.",
            "The accepted names, the NamesAccepted and Established conditions, and the stored versions."
        ),
    ]
}
