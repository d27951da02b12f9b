import FleetAPI
import Foundation

/// KubeFleet's rollout controller for placements with the RollingUpdate strategy (the default): every cluster
/// the placement schedules is bound to its latest resource snapshot, clusters new to the placement at once, and
/// clusters that already hold an older snapshot a few at a time, so that no more than `maxUnavailable` of the
/// target are updating at once; a cluster no longer scheduled is unbound.
public enum RolloutController {
    public static let actor = "controller/rollout"

    public static func reconcile(_ key: ObjectKey, in state: HubState) -> [FleetEvent] {
        guard let placement = state.placements[key], let spec = placement.spec, spec.strategyType == .rollingUpdate,
            let latest = placement.latestResourceIndex
        else { return [] }
        let scheduled = placement.scheduledClusters
        let unbound = placement.bindings.filter { $0.value.run == nil && !scheduled.contains($0.key) }.keys.sorted()
        if !unbound.isEmpty {
            return unbound.map { .clusterRolloutRemoved(ClusterRolloutRemoved(placement: key, cluster: $0)) }
        }
        let applied = { (cluster: String) in state.members[cluster]?.applied[key]?.resourceIndex }
        let stale = scheduled.filter { placement.bindings[$0]?.resourceIndex != latest }
        // A cluster that holds nothing of the placement yet has nothing to make unavailable: it starts at once.
        let fresh = stale.filter { applied($0) == nil }
        let target = targetCount(spec, scheduled: scheduled.count)
        let maxUnavailable = scaled(spec.strategy?.rollingUpdate?["maxUnavailable"], of: target)
        let available = scheduled.filter { cluster in
            applied(cluster) != nil && applied(cluster) == placement.bindings[cluster]?.resourceIndex
        }.count
        let budget = max(0, available - max(0, target - maxUnavailable))
        let updates = stale.filter { applied($0) != nil }.prefix(budget)
        return (fresh + updates).sorted().map {
            .clusterRolloutStarted(ClusterRolloutStarted(placement: key, cluster: $0, resourceIndex: latest))
        }
    }

    /// How many clusters the policy targets: KubeFleet's target number for the rollout's budget.
    static func targetCount(_ spec: PlacementSpec, scheduled: Int) -> Int {
        switch spec.placementType {
        case .pickAll: scheduled
        case .pickN: spec.policy?.numberOfClusters ?? 0
        case .pickFixed: spec.policy?.clusterNames?.count ?? 0
        }
    }

    /// An int-or-percent of `total` (KubeFleet's default 25%), rounded up as KubeFleet scales it, and at least 1
    /// so a rollout always moves.
    static func scaled(_ value: JSON?, of total: Int) -> Int {
        let scaledValue: Int
        switch value {
        case .int(let number)?: scaledValue = Int(number)
        case .string(let text)? where text.hasSuffix("%"):
            let percent = Double(text.dropLast()) ?? 25
            scaledValue = Int((Double(total) * percent / 100).rounded(.up))
        default:
            scaledValue = Int((Double(total) * 0.25).rounded(.up))
        }
        return max(1, scaledValue)
    }
}
