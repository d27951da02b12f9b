import FleetAPI

/// KubeFleet's topology spread constraints plugin: how picking one more cluster would change the skew of the
/// placement's bindings over each constraint's topology domains. A DoNotSchedule constraint the pick would
/// break filters the cluster out; a ScheduleAnyway one costs it 1000 points; otherwise a pick that narrows the
/// skew scores 1, one that widens it -1.
enum TopologySpread {
    struct Constraint: Equatable {
        var topologyKey: String
        /// KubeFleet's default, when unset, is 1.
        var maxSkew: Int
        var doNotSchedule: Bool
    }

    /// What one scheduling cycle makes of the constraints: why each filtered-out cluster is filtered out, and
    /// every other cluster's topology spread score.
    struct Verdicts: Equatable {
        var violations: [String: String] = [:]
        var scores: [String: Int] = [:]
    }

    static let skewChangeScoreFactor = -1
    static let maxSkewViolationPenalty = 1000

    /// The policy's constraints, DoNotSchedule (the default) first, as KubeFleet classifies them.
    static func constraints(_ policy: PlacementPolicy?) -> [Constraint] {
        let all = (policy?.topologySpreadConstraints?.arrayValue ?? []).map { constraint in
            Constraint(
                topologyKey: constraint["topologyKey"]?.stringValue ?? "",
                maxSkew: Int(constraint["maxSkew"]?.intValue ?? 1),
                doNotSchedule: constraint["whenUnsatisfiable"]?.stringValue != "ScheduleAnyway")
        }
        return all.filter(\.doNotSchedule) + all.filter { !$0.doNotSchedule }
    }

    /// Bindings per domain of one topology key, over every member that has the key, and the smallest, second
    /// smallest and largest count among the domains.
    struct DomainCounts: Equatable {
        var counts: [String: Int]
        var smallest: Int
        var secondSmallest: Int
        var largest: Int

        init(_ members: [StoredObject], bound: Set<String>, topologyKey: String) {
            var counts: [String: Int] = [:]
            for member in members {
                guard let domain = member.labels[topologyKey] else { continue }
                counts[domain, default: 0] += bound.contains(member.key.name) ? 1 : 0
            }
            let sorted = counts.values.sorted()
            self.counts = counts
            smallest = sorted.first ?? -1
            largest = sorted.last ?? -1
            // Two domains with different counts: the larger is also the second smallest.
            secondSmallest = sorted.count >= 2 ? sorted[1] : smallest
        }

        init(counts: [String: Int], smallest: Int, secondSmallest: Int, largest: Int) {
            self.counts = counts
            self.smallest = smallest
            self.secondSmallest = secondSmallest
            self.largest = largest
        }

        /// Whether one more binding in `domain` takes the skew past `maxSkew`, and by how much it changes the
        /// skew (-1, 0 or 1).
        func willViolate(_ domain: String, maxSkew: Int) -> (violated: Bool, skewChange: Int) {
            let count = counts[domain] ?? smallest
            let skew = largest - smallest
            if largest == smallest { return (skew + 1 > maxSkew, 1) }
            // The only smallest domain grows: the skew narrows.
            if count == smallest && smallest != secondSmallest { return (skew - 1 > maxSkew, -1) }
            if count == largest { return (skew + 1 > maxSkew, 1) }
            return (skew > maxSkew, 0)
        }
    }

    /// Every member's verdict with `bound` the clusters that already hold a binding; a member without a
    /// constraint's topology key is neither filtered nor scored by that constraint.
    static func evaluate(_ constraints: [Constraint], members: [StoredObject], bound: Set<String>) -> Verdicts {
        var verdicts = Verdicts()
        for constraint in constraints {
            let counts = DomainCounts(members, bound: bound, topologyKey: constraint.topologyKey)
            for member in members where verdicts.violations[member.key.name] == nil {
                let name = member.key.name
                guard let domain = member.labels[constraint.topologyKey] else {
                    verdicts.scores[name, default: 0] += 0
                    continue
                }
                let (violated, skewChange) = counts.willViolate(domain, maxSkew: constraint.maxSkew)
                switch (violated, constraint.doNotSchedule) {
                case (true, true):
                    verdicts.violations[name] =
                        "violated doNotSchedule topology spread constraint \"\(constraint.topologyKey)\" (max skew \(constraint.maxSkew))"
                    verdicts.scores[name] = nil
                case (true, false):
                    verdicts.scores[name, default: 0] -= maxSkewViolationPenalty
                case (false, _):
                    verdicts.scores[name, default: 0] += skewChange * skewChangeScoreFactor
                }
            }
        }
        return verdicts
    }
}
