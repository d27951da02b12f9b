import FleetAPI
import Foundation
import Journal
import Rollout

/// The objects the benchmarks create, as JSON manifests (what `kubectl apply -f` would send).
enum Manifests {
    static func member(_ name: String, labels: [String: String]) -> JSON {
        [
            "apiVersion": "cluster.kubernetes-fleet.io/v1beta1", "kind": "MemberCluster",
            "metadata": ["name": .string(name), "labels": .object(labels.mapValues { .string($0) })],
            "spec": [
                "heartbeatPeriodSeconds": 60,
                "identity": ["kind": "ServiceAccount", "name": .string("fleet-member-agent-\(name)"), "namespace": "fleet-system"],
            ],
        ]
    }

    static func namespace(_ name: String) -> JSON {
        ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]]
    }

    /// A ConfigMap of about 300 bytes: ten keys, one of which carries `version`.
    static func configMap(_ name: String, namespace: String, version: Int) -> JSON {
        var data: [String: JSON] = ["version": .string("v\(version)")]
        for index in 0..<9 {
            data["setting-\(index)"] = .string("value-\(index)-\(String(repeating: "x", count: 12))")
        }
        return [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": ["name": .string(name), "namespace": .string(namespace)], "data": .object(data),
        ]
    }

    /// A placement of one namespace onto the named clusters (PickFixed), or onto every member (PickAll).
    static func placement(_ name: String, namespace: String, clusters: [String]?) -> JSON {
        let policy: JSON = clusters.map { ["placementType": "PickFixed", "clusterNames": .array($0.map { .string($0) })] }
            ?? ["placementType": "PickAll"]
        return [
            "apiVersion": "placement.kubernetes-fleet.io/v1beta1", "kind": "ClusterResourcePlacement",
            "metadata": ["name": .string(name)],
            "spec": [
                "resourceSelectors": [["group": "", "kind": "Namespace", "version": "v1", "name": .string(namespace)]],
                "policy": policy, "strategy": ["type": "External"],
            ],
        ]
    }

    struct Stage {
        var name: String
        var labels: [String: String]
        var maxConcurrency: JSON?
        var sortingLabelKey: String?
        var afterTasks: [JSON] = []
    }

    static func strategy(_ name: String, stages: [Stage]) -> JSON {
        [
            "apiVersion": "placement.kubernetes-fleet.io/v1beta1", "kind": "ClusterStagedUpdateStrategy",
            "metadata": ["name": .string(name)],
            "spec": [
                "stages": .array(
                    stages.map { stage in
                        var object: [String: JSON] = [
                            "name": .string(stage.name),
                            "labelSelector": ["matchLabels": .object(stage.labels.mapValues { .string($0) })],
                        ]
                        if let concurrency = stage.maxConcurrency { object["maxConcurrency"] = concurrency }
                        if let key = stage.sortingLabelKey { object["sortingLabelKey"] = .string(key) }
                        if !stage.afterTasks.isEmpty { object["afterStageTasks"] = .array(stage.afterTasks) }
                        return .object(object)
                    })
            ],
        ]
    }

    static let approvalTask: JSON = ["type": "Approval"]
    static let minuteWait: JSON = ["type": "TimedWait", "waitTime": "1m"]

    static func run(_ name: String, placement: String, strategy: String, index: Int) -> JSON {
        [
            "apiVersion": "placement.kubernetes-fleet.io/v1beta1", "kind": "ClusterStagedUpdateRun",
            "metadata": ["name": .string(name)],
            "spec": [
                "placementName": .string(placement), "resourceSnapshotIndex": .string(String(index)),
                "stagedRolloutStrategyName": .string(strategy),
            ],
        ]
    }

    /// The status `kubectl fleet approve` writes: Approved=True at the request's generation.
    static func approvedStatus(generation: Int64, at time: Date) -> JSON {
        [
            "conditions": [
                [
                    "type": "Approved", "status": "True", "reason": "lgtm", "message": "approved by the benchmark",
                    "observedGeneration": .int(generation), "lastTransitionTime": .string(KubeTime.format(time)),
                ]
            ]
        ]
    }
}

/// A local projection fed by pure decisions: applies manifests and settles the controllers as the hub does,
/// without a journal, and keeps the events with their actors so they can be written in one transaction. Used to
/// set up large fleets fast; the hub then replays them on start-up, as after a restart.
struct Preload {
    var state = HubState()
    /// What the controllers must look at, as the hub keeps it.
    var dirty = Dirty()
    var events: [(actor: String, event: FleetEvent)] = []
    let time: Date

    init(time: Date) { self.time = time }

    mutating func apply(_ manifest: JSON, settle: Bool = true) throws {
        fold(try ObjectDecider.decide(.apply(manifest), state), actor: "kubectl")
        if settle { self.settle() }
    }

    mutating func settle() {
        while let (actor, events) = Controllers.step(state, now: time, dirty: &dirty) {
            fold(events, actor: actor)
        }
    }

    private mutating func fold(_ events: [FleetEvent], actor: String) {
        for event in events {
            event.touches(in: state, &dirty)
            state.evolve(Envelope(seq: state.lastSeq + 1, time: time, actor: actor, event: event))
            self.events.append((actor, event))
        }
    }

    /// Writes every event to `journal`, in order, in one commit.
    func write(to journal: Journal) async throws {
        _ = try await journal.append(try StreamWrite.appending(events, millis: Int64(time.timeIntervalSince1970 * 1000)))
    }

    /// A hub on a new journal at `path` holding these events, with instant members, as after a restart.
    func hub(at path: String, clock: any HubClock) async throws -> Hub {
        removeSQLiteFiles(path)
        let journal = try Hub.openJournal(path: path)
        try await write(to: journal)
        return try Hub(journal: journal, clock: clock, members: SimulatedMembers(latency: 0))
    }
}

/// 2026-01-01T00:00:00Z: where the benchmarks' virtual clocks start.
let benchEpoch = Date(timeIntervalSince1970: 1_767_225_600)
