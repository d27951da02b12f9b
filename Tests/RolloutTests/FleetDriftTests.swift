import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// Scheduling, membership drift, concurrent runs and per-run options: given a fleet and a run, when the fleet
/// changes, then what KubeFleet (or Flotilla's documented option) does.
struct FleetDriftTests {
    let run = Fixtures.runKey

    func cluster(_ stage: Int, _ name: String, _ run: ObjectKey = Fixtures.runKey) -> ClusterRef {
        ClusterRef(run: run, stage: stage, cluster: name)
    }

    func started(annotations: [String: String] = [:]) throws -> Scenario {
        var scenario = try Fixtures.seedFleet()
        var manifest = try YAML.parse(Fixtures.runManifest(index: "0"))
        if !annotations.isEmpty { manifest[path: ["metadata", "annotations"]] = .object(annotations.mapValues(JSON.string)) }
        try scenario.send(.apply(manifest))
        scenario.settle()
        return scenario
    }

    @Test func aMemberJoiningMidRunReschedulesAndFailsTheRun() throws {
        var scenario = try started()
        try scenario.apply(SeedManifests.memberCluster("member4", labels: ["environment": "canary", "order": "3"]))
        let events = scenario.settle()
        #expect(events == [
            .placementScheduled(PlacementScheduled(
                placement: Fixtures.placementKey, clusters: ["member1", "member2", "member3", "member4"],
                decisions: ["member1", "member2", "member3", "member4"].map(Scheduler.selected))),
            .updateRunFailed(RunMessage(run: run, message: "cannot continue the updateRun: failed to validate the updateRun: unexpected behavior which cannot be handled by the controller: the number of clusters in index `1` stage has changed, new: 3, existing: 2")),
        ])
    }

    @Test func onlyWhatValidationReadsMarksARunForRevalidation() throws {
        var scenario = try started()
        var dirty = Dirty()
        let applied = FleetEvent.memberApplied(
            MemberApplied(cluster: "member2", placement: Fixtures.placementKey, resourceIndex: 0, objects: []))
        applied.touches(in: scenario.state, &dirty)
        #expect(dirty.runs.contains(run))
        #expect(!dirty.revalidate.contains(run))
        let moved = try ObjectDecider.decide(
            .apply(YAML.parse(SeedManifests.memberCluster("member1", labels: ["environment": "staging", "order": "1"]))),
            scenario.state)
        for event in moved {
            event.touches(in: scenario.state, &dirty)
            scenario.fold(event)
        }
        #expect(dirty.revalidate.contains(run))
        var recorded: [FleetEvent] = []
        while let (_, events) = Controllers.step(scenario.state, now: scenario.now, dirty: &dirty) {
            for event in events {
                event.touches(in: scenario.state, &dirty)
                scenario.fold(event)
            }
            recorded += events
        }
        #expect(recorded.contains { if case .updateRunFailed = $0 { true } else { false } })
        #expect(dirty.revalidate.isEmpty)
    }

    @Test func aFrozenRunIgnoresJoinsAndSkipsClustersThatLeave() throws {
        var scenario = try started(annotations: ["flotilla.dev/membership": "Frozen"])
        try scenario.apply(SeedManifests.memberCluster("member4", labels: ["environment": "canary", "order": "3"]))
        try scenario.send(.delete(ObjectKey(.memberCluster, name: "member3")))
        #expect(scenario.settle() == [
            .placementScheduled(PlacementScheduled(
                placement: Fixtures.placementKey, clusters: ["member1", "member2", "member4"],
                decisions: ["member1", "member2", "member4"].map(Scheduler.selected)))
        ])
        scenario.pass(15)
        scenario.memberApplied("member2", index: 0)
        scenario.settle()
        scenario.pass(60)
        #expect(Array(scenario.settle().suffix(2)) == [.clusterUpdateSkipped(cluster(1, "member3")), .clusterUpdateStarted(cluster(1, "member1"))])
        #expect(scenario.run()?.status.stagesStatus?[1].clusters.map(\.clusterName) == ["member3", "member1"])
    }

    @Test func aSecondRunTakingOverAClusterFailsTheFirst() throws {
        var scenario = try started()
        let second = ObjectKey(.clusterStagedUpdateRun, name: "takeover")
        try scenario.apply(Fixtures.runManifest(name: "takeover", index: "0"))
        let events = scenario.settle()
        #expect(events.contains(.clusterUpdateStarted(cluster(0, "member2", second))))
        let failure = scenario.run()?.status.conditions?[type: "Succeeded"]
        #expect(failure?.reason == "UpdateRunFailed")
        #expect(failure?.message.contains("concurrent updateRun referencing the same placement") == true)
        #expect(scenario.state.runs[second]?.isFinished == false)
    }

    @Test func theStuckThresholdIsSettablePerRun() throws {
        var scenario = try started(annotations: ["flotilla.dev/stuck-threshold": "1m"])
        scenario.pass(59)
        #expect(scenario.settle() == [])
        #expect(UpdateRunController.nextDeadline(scenario.run()!, now: scenario.now) == scenario.now.addingTimeInterval(1))
        scenario.pass(1)
        #expect(scenario.settle() == [.updateRunStuck(RunStuck(run: run, stage: 0, clusters: ["member2"]))])
    }

    @Test func badRunAnnotationsAreRefused() throws {
        var scenario = try Fixtures.seedFleet()
        var manifest = try YAML.parse(Fixtures.runManifest(index: "0"))
        manifest[path: ["metadata", "annotations"]] = ["flotilla.dev/stuck-threshold": "soon", "flotilla.dev/membership": "Sometimes"]
        #expect(throws: HubError.invalid(
            InvalidObject(kind: "ClusterStagedUpdateRun", name: "example-run", causes: [
                FieldError(field: "metadata.annotations[flotilla.dev/stuck-threshold]", rule: "Invalid value: \"soon\": must be a positive duration such as 10m or 1h30m"),
                FieldError(field: "metadata.annotations[flotilla.dev/membership]", rule: "Unsupported value: \"Sometimes\": supported values: \"Frozen\", \"Live\""),
            ]), group: "placement.kubernetes-fleet.io")) {
            try scenario.send(.apply(manifest))
        }
    }

    func fixedFleet(_ names: [String]) throws -> Scenario {
        var scenario = Scenario()
        for member in SeedManifests.members { try scenario.apply(SeedManifests.memberCluster(member.name, labels: member.labels)) }
        try scenario.apply(SeedManifests.namespace)
        try scenario.apply(SeedManifests.configMap(value: "value1"))
        try scenario.apply(SeedManifests.placement.replacingOccurrences(of: "placementType: PickAll", with: "placementType: PickFixed\n    clusterNames: [\(names.joined(separator: ", "))]"))
        try scenario.apply("apiVersion: placement.kubernetes-fleet.io/v1beta1\nkind: ClusterStagedUpdateStrategy\nmetadata:\n  name: example-strategy\nspec:\n  stages:\n  - name: all\n    labelSelector: {}\n    maxConcurrency: \"100%\"\n")
        scenario.settle()
        return scenario
    }

    @Test func pickFixedRemovalsAreCleanedUpInTheDeletionStage() throws {
        var scenario = try fixedFleet(["member1", "member3"])
        #expect(scenario.state.placements[Fixtures.placementKey]?.scheduledClusters == ["member1", "member3"])
        try scenario.apply(Fixtures.runManifest(index: "0"))
        scenario.settle()
        scenario.pass(15)
        for member in ["member1", "member3"] { scenario.memberApplied(member, index: 0) }
        #expect(scenario.settle().last == .updateRunSucceeded(RunRef(run: run)))

        try scenario.apply(SeedManifests.placement.replacingOccurrences(of: "placementType: PickAll", with: "placementType: PickFixed\n    clusterNames: [member1]"))
        let rescheduled = scenario.settle()
        guard case .policySnapshotCreated(let policy) = rescheduled.first else {
            Issue.record("expected a new policy snapshot, got \(rescheduled)")
            return
        }
        #expect(policy.index == 1 && policy.clusters == ["member1"])
        let second = ObjectKey(.clusterStagedUpdateRun, name: "cleanup")
        try scenario.apply(Fixtures.runManifest(name: "cleanup", index: "0"))
        let events = scenario.settle()
        guard case .updateRunInitialized(let plan) = events.first else {
            Issue.record("expected initialization, got \(events)")
            return
        }
        #expect(plan.deletionClusters == ["member3"])
        #expect(plan.stages.map(\.clusters) == [["member1"]])
        #expect(events.last == .clusterUpdateStarted(cluster(1, "member3", second)))
        scenario.fold(.memberRemoved(MemberRemoved(cluster: "member3", placement: Fixtures.placementKey)))
        #expect(scenario.settle() == [.clusterUpdateSucceeded(cluster(1, "member3", second)), .updateRunSucceeded(RunRef(run: second))])
    }

    @Test func pickNScalesUnderTheSamePolicySnapshot() throws {
        var scenario = Scenario()
        for member in SeedManifests.members { try scenario.apply(SeedManifests.memberCluster(member.name, labels: member.labels)) }
        try scenario.apply(SeedManifests.namespace)
        let pickN = { (count: Int) in SeedManifests.placement.replacingOccurrences(of: "placementType: PickAll", with: "placementType: PickN\n    numberOfClusters: \(count)") }
        try scenario.apply(pickN(2))
        scenario.settle()
        // KubeFleet ranks equal scores by name from the end of the alphabet, and keeps what it picked before.
        #expect(scenario.state.placements[Fixtures.placementKey]?.scheduledClusters == ["member2", "member3"])
        try scenario.apply(pickN(3))
        #expect(scenario.settle() == [
            .placementScheduled(PlacementScheduled(
                placement: Fixtures.placementKey, clusters: ["member1", "member2", "member3"],
                decisions: ["member3", "member2", "member1"].map { Scheduler.selected($0, score: Scheduler.Score(topologySpread: 0, affinity: 0)) }))
        ])
        #expect(scenario.state.placements[Fixtures.placementKey]?.policyIndex == 0)
    }
}

/// Approval requests and apply strategies after initialization.
struct ApprovalAndStrategyDriftTests {
    let run = Fixtures.runKey

    func atCanaryApproval() throws -> Scenario {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(Fixtures.runManifest(index: "0"))
        scenario.settle()
        scenario.passToCanaryApproval()
        return scenario
    }

    @Test func aRequestDeletedBeforeAcceptanceIsRecreated() throws {
        var scenario = try atCanaryApproval()
        let request = ObjectKey(.clusterApprovalRequest, name: "example-run-canary")
        try scenario.send(.delete(request))
        let events = scenario.settle()
        guard case .objectCreated(let created) = events.first, events.count == 1 else {
            Issue.record("expected the request again, got \(events)")
            return
        }
        #expect(created.key == request)
        #expect(scenario.state.objects[request] != nil)
    }

    @Test func changingThePlacementsApplyStrategyFailsTheRun() throws {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(Fixtures.runManifest(index: "0"))
        scenario.settle()
        try scenario.apply(SeedManifests.placement.replacingOccurrences(of: "    type: External", with: "    type: External\n    applyStrategy:\n      type: ServerSideApply"))
        #expect(scenario.settle() == [
            .updateRunFailed(RunMessage(run: run, message: "cannot continue the updateRun: failed to validate the updateRun: failed to process the request due to a client error: the applyStrategy in the updateRun is outdated, latest: {\"type\":\"ServerSideApply\"}, recorded: null"))
        ])
    }
}
