import FleetAPI
import Rollout

/// What the driver does, one step after the other. Every step can be re-done after a crash without changing
/// the outcome.
enum Step: Sendable {
    /// POST the object to its collection; AlreadyExists counts as done (a create whose answer was lost).
    case create(ResourceKind, JSON)
    /// A merge patch of the object: applying it again changes nothing.
    case mergePatch(ObjectKey, JSON)
    /// Poll the run until it succeeds, approving each of its approval requests that is not approved yet.
    case drive(run: ObjectKey, approvals: ResourceKind)
}

/// A scenario to play against `flotilla serve`.
struct Scenario: Sendable {
    var name: String
    var memberLatency: Double
    var steps: [Step]

    /// The TimedWait of the seed's staging stage, shortened from 1m so that a round takes seconds.
    static let seedWait = "2s"

    static func named(_ name: String) -> Scenario? {
        all.first { $0.name == name }
    }

    static let all = [clusterSeed, namespacedSeed, fleet]

    /// The seed tutorial at cluster scope: three members, the placement, the snapshot change, the strategy (its
    /// wait shortened), the run and its approval, then the rollback run and its approval.
    static let clusterSeed = Scenario(
        name: "cluster-seed", memberLatency: 0.1,
        steps: seedSteps(
            placement: manifest(SeedManifests.placement), strategy: seedStrategy(),
            runs: [manifest(SeedManifests.run), manifest(SeedManifests.rollbackRun)], approvals: .clusterApprovalRequest))

    /// The same at namespace scope, with the manifests of `tools/e2e-namespaced`: the placement selects the
    /// ConfigMap, and every Fleet object lives in `test-namespace`.
    static let namespacedSeed: Scenario = {
        var placement = namespaced(manifest(SeedManifests.placement), kind: .resourcePlacement)
        placement[path: ["spec", "resourceSelectors"]] = [
            ["group": "", "kind": "ConfigMap", "name": "test-cm", "version": "v1"]
        ]
        let strategy = namespaced(seedStrategy(), kind: .stagedUpdateStrategy)
        return Scenario(
            name: "namespaced-seed", memberLatency: 0.1,
            steps: seedSteps(
                placement: placement, strategy: strategy,
                runs: [SeedManifests.run, SeedManifests.rollbackRun].map { namespaced(manifest($0), kind: .stagedUpdateRun) },
                approvals: .approvalRequest))
    }()

    /// The seed's steps; `runs` are the run (snapshot 1) and the rollback run (snapshot 0), each driven to the end.
    static func seedSteps(placement: JSON, strategy: JSON, runs: [JSON], approvals: ResourceKind) -> [Step] {
        var steps: [Step] = SeedManifests.members.map { .create(.memberCluster, manifest(SeedManifests.memberCluster($0.name, labels: $0.labels))) }
        steps += [
            .create(.namespace, manifest(SeedManifests.namespace)),
            .create(.configMap, manifest(SeedManifests.configMap(value: "value1"))),
            .create(kind(of: placement), placement),
            .mergePatch(ObjectKey(.configMap, namespace: "test-namespace", name: "test-cm"), ["data": ["key": "value2"]]),
            .create(kind(of: strategy), strategy),
        ]
        for run in runs {
            let key = ObjectKey(
                kind(of: run), namespace: run[path: ["metadata", "namespace"]]?.stringValue ?? "",
                name: run[path: ["metadata", "name"]]!.stringValue!)
            steps += [.create(kind(of: run), run), .drive(run: key, approvals: approvals)]
        }
        return steps
    }

    static func seedStrategy() -> JSON {
        var strategy = manifest(SeedManifests.strategy)
        var stages = strategy[path: ["spec", "stages"]]!.arrayValue!
        stages[0]["afterStageTasks"] = [["type": "TimedWait", "waitTime": .string(seedWait)]]
        strategy[path: ["spec", "stages"]] = .array(stages)
        return strategy
    }

    /// A fleet: members in ten stages of 4 to 14 clusters, updated 10 at a time, with waits and approvals
    /// before and after stages.
    static let fleetStageSizes = [4, 6, 8, 10, 12, 14, 12, 12, 12, 10]

    static let fleet: Scenario = {
        // One manifest parsed and renamed: parsing a hundred YAML documents takes seconds in a debug build.
        let template = manifest(SeedManifests.memberCluster("member", labels: [:]))
        var steps: [Step] = []
        var member = 0
        for (stage, size) in fleetStageSizes.enumerated() {
            for _ in 0..<size {
                let name = "member-" + String(member + 1000).dropFirst()
                var cluster = template
                cluster[path: ["metadata", "name"]] = .string(name)
                cluster[path: ["metadata", "labels"]] = ["stage": .string("s\(stage)"), "order": .string("\(member % 7)")]
                cluster[path: ["spec", "identity", "name"]] = .string("fleet-member-agent-\(name)")
                steps.append(.create(.memberCluster, cluster))
                member += 1
            }
        }
        func task(_ type: String, wait: String? = nil) -> JSON {
            wait.map { ["type": .string(type), "waitTime": .string($0)] } ?? ["type": .string(type)]
        }
        let before: [Int: [JSON]] = [2: [task("Approval")], 4: [task("Approval")], 7: [task("Approval")]]
        let after: [Int: [JSON]] = [
            0: [task("TimedWait", wait: "2s")], 4: [task("TimedWait", wait: "2s"), task("Approval")],
            9: [task("Approval")],
        ]
        let stages: [JSON] = fleetStageSizes.indices.map { index in
            var stage: JSON = [
                "name": .string("s\(index)"), "labelSelector": ["matchLabels": ["stage": .string("s\(index)")]],
                "sortingLabelKey": "order", "maxConcurrency": 10,
            ]
            if let tasks = before[index] { stage["beforeStageTasks"] = .array(tasks) }
            if let tasks = after[index] { stage["afterStageTasks"] = .array(tasks) }
            return stage
        }
        let group = "placement.kubernetes-fleet.io/v1beta1"
        steps += [
            .create(.namespace, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "fleet-app"]]),
            .create(
                .configMap,
                [
                    "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "app-config", "namespace": "fleet-app"],
                    "data": ["release": "one"],
                ]),
            .create(
                .clusterResourcePlacement,
                [
                    "apiVersion": .string(group), "kind": "ClusterResourcePlacement", "metadata": ["name": "fleet-placement"],
                    "spec": [
                        "resourceSelectors": [["group": "", "kind": "Namespace", "name": "fleet-app", "version": "v1"]],
                        "policy": ["placementType": "PickAll"], "strategy": ["type": "External"],
                    ],
                ]),
            .create(
                .clusterStagedUpdateStrategy,
                [
                    "apiVersion": .string(group), "kind": "ClusterStagedUpdateStrategy", "metadata": ["name": "fleet-strategy"],
                    "spec": ["stages": .array(stages)],
                ]),
            .create(
                .clusterStagedUpdateRun,
                [
                    "apiVersion": .string(group), "kind": "ClusterStagedUpdateRun", "metadata": ["name": "fleet-run"],
                    "spec": [
                        "placementName": "fleet-placement", "resourceSnapshotIndex": "0",
                        "stagedRolloutStrategyName": "fleet-strategy",
                    ],
                ]),
            .drive(run: ObjectKey(.clusterStagedUpdateRun, name: "fleet-run"), approvals: .clusterApprovalRequest),
        ]
        return Scenario(name: "fleet-100", memberLatency: 0.1, steps: steps)
    }()

    static func manifest(_ yaml: String) -> JSON {
        do {
            return try YAML.parse(yaml)
        } catch {
            preconditionFailure("a built-in manifest does not parse: \(error)")
        }
    }

    static func kind(of object: JSON) -> ResourceKind {
        ResourceKind.lookup(apiVersion: object["apiVersion"]!.stringValue!, kind: object["kind"]!.stringValue!)!
    }

    /// The cluster-scoped Fleet manifest as its namespaced twin in `test-namespace`.
    static func namespaced(_ object: JSON, kind: ResourceKind) -> JSON {
        var object = object
        object["kind"] = .string(kind.kind)
        object[path: ["metadata", "namespace"]] = "test-namespace"
        return object
    }
}
