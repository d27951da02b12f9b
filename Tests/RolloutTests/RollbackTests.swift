import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// Flotilla's `flotilla.dev/on-failure: Rollback`: given the seed's members holding snapshot 0 and a run of
/// snapshot 1 whose staging stage (member2) ends in MetricGateTests' gate, when the gate fails the run, then the
/// run creates `bad-run-rollback`, which puts snapshot 0 back on member2 alone, stages in reverse order.
struct RollbackTests {
    let bad = ObjectKey(.clusterStagedUpdateRun, name: "bad-run")
    let rollback = ObjectKey(.clusterStagedUpdateRun, name: "bad-run-rollback")

    func failedRun(onFailure: String?) throws -> Scenario {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(MetricGateTests.strategy)
        for member in ["member1", "member2", "member3"] { scenario.memberApplied(member, index: 0) }
        try scenario.apply(SeedManifests.configMap(value: "value2"))
        scenario.settle()
        var manifest = try YAML.parse(Fixtures.runManifest(name: "bad-run", index: "1"))
        if let onFailure { manifest[path: ["metadata", "annotations"]] = [FleetLabel.onFailure: .string(onFailure)] }
        try scenario.send(.apply(manifest))
        #expect(scenario.settle().map(\.typeName) == ["UpdateRunInitialized.v1", "ClusterUpdateStarted.v1"])
        scenario.pass(15)
        scenario.memberApplied("member2", index: 1)
        scenario.settle()
        let gate = MetricGate(
            address: "http://prometheus:9090", query: "up", successCondition: "result >= 0.99",
            interval: GoDuration(milliseconds: 30_000), count: 3, failureLimit: 1)
        for measurement in 0..<2 {
            let query = MetricQuery(
                task: TaskRef(run: bad, stage: 0, phase: .after, task: 0), gate: gate, measurement: measurement, due: scenario.now)
            scenario.fold(UpdateRunController.measured(query, .value("0.2")))
            scenario.pass(30)
        }
        return scenario
    }

    @Test func aFailedRunThatRollsBackCreatesItsRollbackRunWhichRestoresWhatEachClusterHeld() throws {
        var scenario = try failedRun(onFailure: "Rollback")
        let events = scenario.settle()
        #expect(events.map { "\($0.typeName) \($0.stream)" } == [
            "UpdateRunFailed.v1 ClusterStagedUpdateRun/bad-run",
            "ObjectCreated.v1 ClusterStagedUpdateRun/bad-run-rollback",
            "ObjectUpdated.v1 ClusterStagedUpdateRun/bad-run",
            "UpdateRunInitialized.v1 ClusterStagedUpdateRun/bad-run-rollback",
            "StageSkipped.v1 ClusterStagedUpdateRun/bad-run-rollback",
            "ClusterUpdateStarted.v1 ClusterStagedUpdateRun/bad-run-rollback",
        ])
        #expect(scenario.state.objects[bad]?.annotations[FleetLabel.rolledBackBy] == "bad-run-rollback")
        #expect(scenario.state.objects[rollback]?.annotations == [FleetLabel.rollbackOf: "bad-run"])
        #expect(scenario.state.objects[rollback]?.spec == [
            "placementName": "example-placement", "stagedRolloutStrategyName": "example-strategy", "resourceSnapshotIndex": "0",
        ])
        let restoring = try #require(scenario.run("bad-run-rollback"))
        // The stages reversed, with only the clusters the failed run changed, and none of their gates.
        #expect(restoring.stages.map { "\($0.stageName): \($0.clusters.map(\.clusterName))" } == ["canary: []", "staging: [\"member2\"]"])
        #expect(restoring.strategyStages.allSatisfy { $0.afterStageTasks == nil && $0.beforeStageTasks == nil })
        #expect(restoring.restores == ["member2": 0])
        #expect(events.last == .clusterUpdateStarted(ClusterRef(run: rollback, stage: 1, cluster: "member2")))
        #expect(scenario.state.placements[Fixtures.placementKey]?.bindings["member2"]?.resourceIndex == 0)

        scenario.pass(15)
        scenario.memberApplied("member2", index: 0)
        #expect(scenario.settle() == [
            .clusterUpdateSucceeded(ClusterRef(run: rollback, stage: 1, cluster: "member2")),
            .stageWaiting(StageRef(run: rollback, stage: 1)),
            .stageSucceeded(StageRef(run: rollback, stage: 1)),
            .updateRunSucceeded(RunRef(run: rollback)),
        ])
        // Settled: the failed run, annotated, records nothing more.
        #expect(UpdateRunController.reconcile(scenario.run("bad-run")!, in: scenario.state, now: scenario.now) == [])
    }

    @Test func aClusterThatHeldNothingHasThePlacementRemoved() throws {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(MetricGateTests.strategy)
        scenario.settle()
        var manifest = try YAML.parse(Fixtures.runManifest(name: "bad-run", index: "0"))
        manifest[path: ["metadata", "annotations"]] = [FleetLabel.onFailure: "Rollback"]
        try scenario.send(.apply(manifest))
        scenario.settle()
        #expect(scenario.run("bad-run")?.heldBefore == ["member2": HeldSnapshot(resourceIndex: nil)])
        scenario.fold(.updateRunFailed(RunMessage(run: bad, message: "cannot continue the updateRun: stopped by hand")))
        scenario.settle()
        let restoring = try #require(scenario.run("bad-run-rollback"))
        #expect(restoring.restores == [:])
        #expect(restoring.status.deletionStageStatus?.clusters.map(\.clusterName) == ["member2"])
        #expect(scenario.state.objects[rollback]?.spec["resourceSnapshotIndex"] == nil)
    }

    @Test func haltIsKubeFleetsDefault() throws {
        for onFailure in [nil, "Halt"] {
            var scenario = try failedRun(onFailure: onFailure)
            #expect(scenario.settle().map(\.typeName) == ["UpdateRunFailed.v1"])
            #expect(scenario.state.objects[rollback] == nil)
            #expect(scenario.run("bad-run")?.heldBefore == nil)
        }
    }

    @Test func aBadOnFailureIsRefusedAndNothingIsWritten() throws {
        var scenario = try Fixtures.seedFleet()
        let before = scenario.state
        var manifest = try YAML.parse(Fixtures.runManifest(index: "0"))
        manifest[path: ["metadata", "annotations"]] = [FleetLabel.onFailure: "Retry"]
        #expect(throws: HubError.invalid(
            InvalidObject(kind: "ClusterStagedUpdateRun", name: "example-run", causes: [
                FieldError(field: "metadata.annotations[flotilla.dev/on-failure]", rule: "Unsupported value: \"Retry\": supported values: \"Halt\", \"Rollback\""),
            ]), group: "placement.kubernetes-fleet.io")) {
            try scenario.send(.apply(manifest))
        }
        #expect(scenario.state == before)
    }
}
