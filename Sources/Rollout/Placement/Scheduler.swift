import FleetAPI
import Foundation

/// KubeFleet's scheduler framework for one placement policy, as a pure function: the filters (cluster
/// eligibility, required cluster affinity, taints and tolerations, topology spread), the preferred-affinity and
/// topology spread scores that order PickN's candidates, the pick, and every cluster's decision in KubeFleet's words.
public enum Scheduler {
    /// What the scheduler decided: the clusters picked, by name, and the decisions the policy snapshot shows,
    /// written out only when asked: a placement reconciles on every change of what it selects, and records a
    /// decision only when the picks change.
    public struct Result: Sendable {
        public var clusters: [String]
        let writeDecisions: @Sendable () -> [JSON]

        public var decisions: [JSON] { Array(writeDecisions().prefix(Scheduler.decisionLimit)) }
    }

    /// KubeFleet keeps at most this many decisions about clusters it did not pick, and this many in all.
    static let unselectedDecisionLimit = 20
    static let decisionLimit = 1000

    /// - Parameters:
    ///   - current: the clusters picked before under an older policy, which PickN keeps while they still pass the
    ///     filters, so that its picks do not move when nothing they depend on changed.
    ///   - held: the clusters picked under this same policy that are still members: they stay picked whatever the
    ///     filters now say, as KubeFleet's scheduling is IgnoredDuringExecution (a new taint or label moves no
    ///     placement; an eviction or a new policy does).
    public static func schedule(_ spec: PlacementSpec, current: [String], held: [String] = [], in state: HubState) -> Result {
        switch spec.placementType {
        case .pickFixed:
            // Only the clusters it names are looked up: a fleet has tens of thousands of members, and each of its
            // placements is scheduled again at start-up.
            return pickFixed(spec.policy?.clusterNames ?? [], in: state)
        case .pickAll:
            // A set: every member is looked up in it.
            let heldSet = Set(held)
            let (passed, filtered) = filter(members(of: state).filter { !heldSet.contains($0.key.name) }, policy: spec.policy, in: state)
            let picked = (held + passed.map(\.key.name)).sorted()
            return Result(clusters: picked) {
                picked.prefix(decisionLimit).map(selected) + unselected(filtered: filtered, budget: unselectedDecisionLimit)
            }
        case .pickN:
            return pickN(spec.policy, current: current, held: held, members: members(of: state), in: state)
        }
    }

    static func members(of state: HubState) -> [StoredObject] {
        state.memberNames.compactMap { state.objects[ObjectKey(.memberCluster, name: $0)] }
    }

    /// Whether the clusters picked are all the policy asks for: PickN's count and every PickFixed name.
    public static func isFulfilled(_ policy: JSON, picked: Int) -> Bool {
        switch policy["placementType"]?.stringValue {
        case "PickN": picked >= Int(policy["numberOfClusters"]?.intValue ?? 0)
        case "PickFixed": picked >= policy["clusterNames"]?.arrayValue?.count ?? 0
        default: true
        }
    }

    /// The `Scheduled` condition's status, reason and message, as KubeFleet's scheduler sets them.
    public static func scheduledCondition(_ policy: JSON, picked: Int) -> (status: String, reason: String, message: String) {
        isFulfilled(policy, picked: picked)
            ? ("True", "SchedulingPolicyFulfilled", "found all cluster needed as specified by the scheduling policy")
            : ("False", "SchedulingPolicyUnfulfilled",
                "could not find all clusters needed as specified by the scheduling policy, found \(picked) cluster(s) instead")
    }

    // MARK: Decisions

    static func selected(_ cluster: String) -> JSON {
        [
            "clusterName": .string(cluster), "selected": true,
            "reason": .string("Successfully scheduled resources for placement in \"\(cluster)\": picked by scheduling policy"),
        ]
    }

    static func selected(_ cluster: String, score: Score) -> JSON {
        [
            "clusterName": .string(cluster), "selected": true, "clusterScore": score.json,
            "reason": .string(
                "Successfully scheduled resources for placement in \"\(cluster)\" (\(score.text)): picked by scheduling policy"),
        ]
    }

    static func notPickedByScore(_ cluster: String, score: Score) -> JSON {
        [
            "clusterName": .string(cluster), "selected": false, "clusterScore": score.json,
            "reason": .string("Cluster \"\(cluster)\" does not score high enough (\(score.text))"),
        ]
    }

    static func unselected(filtered: [(cluster: String, reason: String)], budget: Int) -> [JSON] {
        filtered.prefix(max(0, budget)).map {
            ["clusterName": .string($0.cluster), "selected": false, "reason": .string("ClusterUnschedulable, \($0.reason)")]
        }
    }

    static func pickFixed(_ names: [String], in state: HubState) -> Result {
        var picked: [String] = []
        // Each name's decision when it was passed over; nil for a pick, whose decision is written only when asked,
        // as every placement is scheduled again at start-up and its picks rarely change.
        var passedOver: [JSON?] = []
        passedOver.reserveCapacity(names.count)
        for name in names {
            // The member index says whether the cluster is a member and eligible without reading its object.
            guard state.memberLabels[name] != nil else {
                passedOver.append(["clusterName": .string(name), "selected": false, "reason": .string("Specified cluster \"\(name)\" is not found")])
                continue
            }
            if state.ineligibleMembers.contains(name), let member = state.objects[ObjectKey(.memberCluster, name: name)],
                let reason = ineligibility(member)
            {
                passedOver.append([
                    "clusterName": .string(name), "selected": false,
                    "reason": .string("Cluster \"\(name)\" is not eligible for resource placement yet: \(reason)"),
                ])
                continue
            }
            picked.append(name)
            passedOver.append(nil)
        }
        let made = passedOver
        return Result(clusters: picked.sorted()) { zip(names, made).map { name, decision in decision ?? selected(name) } }
    }

    // MARK: Filters

    /// The members that pass every filter, and why each other one did not, in name order.
    static func filter(
        _ members: [StoredObject], policy: PlacementPolicy?, in state: HubState
    ) -> (passed: [StoredObject], filtered: [(cluster: String, reason: String)]) {
        let required = policy?.affinity?[path: ["clusterAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "clusterSelectorTerms"]]?.arrayValue ?? []
        let tolerations = policy?.tolerations?.arrayValue ?? []
        var passed: [StoredObject] = []
        var filtered: [(String, String)] = []
        for member in members {
            if let reason = ineligibility(member) {
                filtered.append((member.key.name, reason))
            } else if !required.isEmpty && !required.contains(where: { matches(term: $0, member) }) {
                filtered.append((member.key.name, "cluster does not match with any of the required cluster affinity terms"))
            } else if let taint = untolerated(member, tolerations) {
                let text = "&{Key:\(taint["key"]?.stringValue ?? "") Value:\(taint["value"]?.stringValue ?? "") Effect:\(taint["effect"]?.stringValue ?? "")}"
                filtered.append((member.key.name, "taint \(text) cannot be tolerated"))
            } else {
                passed.append(member)
            }
        }
        return (passed, filtered)
    }

    /// Why KubeFleet's cluster eligibility checker passes a member over, or nil when it does not.
    static func ineligibility(_ member: StoredObject) -> String? {
        guard let joined = MemberClusterController.joinedCondition(member), joined["status"] != "True" else { return nil }
        guard MemberClusterController.agentStatus(member) != nil else {
            return "cluster is not connected to the fleet: member agent not online yet"
        }
        if joined["status"] == "False" { return "cluster is not connected to the fleet: member agent not joined yet" }
        let last = MemberClusterController.heartbeat(of: member).map { KubeTime.format($0) } ?? "never"
        return "cluster is not connected to the fleet: no recent heartbeat signals (last received \(last))"
    }

    /// A cluster selector term: its label selector and every property expression hold.
    static func matches(term: JSON, _ member: StoredObject) -> Bool {
        if let selector = term["labelSelector"].flatMap({ try? $0.decode(LabelSelector.self) }), !selector.matches(member.labels) {
            return false
        }
        for expression in term[path: ["propertySelector", "matchExpressions"]]?.arrayValue ?? [] {
            guard let name = expression["name"]?.stringValue, let value = property(name, of: member),
                let values = expression["values"]?.arrayValue, values.count == 1,
                let wanted = values[0].stringValue.flatMap(Quantity.parse)
            else { return false }
            let holds: Bool
            switch expression["operator"]?.stringValue {
            case "Eq": holds = value == wanted
            case "Ne": holds = value != wanted
            case "Gt": holds = value > wanted
            case "Ge": holds = value >= wanted
            case "Lt": holds = value < wanted
            case "Le": holds = value <= wanted
            default: holds = false
            }
            if !holds { return false }
        }
        return true
    }

    /// A member's property: `resources.kubernetes-fleet.io/<total|allocatable|available>-<resource>` from its
    /// resource usage, anything else from `status.properties`.
    static func property(_ name: String, of member: StoredObject) -> Double? {
        let resourcePrefix = "resources.kubernetes-fleet.io/"
        if name.hasPrefix(resourcePrefix) {
            let parts = name.dropFirst(resourcePrefix.count).split(separator: "-", maxSplits: 1).map(String.init)
            let usage = ["total": "capacity", "allocatable": "allocatable", "available": "available"]
            guard parts.count == 2, let field = usage[parts[0]] else { return nil }
            return member.status?[path: ["resourceUsage", field, parts[1]]]?.stringValue.flatMap(Quantity.parse)
        }
        return member.status?[path: ["properties", name, "value"]]?.stringValue.flatMap(Quantity.parse)
    }

    /// The first of the member's taints no toleration tolerates.
    static func untolerated(_ member: StoredObject, _ tolerations: [JSON]) -> JSON? {
        (member.json[path: ["spec", "taints"]]?.arrayValue ?? []).first { taint in
            !tolerations.contains { toleration in
                let effectHolds = (toleration["effect"]?.stringValue ?? "").isEmpty || toleration["effect"] == taint["effect"]
                switch toleration["operator"]?.stringValue ?? "Equal" {
                case "Exists":
                    let key = toleration["key"]?.stringValue ?? ""
                    return (key.isEmpty || key == taint["key"]?.stringValue) && effectHolds
                default:
                    return toleration["key"] == taint["key"] && (toleration["value"] ?? "") == (taint["value"] ?? "") && effectHolds
                }
            }
        }
    }

    // MARK: Scores

    /// Each candidate's preferred-affinity score: the weight of every preference whose label selector matches,
    /// or the weight scaled by where the candidate's property falls between the lowest and highest of every
    /// member the scheduler looked at (`all`, filtered ones included, as KubeFleet's cycle state lists them).
    static func affinityScores(_ members: [StoredObject], among all: [StoredObject], policy: PlacementPolicy?) -> [String: Int] {
        let preferences = policy?.affinity?[path: ["clusterAffinity", "preferredDuringSchedulingIgnoredDuringExecution"]]?.arrayValue ?? []
        var scores = Dictionary(uniqueKeysWithValues: members.map { ($0.key.name, 0) })
        for preference in preferences {
            let weight = Int(preference["weight"]?.intValue ?? 0)
            guard weight != 0 else { continue }
            let selector = preference[path: ["preference", "labelSelector"]].flatMap { try? $0.decode(LabelSelector.self) }
            let sorter = preference[path: ["preference", "propertySorter"]]
            let values = sorter?["name"]?.stringValue.map { name in all.compactMap { property(name, of: $0) } } ?? []
            let (low, high) = (values.min() ?? 0, values.max() ?? 0)
            for member in members where selector?.matches(member.labels) ?? true {
                guard let sorter else {
                    scores[member.key.name]! += weight
                    continue
                }
                guard let name = sorter["name"]?.stringValue, let value = property(name, of: member), high > low else { continue }
                let position = (value - low) / (high - low)
                let scaled = sorter["sortOrder"]?.stringValue == "Ascending" ? (1 - position) * Double(weight) : position * Double(weight)
                scores[member.key.name]! += Int(scaled.rounded())
            }
        }
        return scores
    }
}
