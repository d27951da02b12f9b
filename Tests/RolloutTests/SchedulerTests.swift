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
        let scenario = try Self.fleet()
        let result = Scheduler.schedule(try Self.spec("placementType: PickFixed\nclusterNames: [west-2, nowhere]"), current: [], in: scenario.state)
        #expect(result.clusters == ["west-2"])
        #expect(result.decisions.map { $0["reason"]?.stringValue ?? "" } == [
            "Successfully scheduled resources for placement in \"west-2\": picked by scheduling policy",
            "Specified cluster \"nowhere\" is not found",
        ])
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
