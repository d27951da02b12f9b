import FleetAPI
import Foundation

/// KubeFleet's eviction controller, as a pure reconcile: a `ClusterResourcePlacementEviction` is checked once
/// (`Valid`) and carried out once (`Executed`) when the placement's `ClusterResourcePlacementDisruptionBudget`
/// allows: the cluster is taken out of the placement's picks and its binding removed, so its member gives back
/// what the placement put there. What happens next is the scheduler's: a PickAll placement picks the cluster
/// again unless a taint now keeps it away, which is why draining a cluster taints it first.
public enum EvictionController {
    public static let actor = "controller/eviction"

    public static func reconcile(_ key: ObjectKey, in state: HubState, now: Date) -> [FleetEvent] {
        guard let eviction = state.objects[key], !isTerminal(eviction) else { return [] }
        let spec = eviction.spec
        let placementKey = ObjectKey(.clusterResourcePlacement, name: spec["placementName"]?.stringValue ?? "")
        let cluster = spec["clusterName"]?.stringValue ?? ""
        func finish(_ conditions: [(type: String, status: String, reason: String, message: String)], then events: [FleetEvent] = []) -> [FleetEvent] {
            let status: JSON = [
                "conditions": .array(conditions.map {
                    [
                        "type": .string($0.type), "status": .string($0.status), "reason": .string($0.reason),
                        "message": .string($0.message), "observedGeneration": .int(eviction.generation),
                        "lastTransitionTime": .string(KubeTime.format(now)),
                    ]
                })
            ]
            return [.objectStatusUpdated(ObjectStatusUpdated(key: key, status: status))] + events
        }
        func invalid(_ message: String) -> [FleetEvent] {
            finish([("Valid", "False", "ClusterResourcePlacementEvictionInvalid", message)])
        }
        let valid = ("Valid", "True", "ClusterResourcePlacementEvictionValid", "Eviction is valid")
        /// - Parameter evicting: whether the eviction unbinds the cluster now; without, nil when it is blocked.
        func executed(_ message: String, evicting: Bool?) -> [FleetEvent] {
            let outcome = evicting != nil
                ? ("Executed", "True", "ClusterResourcePlacementEvictionExecuted", message)
                : ("Executed", "False", "ClusterResourcePlacementEvictionNotExecuted", message)
            return finish([valid, outcome], then: evicting == true ? evict(cluster, from: placementKey, in: state) : [])
        }

        guard let placement = state.placements[placementKey], let placementSpec = placement.spec else {
            return invalid("Failed to find ClusterResourcePlacement targeted by eviction")
        }
        if placementSpec.placementType == .pickFixed {
            return invalid("Found ClusterResourcePlacement with PickFixed placement type targeted by eviction")
        }
        let binding = placement.bindings[cluster]
        let scheduled = placement.scheduledClusters.contains(cluster)
        let member = state.members[cluster]
        guard scheduled || binding != nil else {
            // Unbound, and its member still giving the resources back: the eviction has nothing left to do.
            if member?.applied[placementKey] != nil {
                return executed(
                    "Eviction is allowed, resources propagated by placement is currently being removed from cluster targeted by eviction",
                    evicting: false)
            }
            return invalid("Failed to find scheduler decision for placement in cluster targeted by eviction")
        }
        guard let binding else {
            return executed("Eviction is blocked, placement has not propagated resources to target cluster yet", evicting: nil)
        }
        if member?.failures[placementKey]?.resourceIndex == binding.resourceIndex
            || member?.reported[placementKey]?.resourceIndex == binding.resourceIndex
        {
            return executed("Eviction is allowed, placement has failed", evicting: true)
        }
        guard let budget = state.objects[ObjectKey(.clusterResourcePlacementDisruptionBudget, name: placementKey.name)]?.spec else {
            return executed("Eviction is allowed, no ClusterResourcePlacementDisruptionBudget specified", evicting: true)
        }
        if placementSpec.placementType == .pickAll, budget["maxUnavailable"] != nil || budget["minAvailable"]?.stringValue != nil {
            return executed(
                "Eviction is blocked by misconfigured ClusterResourcePlacementDisruptionBudget, either MaxUnavailable is specified or "
                    + "MinAvailable is specified as a percentage for PickAll ClusterResourcePlacement",
                evicting: nil)
        }
        let (allowed, available, total) = budgetAllows(placement, key: placementKey, budget: budget, in: state)
        let counts = "availablePlacements: \(available), totalPlacements: \(total)"
        return allowed
            ? executed("Eviction is allowed by specified ClusterResourcePlacementDisruptionBudget, \(counts)", evicting: true)
            : executed("Eviction is blocked by specified ClusterResourcePlacementDisruptionBudget, \(counts)", evicting: nil)
    }

    /// An eviction is looked at once: invalid, or executed either way.
    static func isTerminal(_ eviction: StoredObject) -> Bool {
        let conditions = eviction.status?["conditions"]?.arrayValue ?? []
        return conditions.contains { $0["type"] == "Valid" && $0["status"] == "False" && $0["observedGeneration"] == .int(eviction.generation) }
            || conditions.contains { $0["type"] == "Executed" }
    }

    /// Takes the cluster out of the placement's picks and unbinds it, as deleting KubeFleet's binding does.
    static func evict(_ cluster: String, from placement: ObjectKey, in state: HubState) -> [FleetEvent] {
        guard let placementState = state.placements[placement] else { return [] }
        let remaining = placementState.scheduledClusters.filter { $0 != cluster }
        let decisions = placementState.decisions?.filter { $0["clusterName"]?.stringValue != cluster }
        return [
            .placementScheduled(PlacementScheduled(placement: placement, clusters: remaining, decisions: decisions)),
            .clusterRolloutRemoved(ClusterRolloutRemoved(placement: placement, cluster: cluster)),
        ]
    }

    /// KubeFleet's `isEvictionAllowed`: disruptions the budget still allows, counting every cluster the placement
    /// is bound or scheduled to, and those available on the snapshot they are bound to.
    static func budgetAllows(
        _ placement: PlacementState, key: ObjectKey, budget: JSON, in state: HubState
    ) -> (allowed: Bool, available: Int, total: Int) {
        let clusters = Set(placement.scheduledClusters).union(placement.bindings.keys)
        let available = clusters.filter { cluster in
            guard let index = placement.bindings[cluster]?.resourceIndex else { return false }
            return state.applied(on: cluster, of: key, at: index) != nil
        }.count
        let desired = placement.spec?.placementType == .pickN ? placement.spec?.policy?.numberOfClusters ?? 0 : 0
        let disruptions: Int
        if let maxUnavailable = budget["maxUnavailable"] {
            disruptions = RolloutController.scaled(maxUnavailable, of: desired) - (clusters.count - available)
        } else if let minAvailable = budget["minAvailable"] {
            disruptions = available - RolloutController.scaled(minAvailable, of: desired)
        } else {
            disruptions = 0
        }
        return (disruptions > 0, available, clusters.count)
    }
}
