/// Which objects a member can judge available, per kind, as KubeFleet's availability tracker
/// (`workapplier/availability_tracker.go`) sorts them. The rest are applied but cannot be tracked, and a rolling
/// update waits `unavailablePeriodSeconds` before it counts them ready.
public enum AvailabilityTracking {
    /// Kinds that hold data or rules and are usable the moment they exist, as `group/Kind`.
    public static let dataKinds: Set<String> = [
        "/Namespace", "/Secret", "/ConfigMap", "/ServiceAccount", "/LimitRange", "/ResourceQuota", "/PersistentVolume",
        "rbac.authorization.k8s.io/Role", "rbac.authorization.k8s.io/ClusterRole",
        "rbac.authorization.k8s.io/RoleBinding", "rbac.authorization.k8s.io/ClusterRoleBinding",
        "networking.k8s.io/NetworkPolicy", "networking.k8s.io/IngressClass", "storage.k8s.io/StorageClass",
        "storage.k8s.io/CSIDriver", "storage.k8s.io/CSINode", "storage.k8s.io/VolumeAttachment",
        "apps/ControllerRevision", "scheduling.k8s.io/PriorityClass",
    ]

    /// Kinds whose status tells when they are available.
    public static let statusKinds: Set<String> = [
        "apps/Deployment", "apps/StatefulSet", "apps/DaemonSet", "batch/Job", "/Service",
        "apiextensions.k8s.io/CustomResourceDefinition", "policy/PodDisruptionBudget",
    ]

    /// Whether a member can tell when `object` is available: an ExternalName Service, unknown kinds and every
    /// custom resource cannot be tracked.
    public static func isTrackable(_ object: JSON) -> Bool {
        let apiVersion = object["apiVersion"]?.stringValue ?? ""
        let group = apiVersion.contains("/") ? String(apiVersion.split(separator: "/")[0]) : ""
        let key = "\(group)/\(object["kind"]?.stringValue ?? "")"
        if key == "/Service" { return object[path: ["spec", "type"]]?.stringValue != "ExternalName" }
        return dataKinds.contains(key) || statusKinds.contains(key)
    }
}
