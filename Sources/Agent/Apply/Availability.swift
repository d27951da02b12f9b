public import FleetAPI

/// Whether an applied object is available, judged per kind as KubeFleet's availability tracker does
/// (`workapplier/availability_tracker.go`), except that a Job counts once complete rather than as untrackable.
public enum Availability {
    public static func judge(group: String, kind: String, object: JSON) -> AvailabilityResult {
        let key = "\(group)/\(kind)"
        if AvailabilityTracking.dataKinds.contains(key) { return .available }
        let generation = object["metadata"]?["generation"]?.intValue ?? 0
        let status = object["status"] ?? .emptyObject
        let observed = status["observedGeneration"]?.intValue ?? 0
        func count(_ field: String) -> Int64 { status[field]?.intValue ?? 0 }
        switch key {
        case "apps/Deployment":
            let replicas = object["spec"]?["replicas"]?.intValue ?? 1
            let ready = observed == generation && count("availableReplicas") == replicas
                && count("updatedReplicas") == replicas && count("unavailableReplicas") == 0
            return ready ? .available : .notYetAvailable
        case "apps/StatefulSet":
            let replicas = object["spec"]?["replicas"]?.intValue ?? 1
            let ready = observed == generation && count("availableReplicas") == replicas
                && count("currentReplicas") == count("updatedReplicas")
                && status["currentRevision"]?.stringValue == status["updateRevision"]?.stringValue
            return ready ? .available : .notYetAvailable
        case "apps/DaemonSet":
            let desired = count("desiredNumberScheduled")
            let ready = observed == generation && count("numberAvailable") == desired
                && count("currentNumberScheduled") == count("updatedNumberScheduled")
            return ready ? .available : .notYetAvailable
        case "batch/Job":
            let complete = (status["conditions"]?.arrayValue ?? []).contains {
                $0["type"]?.stringValue == "Complete" && $0["status"]?.stringValue == "True"
            }
            return complete ? .available : .notYetAvailable
        case "/Service":
            return service(object)
        case "apiextensions.k8s.io/CustomResourceDefinition":
            let conditions = status["conditions"]?.arrayValue ?? []
            func isTrue(_ type: String) -> Bool {
                conditions.contains { $0["type"]?.stringValue == type && $0["status"]?.stringValue == "True" }
            }
            return isTrue("Established") && isTrue("NamesAccepted") ? .available : .notYetAvailable
        case "policy/PodDisruptionBudget":
            return observed == generation ? .available : .notYetAvailable
        default:
            return .notTrackable
        }
    }

    /// A ClusterIP or NodePort Service once it has its address; a LoadBalancer once its ingress has an IP or host
    /// name; an ExternalName Service cannot be tracked.
    private static func service(_ object: JSON) -> AvailabilityResult {
        let spec = object["spec"] ?? .emptyObject
        switch spec["type"]?.stringValue ?? "ClusterIP" {
        case "ExternalName":
            return .notTrackable
        case "LoadBalancer":
            let ingress = object["status"]?["loadBalancer"]?["ingress"]?.arrayValue ?? []
            let addressed = ingress.contains { !($0["ip"]?.stringValue ?? "").isEmpty || !($0["hostname"]?.stringValue ?? "").isEmpty }
            return addressed ? .available : .notYetAvailable
        default:
            let first = spec["clusterIPs"]?.arrayValue?.first?.stringValue ?? spec["clusterIP"]?.stringValue ?? ""
            return first.isEmpty ? .notYetAvailable : .available
        }
    }
}
