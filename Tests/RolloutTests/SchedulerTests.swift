import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// KubeFleet's scheduler: required affinity over labels and properties, taints and tolerations, preferred
/// affinity scores that rank PickN's candidates, and each cluster's decision in KubeFleet's words.
struct SchedulerTests {
    /// Four members: labels, taints and reported properties differ.
    static func fleet() throws -> Scenario {
        var scenario = Scenario()
        let members: [(String, [String: String], String, String)] = [
            ("east-1", ["region": "east", "tier": "prod"], "", "4"),
            ("east-2", ["region": "east", "tier": "dev"], "", "8"),
            ("west-1", ["region": "west", "tier": "prod"], "[{key: dedicated, value: gpu, effect: NoSchedule}]", "16"),
            ("west-2", ["region": "west", "tier": "prod"], "", "2"),
        ]
        for (name, labels, taints, nodes) in members {
            var manifest = SeedManifests.memberCluster(name, labels: labels)
            if !taints.isEmpty { manifest += "\n  taints: \(taints)" }
            try scenario.apply(manifest)
            let key = ObjectKey(.memberCluster, name: name)
            try scenario.send(.updateStatus(key, [
                "properties": ["kubernetes-fleet.io/node-count": ["value": .string(nodes)]],
                "resourceUsage": ["capacity": ["cpu": .string("\(Int(nodes)! * 2)"), "memory": "32Gi"]],
            ]))
        }
        return scenario
    }

    static func spec(_ policy: String) throws -> PlacementSpec {
        try YAML.parse("resourceSelectors: []\npolicy:\n" + policy.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            .decode(PlacementSpec.self)
    }

    @Test func requiredAffinityMatchesLabelsAndPropertiesAndTaintsMustBeTolerated() throws {
        let scenario = try Self.fleet()
        let spec = try Self.spec(
            """
            placementType: PickAll
            affinity:
              clusterAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  clusterSelectorTerms:
                    - labelSelector: {matchLabels: {tier: prod}}
                      propertySelector:
                        matchExpressions:
                          - {name: kubernetes-fleet.io/node-count, operator: Ge, values: ["4"]}
            """)
        let result = Scheduler.schedule(spec, current: [], in: scenario.state)
        #expect(result.clusters == ["east-1"])
        #expect(result.decisions.map { $0["reason"]?.stringValue ?? "" } == [
            "Successfully scheduled resources for placement in \"east-1\": picked by scheduling policy",
            "ClusterUnschedulable, cluster does not match with any of the required cluster affinity terms",
            "ClusterUnschedulable, taint &{Key:dedicated Value:gpu Effect:NoSchedule} cannot be tolerated",
            "ClusterUnschedulable, cluster does not match with any of the required cluster affinity terms",
        ])
        let tolerated = try Self.spec(
            """
            placementType: PickAll
            tolerations: [{key: dedicated, operator: Exists}]
            affinity:
              clusterAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  clusterSelectorTerms:
                    - propertySelector: {matchExpressions: [{name: resources.kubernetes-fleet.io/total-cpu, operator: Gt, values: ["8"]}]}
            """)
        #expect(Scheduler.schedule(tolerated, current: [], in: scenario.state).clusters == ["east-2", "west-1"])
    }

    @Test func tolerationsMatchAsKubernetesMatchesThem() throws {
        let taint: JSON = ["key": "dedicated", "value": "gpu", "effect": "NoSchedule"]
        let member = StoredObject(key: ObjectKey(.memberCluster, name: "m"), json: ["spec": ["taints": [taint]]], generation: 1, resourceVersion: 1)
        let cases: [(JSON, Bool)] = [
            (["key": "dedicated", "value": "gpu"], true),
            (["key": "dedicated", "value": "gpu", "effect": "NoSchedule"], true),
            (["key": "dedicated", "value": "gpu", "effect": "NoExecute"], false),
            (["key": "dedicated", "value": "cpu"], false),
            (["key": "dedicated", "operator": "Exists"], true),
            (["operator": "Exists"], true),
            (["operator": "Exists", "effect": "NoExecute"], false),
        ]
        for (toleration, tolerates) in cases {
            #expect((Scheduler.untolerated(member, [toleration]) == nil) == tolerates, "\(toleration)")
        }
    }

    @Test func pickNRanksByPreferredAffinityAndExplainsWhoWasNotPicked() throws {
        let scenario = try Self.fleet()
        let spec = try Self.spec(
            """
            placementType: PickN
            numberOfClusters: 2
            affinity:
              clusterAffinity:
                preferredDuringSchedulingIgnoredDuringExecution:
                  - weight: 20
                    preference: {labelSelector: {matchLabels: {region: west}}}
                  - weight: 50
                    preference: {propertySorter: {name: kubernetes-fleet.io/node-count, sortOrder: Descending}}
            """)
        let result = Scheduler.schedule(spec, current: [], in: scenario.state)
        // Node counts run from 2 to 16 over every member, west-1 included though its taint filters it:
        // east-2 50 × 6/14 = 21, west-2 20 + 0, east-1 50 × 2/14 = 7.
        #expect(result.clusters == ["east-2", "west-2"])
        #expect(result.decisions.map { $0["reason"]?.stringValue ?? "" } == [
            "Successfully scheduled resources for placement in \"east-2\" (affinity score: 21, topology spread score: 0): picked by scheduling policy",
            "Successfully scheduled resources for placement in \"west-2\" (affinity score: 20, topology spread score: 0): picked by scheduling policy",
            "Cluster \"east-1\" does not score high enough (affinity score: 7, topology spread score: 0)",
            "ClusterUnschedulable, taint &{Key:dedicated Value:gpu Effect:NoSchedule} cannot be tolerated",
        ])
        // What it picked stays picked while it still passes, even when a better one appears.
        #expect(Scheduler.schedule(spec, current: ["east-1", "west-2"], in: scenario.state).clusters == ["east-1", "west-2"])
    }

    @Test func pickFixedSaysWhichNamesItCouldNotPlaceOn() throws {
        var scenario = try Self.fleet()
        try scenario.send(.updateStatus(ObjectKey(.memberCluster, name: "east-2"), ["conditions": [["type": "Joined", "status": "False"]]]))
        let spec = try Self.spec("placementType: PickFixed\nclusterNames: [west-2, nowhere, east-2, east-1]")
        let result = Scheduler.schedule(spec, current: [], in: scenario.state)
        #expect(result.clusters == ["east-1", "west-2"])
        // In the order the policy names them, picked or not.
        #expect(result.decisions.map { $0["reason"]?.stringValue ?? "" } == [
            "Successfully scheduled resources for placement in \"west-2\": picked by scheduling policy",
            "Specified cluster \"nowhere\" is not found",
            "Cluster \"east-2\" is not eligible for resource placement yet: cluster is not connected to the fleet: member agent not online yet",
            "Successfully scheduled resources for placement in \"east-1\": picked by scheduling policy",
        ])
        #expect(result.decisions.map { $0["selected"] } == [true, false, false, true])
    }

    @Test func anUnfulfilledPickNIsScheduledFalseOnTheSnapshotAndThePlacement() throws {
        var scenario = try Self.fleet()
        try scenario.apply(SeedManifests.namespace)
        try scenario.apply(SeedManifests.placement.replacingOccurrences(of: "placementType: PickAll", with: "placementType: PickN\n    numberOfClusters: 5"))
        scenario.settle()
        let snapshot = scenario.state.objects[PlacementNames.policySnapshotKey(Fixtures.placementKey, index: 0)]
        let message = "could not find all clusters needed as specified by the scheduling policy, found 3 cluster(s) instead"
        #expect(snapshot?.status?["conditions"]?.arrayValue?.first?["message"]?.stringValue == message)
        #expect(snapshot?.status?["targetClusters"]?.arrayValue?.count == 4)
        let condition = scenario.state.render(Fixtures.placementKey)?[path: ["status", "conditions"]]?.arrayValue?.first
        #expect(condition?["status"] == "False")
        #expect(condition?["reason"] == "SchedulingPolicyUnfulfilled")
        #expect(condition?["message"]?.stringValue == message)
    }

    // MARK: Topology spread (KubeFleet's plugins/topologyspreadconstraints)

    /// Members named by the labels given, stored as the plugin sees them.
    static func members(_ labels: [String: [String: String]]) -> [StoredObject] {
        labels.keys.sorted().map { name in
            let json: JSON = ["metadata": ["name": .string(name), "labels": .object(labels[name]!.mapValues { .string($0) })]]
            return StoredObject(key: ObjectKey(.memberCluster, name: name), json: json, generation: 1, resourceVersion: 1)
        }
    }

    @Test func domainsAreCountedOverEveryMemberWithTheKey() {
        func counts(_ labels: [String: [String: String]], bound: Set<String>) -> TopologySpread.DomainCounts {
            TopologySpread.DomainCounts(Self.members(labels), bound: bound, topologyKey: "zone")
        }
        // Uninitialized: no clusters, or none with the key.
        #expect(counts([:], bound: []) == .init(counts: [:], smallest: -1, secondSmallest: -1, largest: -1))
        #expect(counts(["c1": ["region": "1"]], bound: ["c1"]) == .init(counts: [:], smallest: -1, secondSmallest: -1, largest: -1))
        // A single domain.
        #expect(counts(["c1": ["zone": "1"], "c2": ["zone": "1"]], bound: ["c1"])
            == .init(counts: ["1": 1], smallest: 1, secondSmallest: 1, largest: 1))
        // Several domains with the same count.
        #expect(counts(["c1": ["zone": "1"], "c2": ["zone": "2"]], bound: ["c1", "c2"])
            == .init(counts: ["1": 1, "2": 1], smallest: 1, secondSmallest: 1, largest: 1))
        // Two domains with different counts: the larger is the second smallest too.
        #expect(counts(["c1": ["zone": "1"], "c2": ["zone": "2"]], bound: ["c2"])
            == .init(counts: ["1": 0, "2": 1], smallest: 0, secondSmallest: 1, largest: 1))
        // Separate special counts, multiple smallests, multiple largests.
        let three = ["c1": ["zone": "1"], "c2": ["zone": "2"], "c3": ["zone": "2"], "c4": ["zone": "3"], "c5": ["zone": "3"], "c6": ["zone": "3"]]
        #expect(counts(three, bound: ["c2", "c4", "c5"]) == .init(counts: ["1": 0, "2": 1, "3": 2], smallest: 0, secondSmallest: 1, largest: 2))
        #expect(counts(three, bound: ["c4", "c5"]) == .init(counts: ["1": 0, "2": 0, "3": 2], smallest: 0, secondSmallest: 0, largest: 2))
        #expect(counts(three, bound: ["c1", "c2", "c4"]) == .init(counts: ["1": 1, "2": 1, "3": 1], smallest: 1, secondSmallest: 1, largest: 1))
        #expect(counts(three, bound: ["c2", "c4"]) == .init(counts: ["1": 0, "2": 1, "3": 1], smallest: 0, secondSmallest: 1, largest: 1))
    }

    @Test func onePickMoreViolatesWhenItTakesTheSkewPastMaxSkew() {
        typealias Counts = TopologySpread.DomainCounts
        let one = Counts(counts: ["1": 1], smallest: 1, secondSmallest: 1, largest: 1)
        let smallestOnce = Counts(counts: ["1": 1, "2": 2, "3": 3], smallest: 1, secondSmallest: 2, largest: 3)
        let smallestTwice = Counts(counts: ["1": 1, "2": 1, "3": 3], smallest: 1, secondSmallest: 1, largest: 3)
        let wide = Counts(counts: ["1": 1, "2": 2, "3": 3, "4": 4], smallest: 1, secondSmallest: 2, largest: 4)
        let cases: [(String, Counts, String, Int, Bool, Int)] = [
            ("one count only, no violation", one, "1", 1, false, 1),
            ("one count only, violated", one, "1", 0, true, 1),
            ("one smallest count, pick smallest count, no violation", smallestOnce, "1", 1, false, -1),
            ("one smallest count, pick smallest count, violated", smallestOnce, "1", 0, true, -1),
            ("multiple smallest counts, pick smallest count, no violation", smallestTwice, "1", 2, false, 0),
            ("multiple smallest counts, pick smallest count, violated", smallestTwice, "1", 1, true, 0),
            ("separate special counts, pick second smallest, no violation", wide, "2", 3, false, 0),
            ("separate special counts, pick second smallest, violated", wide, "2", 2, true, 0),
            ("pick a count between second smallest and largest, no violation", wide, "3", 3, false, 0),
            ("pick a count between second smallest and largest, violated", wide, "3", 2, true, 0),
            ("separate special counts, pick largest, no violation", wide, "4", 4, false, 1),
            ("separate special counts, pick largest, violated", wide, "4", 3, true, 1),
        ]
        for (name, counts, domain, maxSkew, violated, skewChange) in cases {
            let result = counts.willViolate(domain, maxSkew: maxSkew)
            #expect(result.violated == violated && result.skewChange == skewChange, "\(name)")
        }
    }

    @Test func constraintsFilterAndScoreEveryMember() {
        typealias Constraint = TopologySpread.Constraint
        let reason = { (key: String, skew: Int) in "violated doNotSchedule topology spread constraint \"\(key)\" (max skew \(skew))" }
        // Key 1: domain 1 holds no binding, domain 2 three; key 2: domain 1 one, domain 2 two.
        let crowded = Self.members([
            "c1": ["k1": "1", "k2": "2"], "c2": ["k1": "2", "k2": "2"], "c3": ["k1": "2", "k2": "2"], "c4": ["k1": "2", "k2": "1"],
        ])
        let doNotSchedule = [Constraint(topologyKey: "k1", maxSkew: 2, doNotSchedule: true), Constraint(topologyKey: "k2", maxSkew: 1, doNotSchedule: true)]
        #expect(TopologySpread.evaluate(doNotSchedule, members: crowded, bound: ["c2", "c3", "c4"]) == .init(
            violations: ["c1": reason("k2", 1), "c2": reason("k1", 2), "c3": reason("k1", 2), "c4": reason("k1", 2)], scores: [:]))
        let scheduleAnyway = doNotSchedule.map { Constraint(topologyKey: $0.topologyKey, maxSkew: $0.maxSkew, doNotSchedule: false) }
        #expect(TopologySpread.evaluate(scheduleAnyway, members: crowded, bound: ["c2", "c3", "c4"]) == .init(
            violations: [:], scores: ["c1": -1000 + 1, "c2": -1000 * 2, "c3": -1000 * 2, "c4": -1000 + 1]))
        // A member without a key is neither filtered nor scored by that constraint.
        let sparse = Self.members(["c1": ["k1": "1", "k2": "3"], "c2": ["k1": "2", "k2": "2"], "c3": ["k1": "3"], "c4": [:]])
        #expect(TopologySpread.evaluate(doNotSchedule, members: sparse, bound: ["c3"]) == .init(
            violations: [:], scores: ["c1": -1, "c2": -1, "c3": -1, "c4": 0]))
        let split = Self.members(["c1": ["k1": "1", "k2": "3"], "c2": ["k1": "2", "k2": "2"], "c3": ["k1": "3"], "c4": ["k2": "1"]])
        let tight = [Constraint(topologyKey: "k1", maxSkew: 1, doNotSchedule: true), Constraint(topologyKey: "k2", maxSkew: 1, doNotSchedule: true)]
        #expect(TopologySpread.evaluate(tight, members: split, bound: ["c1", "c4"]) == .init(
            violations: ["c1": reason("k1", 1), "c4": reason("k2", 1)], scores: ["c2": 1, "c3": 0]))
    }

    @Test func theSpreadPolicyDefaultsAsKubeFleetsCRDDoes() throws {
        let spec = try Self.spec(
            """
            placementType: PickN
            numberOfClusters: 1
            topologySpreadConstraints:
              - {topologyKey: zone, whenUnsatisfiable: ScheduleAnyway}
              - {topologyKey: region, maxSkew: 2}
            """)
        #expect(TopologySpread.constraints(spec.policy) == [
            .init(topologyKey: "region", maxSkew: 2, doNotSchedule: true), .init(topologyKey: "zone", maxSkew: 1, doNotSchedule: false),
        ])
    }

    /// Three members in zone a, one in zone b.
    static func zones() throws -> Scenario {
        var scenario = Scenario()
        for (name, zone) in [("a1", "a"), ("a2", "a"), ("a3", "a"), ("b1", "b")] {
            try scenario.apply(SeedManifests.memberCluster(name, labels: ["zone": zone]))
        }
        return scenario
    }

    @Test func pickNSpreadsOnePickAtATimeAndFiltersWhatWouldSkewTooFar() throws {
        let scenario = try Self.zones()
        let spec = try Self.spec(
            """
            placementType: PickN
            numberOfClusters: 4
            topologySpreadConstraints: [{topologyKey: zone, maxSkew: 1, whenUnsatisfiable: DoNotSchedule}]
            """)
        let result = Scheduler.schedule(spec, current: [], in: scenario.state)
        // Cycle 1: both zones empty, every pick widens the skew (-1), ties go to the larger name: b1. Cycle 2: zone
        // a is the only smallest, a pick there narrows the skew (+1): a3. Cycle 3: level again: a2. Cycle 4: zone a
        // holds 2 against b's 1, one more breaks max skew 1, so a1 is filtered out.
        #expect(result.clusters == ["a2", "a3", "b1"])
        #expect(result.decisions == [
            ["clusterName": "b1", "selected": true, "clusterScore": ["affinityScore": 0, "priorityScore": -1],
             "reason": "Successfully scheduled resources for placement in \"b1\" (affinity score: 0, topology spread score: -1): picked by scheduling policy"],
            ["clusterName": "a3", "selected": true, "clusterScore": ["affinityScore": 0, "priorityScore": 1],
             "reason": "Successfully scheduled resources for placement in \"a3\" (affinity score: 0, topology spread score: 1): picked by scheduling policy"],
            ["clusterName": "a2", "selected": true, "clusterScore": ["affinityScore": 0, "priorityScore": -1],
             "reason": "Successfully scheduled resources for placement in \"a2\" (affinity score: 0, topology spread score: -1): picked by scheduling policy"],
            ["clusterName": "a1", "selected": false,
             "reason": "ClusterUnschedulable, violated doNotSchedule topology spread constraint \"zone\" (max skew 1)"],
        ])
        #expect(!Scheduler.isFulfilled(["placementType": "PickN", "numberOfClusters": 4], picked: result.clusters.count))
    }

    @Test func scheduleAnywayPicksPastMaxSkewAtAPenalty() throws {
        let scenario = try Self.zones()
        let spec = try Self.spec(
            """
            placementType: PickN
            numberOfClusters: 4
            topologySpreadConstraints: [{topologyKey: zone, whenUnsatisfiable: ScheduleAnyway}]
            """)
        let result = Scheduler.schedule(spec, current: [], in: scenario.state)
        #expect(result.clusters == ["a1", "a2", "a3", "b1"])
        #expect(result.decisions.map { $0["reason"]?.stringValue ?? "" } == [
            "Successfully scheduled resources for placement in \"b1\" (affinity score: 0, topology spread score: -1): picked by scheduling policy",
            "Successfully scheduled resources for placement in \"a3\" (affinity score: 0, topology spread score: 1): picked by scheduling policy",
            "Successfully scheduled resources for placement in \"a2\" (affinity score: 0, topology spread score: -1): picked by scheduling policy",
            "Successfully scheduled resources for placement in \"a1\" (affinity score: 0, topology spread score: -1000): picked by scheduling policy",
        ])
    }

    @Test func theSpreadScoreOutranksAffinityAndTheLastCycleExplainsWhoWasNotPicked() throws {
        let scenario = try Self.zones()
        let spec = try Self.spec(
            """
            placementType: PickN
            numberOfClusters: 2
            affinity:
              clusterAffinity:
                preferredDuringSchedulingIgnoredDuringExecution:
                  - weight: 10
                    preference: {labelSelector: {matchLabels: {zone: a}}}
            topologySpreadConstraints: [{topologyKey: zone, whenUnsatisfiable: ScheduleAnyway}]
            """)
        // Cycle 1: every zone empty, affinity decides: a3. Cycle 2: zone b narrows the skew (+1) and outranks
        // zone a's affinity 10 at -1000 for breaking max skew.
        let result = Scheduler.schedule(spec, current: [], in: scenario.state)
        #expect(result.clusters == ["a3", "b1"])
        #expect(result.decisions.map { $0["reason"]?.stringValue ?? "" } == [
            "Successfully scheduled resources for placement in \"a3\" (affinity score: 10, topology spread score: -1): picked by scheduling policy",
            "Successfully scheduled resources for placement in \"b1\" (affinity score: 0, topology spread score: 1): picked by scheduling policy",
            "Cluster \"a2\" does not score high enough (affinity score: 10, topology spread score: -1000)",
            "Cluster \"a1\" does not score high enough (affinity score: 10, topology spread score: -1000)",
        ])
        // Picks already made stay, even where the spread would now choose otherwise.
        #expect(Scheduler.schedule(spec, current: ["a1", "a2"], in: scenario.state).clusters == ["a1", "a2"])
    }

    @Test func heldPicksStayThroughTheSpreadAndComeFirstInItsCycles() throws {
        let scenario = try Self.zones()
        let spec = try Self.spec(
            """
            placementType: PickN
            numberOfClusters: 2
            topologySpreadConstraints: [{topologyKey: zone}]
            """)
        // Cycle 1 takes held a2 (ties go to the larger name); in cycle 2, a1 would break max skew 1 but is held,
        // so it is picked, not filtered, ahead of b1, which would narrow the skew; a3 is filtered out.
        let result = Scheduler.schedule(spec, current: [], held: ["a1", "a2"], in: scenario.state)
        #expect(result.clusters == ["a1", "a2"])
        #expect(result.decisions.map { $0["reason"]?.stringValue ?? "" } == [
            "Successfully scheduled resources for placement in \"a2\" (affinity score: 0, topology spread score: -1): picked by scheduling policy",
            "Successfully scheduled resources for placement in \"a1\" (affinity score: 0, topology spread score: 0): picked by scheduling policy",
            "Cluster \"b1\" does not score high enough (affinity score: 0, topology spread score: 1)",
            "ClusterUnschedulable, violated doNotSchedule topology spread constraint \"zone\" (max skew 1)",
        ])
    }

    @Test func quantitiesReadAsKubernetesWritesThem() {
        #expect(Quantity.parse("4") == 4)
        #expect(Quantity.parse("500m") == 0.5)
        #expect(Quantity.parse("8Gi") == 8_589_934_592.0)
        #expect(Quantity.parse("1.5k") == 1500)
        #expect(Quantity.parse("2e3") == 2000)
        #expect(Quantity.parse("four") == nil)
        #expect(Quantity.parse("4Xi") == nil)
    }
}
