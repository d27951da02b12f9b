import FleetAPI
import Foundation

/// KubeFleet's rollout controller for placements with the RollingUpdate strategy (the default), as a pure
/// reconcile: each cluster the placement schedules is bound to the latest resource snapshot, with the override
/// snapshots that select it, and each cluster it no
/// longer schedules is unbound, a few at a time. Unbinding or updating a ready cluster makes it unavailable for a
/// while, so those wait until enough clusters are ready (`maxUnavailable`); binding a new cluster adds a copy, so
/// those wait until few enough copies may be ready at once (`maxSurge`). A cluster whose objects' availability
/// cannot be tracked counts as ready `unavailablePeriodSeconds` after it reported them applied.
public enum RolloutController {
    public static let actor = "controller/rollout"

    /// KubeFleet's defaults for a rolling update's settings.
    static let defaultPercent = 25.0
    static let defaultUnavailablePeriod: TimeInterval = 60

    public static func reconcile(_ key: ObjectKey, in state: HubState, now: Date) -> [FleetEvent] {
        guard let plan = plan(key, in: state, now: now) else { return [] }
        return plan.removed.map { .clusterRolloutRemoved(ClusterRolloutRemoved(placement: key, cluster: $0)) }
            + plan.started.map {
                .clusterRolloutStarted(
                    ClusterRolloutStarted(placement: key, cluster: $0, resourceIndex: plan.latest, overrides: plan.overrides[$0]))
            }
    }

    /// When a cluster blocked by the budget waits only on an untrackable cluster's unavailable period: then the
    /// placement must be looked at again by itself.
    static func nextDeadline(_ key: ObjectKey, in state: HubState, now: Date) -> Date? {
        guard let plan = plan(key, in: state, now: now), !plan.blocked.isEmpty else { return nil }
        return plan.readyAt.filter { $0 > now }.min()
    }

    /// What one pass of the rollout does, and what it leaves waiting.
    struct Plan {
        var latest: Int
        /// The override snapshots that select each scheduled cluster now.
        var overrides: [String: [ObjectKey]]
        var removed: [String] = []
        var started: [String] = []
        /// Clusters that should move to the latest snapshot but may not yet: KubeFleet's `RolloutNotStartedYet`.
        var blocked: Set<String> = []
        /// When each untrackable cluster not yet ready will be.
        var readyAt: [Date] = []
    }

    static func plan(_ key: ObjectKey, in state: HubState, now: Date) -> Plan? {
        guard let placement = state.placements[key], let spec = placement.spec, spec.strategyType == .rollingUpdate,
            let latest = placement.latestResourceIndex
        else { return nil }
        let settings = spec.strategy?.rollingUpdate ?? .emptyObject
        let period = settings["unavailablePeriodSeconds"]?.intValue.map { TimeInterval($0) } ?? defaultUnavailablePeriod
        let member = { (cluster: String) in state.members[cluster] }
        let scheduled = Set(placement.scheduledClusters)
        let resources = placement.resourceSnapshots[latest]?.resources ?? []
        var plan = Plan(
            latest: latest, overrides: Overrides.frozen(for: key, resources: resources, clusters: placement.scheduledClusters, in: state))

        // KubeFleet's binding classes: ready now, able to become ready, and candidates to bind, update or unbind.
        var ready = 0
        var canBeReady = 0
        var canBeUnavailable = 0
        var bindCandidates: [String] = []
        var updateCandidates: [String] = []
        var failedUpdates: [String] = []
        var removeCandidates: [String] = []
        func isReady(_ cluster: String, at index: Int) -> Bool {
            if member(cluster)?.reported[key]?.resourceIndex == index { return true }
            guard let applied = state.applied(on: cluster, of: key, at: index) else { return false }
            guard applied.untrackable == true, let since = applied.since else { return true }
            let readyTime = since.addingTimeInterval(period)
            if readyTime <= now { return true }
            plan.readyAt.append(readyTime)
            return false
        }
        func hasFailed(_ cluster: String, at index: Int) -> Bool { member(cluster)?.failures[key]?.resourceIndex == index }
        func reportsDiff(_ cluster: String, at index: Int) -> Bool { member(cluster)?.reported[key]?.resourceIndex == index }

        let clusters = Set(placement.bindings.keys).union(scheduled).union(state.holders[key] ?? [])
        for cluster in clusters.sorted() {
            let binding = placement.bindings[cluster].flatMap { $0.run == nil ? $0 : nil }
            switch (binding, scheduled.contains(cluster)) {
            case (nil, true):
                bindCandidates.append(cluster)
            case (let binding?, true):
                let index = binding.resourceIndex
                if isReady(cluster, at: index) { ready += 1 }
                let failed = hasFailed(cluster, at: index)
                if !failed && !reportsDiff(cluster, at: index) { canBeReady += 1 }
                // An override that now selects the cluster differently makes its binding stale too.
                if index != latest || (binding.overrides ?? []) != (plan.overrides[cluster] ?? []) {
                    if failed { failedUpdates.append(cluster) } else { updateCandidates.append(cluster) }
                }
            case (let binding?, false):
                let index = binding.resourceIndex
                if !hasFailed(cluster, at: index) && !reportsDiff(cluster, at: index) { canBeReady += 1 }
                if isReady(cluster, at: index) { ready += 1 }
                removeCandidates.append(cluster)
            case (nil, false):
                // Unbound, and its member still removing what it holds: it may go at any moment.
                guard let applied = member(cluster)?.applied[key] else { continue }
                if !hasFailed(cluster, at: applied.resourceIndex) { canBeReady += 1 }
                ready += 1
                canBeUnavailable += 1
            }
        }

        let target = targetCount(spec, scheduled: placement.scheduledClusters.count)
        let maxUnavailable = scaled(settings["maxUnavailable"], of: target)
        let maxSurge = scaled(settings["maxSurge"], of: target)
        // Unbinding or updating takes a ready copy away; only the ready ones above the floor may go.
        let maxToRemove = (ready - canBeUnavailable) - (target - maxUnavailable)
        let removing = removeCandidates.prefix(max(0, maxToRemove))
        let updating = updateCandidates.prefix(max(0, maxToRemove - removing.count))
        // A new binding adds a copy that may become ready; only so many may be ready at once.
        let maxToAdd = target + maxSurge - canBeReady
        let binding = bindCandidates.prefix(max(0, maxToAdd))
        plan.removed = Array(removing)
        // A cluster that failed on its snapshot is down already: moving it on costs no availability.
        plan.started = (failedUpdates + updating + binding).sorted()
        plan.blocked = Set(updateCandidates.dropFirst(updating.count) + bindCandidates.dropFirst(binding.count))
        return plan
    }

    /// How many clusters the policy targets: KubeFleet's target number for the rollout's budget.
    static func targetCount(_ spec: PlacementSpec, scheduled: Int) -> Int {
        switch spec.placementType {
        case .pickAll: scheduled
        case .pickN: spec.policy?.numberOfClusters ?? 0
        case .pickFixed: spec.policy?.clusterNames?.count ?? 0
        }
    }

    /// An int-or-percent of `total`, a percentage rounded up as KubeFleet scales it; absent, KubeFleet's 25%.
    static func scaled(_ value: JSON?, of total: Int) -> Int {
        switch value {
        case .int(let number)?:
            return Int(number)
        case .string(let text)? where text.hasSuffix("%"):
            return Int((Double(total) * (Double(text.dropLast()) ?? defaultPercent) / 100).rounded(.up))
        case .string(let text)?:
            return Int(text) ?? 0
        default:
            return Int((Double(total) * defaultPercent / 100).rounded(.up))
        }
    }
}
