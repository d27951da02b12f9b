import FleetAPI

extension Scheduler {
    /// A candidate's score, ordered as KubeFleet orders them: topology spread first, then affinity.
    struct Score: Comparable {
        var topologySpread: Int
        var affinity: Int

        static func < (lhs: Score, rhs: Score) -> Bool {
            (lhs.topologySpread, lhs.affinity) < (rhs.topologySpread, rhs.affinity)
        }

        /// The decision's `clusterScore`: KubeFleet's `TopologySpreadScore` is serialized as `priorityScore`.
        var json: JSON { ["affinityScore": .int(Int64(affinity)), "priorityScore": .int(Int64(topologySpread))] }
        var text: String { "affinity score: \(affinity), topology spread score: \(topologySpread)" }
    }

    /// PickN as KubeFleet's scheduler runs it: in cycles. Topology spread constraints limit a cycle to one pick
    /// (the plugin's batch size limit), so that the next cycle counts that cluster among the bindings; without
    /// them one cycle picks them all. Each cycle picks the `held` clusters first (highest score first, so scaling
    /// down lets the lowest go), then those picked before (`current`) while they pass the other filters, so that
    /// picks do not move; like KubeFleet's bound bindings, the spread does not filter either out. The decisions
    /// about clusters not picked are the last cycle's, as KubeFleet writes them.
    static func pickN(
        _ policy: PlacementPolicy?, current: [String], held: [String], members: [StoredObject], in state: HubState
    ) -> Result {
        let held = Set(held)
        let current = Set(current)
        let heldMembers = members.filter { held.contains($0.key.name) }
        let (passed, filtered) = filter(members.filter { !held.contains($0.key.name) }, policy: policy, in: state)
        let affinity = affinityScores(heldMembers + passed, among: members, policy: policy)
        let constraints = TopologySpread.constraints(policy)
        let count = max(0, policy?.numberOfClusters ?? 0)
        let kept = { (cluster: String) in held.contains(cluster) || current.contains(cluster) }
        var picked: [(cluster: String, score: Score)] = []
        var notPicked: [(cluster: String, score: Score)] = []
        var spreadFiltered: [(cluster: String, reason: String)] = []
        var chosen: [(cluster: String, score: Score)]
        repeat {
            let bound = Set(picked.map(\.cluster))
            let verdicts = TopologySpread.evaluate(constraints, members: members, bound: bound)
            let candidates = (heldMembers + passed).map(\.key.name).filter { !bound.contains($0) }
            let blocked = candidates.filter { verdicts.violations[$0] != nil && !kept($0) }
            spreadFiltered = blocked.map { ($0, verdicts.violations[$0]!) }
            let ranked = candidates.filter { !blocked.contains($0) }
                .map { (cluster: $0, score: Score(topologySpread: verdicts.scores[$0] ?? 0, affinity: affinity[$0]!)) }
                .sorted { $0.score != $1.score ? $0.score > $1.score : $0.cluster > $1.cluster }
            let batch = constraints.isEmpty ? count - picked.count : min(1, count - picked.count)
            let preferred = ranked.filter { held.contains($0.cluster) } + ranked.filter { !held.contains($0.cluster) && current.contains($0.cluster) }
                + ranked.filter { !kept($0.cluster) }
            chosen = Array(preferred.prefix(batch))
            notPicked = ranked.filter { candidate in !chosen.contains { $0.cluster == candidate.cluster } }
            picked += chosen
        } while !chosen.isEmpty && picked.count < count
        let unschedulable = (filtered + spreadFiltered).sorted { $0.cluster < $1.cluster }
        let (finalPicks, finalNotPicked) = (picked, notPicked)
        return Result(clusters: picked.map(\.cluster).sorted()) {
            finalPicks.map { selected($0.cluster, score: $0.score) }
                + finalNotPicked.prefix(unselectedDecisionLimit).map { notPickedByScore($0.cluster, score: $0.score) }
                + unselected(filtered: unschedulable, budget: unselectedDecisionLimit - min(finalNotPicked.count, unselectedDecisionLimit))
        }
    }
}
