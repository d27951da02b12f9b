import FleetAPI
import Foundation
@testable import Rollout

/// A pure test harness: the hub's loop without the journal. Given events or manifests, it runs the
/// controllers at a virtual `now` and returns exactly the events they record.
struct Scenario {
    var state = HubState()
    var now: Date
    var members = SimulatedMembers(latency: 15)
    /// Fleet's controllers by default; tests of members with agents or of a plain server set others.
    var controllers = ControllerSet.hub
    /// Every event folded so far, as a journal would hold it.
    var envelopes: [Envelope] = []

    init(now: Date = KubeTime.parse("2025-07-22T21:25:00Z")!) {
        self.now = now
    }

    mutating func given(_ events: [FleetEvent]) {
        for event in events { fold(event) }
    }

    mutating func fold(_ event: FleetEvent) {
        let envelope = Envelope(seq: state.lastSeq + 1, time: now, actor: "test", event: event)
        envelopes.append(envelope)
        state.evolve(envelope)
    }

    @discardableResult
    mutating func send(_ command: ObjectCommand) throws -> [FleetEvent] {
        let events = try ObjectDecider.decide(command, state)
        for event in events { fold(event) }
        return events
    }

    @discardableResult
    mutating func apply(_ yaml: String) throws -> [FleetEvent] {
        try send(.apply(YAML.parse(yaml)))
    }

    /// Runs every controller until none has anything more to record now.
    @discardableResult
    mutating func settle() -> [FleetEvent] {
        var recorded: [FleetEvent] = []
        while let (_, events) = Controllers.step(state, now: now, running: controllers) {
            for event in events { fold(event) }
            recorded += events
        }
        return recorded
    }

    /// A member reports it has applied the snapshot the run targets.
    mutating func memberApplied(
        _ cluster: String, index: Int, placement: ObjectKey = Fixtures.placementKey, untrackable: Bool? = nil
    ) {
        let resources = state.placements[placement]?.resourceSnapshots[index]?.resources ?? []
        fold(.memberApplied(MemberApplied(cluster: cluster, placement: placement, resourceIndex: index, objects: resources, untrackable: untrackable)))
    }

    /// The seed's timeline from a started run to the canary approval request: member2, the minute's wait,
    /// member3, member1, each taking 15 s.
    mutating func passToCanaryApproval() {
        for (cluster, wait) in [("member2", 75.0), ("member3", 15), ("member1", 15)] {
            pass(15)
            memberApplied(cluster, index: 0)
            settle()
            pass(wait - 15)
            settle()
        }
    }

    mutating func pass(_ seconds: TimeInterval) {
        now = now.addingTimeInterval(seconds)
    }

    func run(_ name: String = "example-run") -> UpdateRunState? {
        state.runs[ObjectKey(.clusterStagedUpdateRun, name: name)]
    }
}

enum Fixtures {
    /// An approval request's status with `Approved=True` at generation 1.
    static let approved: JSON = [
        "conditions": [
            [
                "type": "Approved", "status": "True", "reason": "ok", "message": "lgtm", "observedGeneration": 1,
                "lastTransitionTime": "2025-07-22T21:40:00Z",
            ]
        ]
    ]

    static let placementKey = ObjectKey(.clusterResourcePlacement, name: "example-placement")
    static let runKey = ObjectKey(.clusterStagedUpdateRun, name: "example-run")

    /// The seed's fleet, workload, placement (snapshot 0) and strategy, settled.
    static func seedFleet(configValue: String = "value1") throws -> Scenario {
        var scenario = Scenario()
        for member in SeedManifests.members {
            try scenario.apply(SeedManifests.memberCluster(member.name, labels: member.labels))
        }
        try scenario.apply(SeedManifests.namespace)
        try scenario.apply(SeedManifests.configMap(value: configValue))
        try scenario.apply(SeedManifests.placement)
        try scenario.apply(SeedManifests.strategy)
        scenario.settle()
        return scenario
    }

    static func runManifest(name: String = "example-run", index: String? = "0", strategy: String = "example-strategy", placement: String = "example-placement") -> String {
        var text = """
            apiVersion: placement.kubernetes-fleet.io/v1beta1
            kind: ClusterStagedUpdateRun
            metadata:
              name: \(name)
            spec:
              placementName: \(placement)
              stagedRolloutStrategyName: \(strategy)
            """
        if let index { text += "\n  resourceSnapshotIndex: \"\(index)\"" }
        return text
    }
}
