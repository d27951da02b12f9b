import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// Flotilla's failure budget, progress deadline and soak (`flotilla.dev/max-failures`, `progress-deadline`,
/// `min-success-time`): given a run over one stage of the seed's three members, when members report or time
/// passes, then exactly these events.
struct FailureBudgetTests {
    let run = Fixtures.runKey

    func cluster(_ name: String) -> ClusterRef { ClusterRef(run: run, stage: 0, cluster: name) }

    /// The seed's fleet with one stage of every member, `concurrency` at a time, and the run started.
    func started(_ annotations: [String: String], concurrency: String = "100%") throws -> Scenario {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(
            "apiVersion: placement.kubernetes-fleet.io/v1beta1\nkind: ClusterStagedUpdateStrategy\nmetadata:\n"
                + "  name: example-strategy\nspec:\n  stages:\n  - name: all\n    labelSelector: {}\n"
                + "    maxConcurrency: \"\(concurrency)\"\n")
        var manifest = try YAML.parse(Fixtures.runManifest(index: "0"))
        if !annotations.isEmpty { manifest[path: ["metadata", "annotations"]] = .object(annotations.mapValues(JSON.string)) }
        try scenario.send(.apply(manifest))
        scenario.settle()
        return scenario
    }

    func memberFailed(_ cluster: String, _ message: String) -> FleetEvent {
        .memberApplyFailed(MemberApplyFailed(cluster: cluster, placement: Fixtures.placementKey, resourceIndex: 0, message: message))
    }

    func failure(_ name: String, _ message: String) -> FleetEvent {
        .clusterUpdateFailed(ClusterFailure(run: run, stage: 0, cluster: name, message: message))
    }

    func stageCondition(_ scenario: Scenario, _ type: String) -> Condition? {
        scenario.run()?.status.stagesStatus?[0].conditions?[type: type]
    }

    @Test func withoutABudgetAReportedFailureIsRetriedAsInKubeFleet() throws {
        var scenario = try started([:])
        scenario.pass(5)
        scenario.fold(memberFailed("member2", "image pull failed"))
        #expect(scenario.settle() == [])
        #expect(scenario.run()?.status.stagesStatus?[0].clusters[1].conditions?[type: "Succeeded"] == nil)
    }

    @Test func aFailedClusterWithinTheBudgetIsSkippedAndTheStageSucceeds() throws {
        var scenario = try started(["flotilla.dev/max-failures": "1"])
        scenario.pass(5)
        scenario.fold(memberFailed("member2", "image pull failed"))
        #expect(scenario.settle() == [failure("member2", "the member reported a failure: image pull failed")])
        scenario.pass(10)
        scenario.memberApplied("member1", index: 0)
        scenario.memberApplied("member3", index: 0)
        #expect(
            scenario.settle() == [
                .clusterUpdateSucceeded(cluster("member1")), .clusterUpdateSucceeded(cluster("member3")),
                .stageWaiting(StageRef(run: run, stage: 0)), .stageSucceeded(StageRef(run: run, stage: 0)),
                .updateRunSucceeded(RunRef(run: run)),
            ])
        let member2 = scenario.run()?.status.stagesStatus?[0].clusters[1].conditions?[type: "Succeeded"]
        #expect(member2?.status == .false)
        #expect(member2?.reason == "ClusterUpdatingFailed")
        #expect(member2?.message == "the member reported a failure: image pull failed")
        #expect(
            stageCondition(scenario, "Succeeded")?.message
                == "Stage update completed with 1 failed cluster(s) within the failure budget: member2")
    }

    @Test func oneFailureMoreThanTheBudgetFailsTheRun() throws {
        var scenario = try started(["flotilla.dev/max-failures": "34%"])
        scenario.pass(5)
        scenario.fold(memberFailed("member2", "image pull failed"))
        scenario.fold(memberFailed("member3", "quota exceeded"))
        #expect(
            scenario.settle() == [
                failure("member2", "the member reported a failure: image pull failed"),
                failure("member3", "the member reported a failure: quota exceeded"),
                .updateRunFailed(RunMessage(
                    run: run,
                    message: "cannot continue the updateRun: 2 of 3 clusters in the stage `all` failed, more than the 1 "
                        + "allowed by flotilla.dev/max-failures: member3: the member reported a failure: quota exceeded")),
            ])
        #expect(scenario.run()?.status.conditions?[type: "Succeeded"]?.reason == "UpdateRunFailed")
    }

    @Test func aClusterPastItsProgressDeadlineFailsAtTheDeadline() throws {
        var scenario = try started(["flotilla.dev/progress-deadline": "30s", "flotilla.dev/max-failures": "1"])
        let startedAt = scenario.now
        scenario.pass(10)
        scenario.memberApplied("member1", index: 0)
        scenario.memberApplied("member3", index: 0)
        #expect(scenario.settle() == [.clusterUpdateSucceeded(cluster("member1")), .clusterUpdateSucceeded(cluster("member3"))])
        #expect(UpdateRunController.nextDeadline(scenario.run()!, now: scenario.now) == startedAt.addingTimeInterval(30))
        scenario.pass(19.9)
        #expect(scenario.settle() == [])
        scenario.pass(0.1)
        #expect(
            scenario.settle() == [
                failure("member2", "the cluster was not updated within the progress deadline of 30s (flotilla.dev/progress-deadline)"),
                .stageWaiting(StageRef(run: run, stage: 0)), .stageSucceeded(StageRef(run: run, stage: 0)),
                .updateRunSucceeded(RunRef(run: run)),
            ])
    }

    @Test func aProgressDeadlineAloneAllowsNoFailure() throws {
        var scenario = try started(["flotilla.dev/progress-deadline": "30s"], concurrency: "34%")
        scenario.pass(30)
        #expect(
            scenario.settle() == [
                failure("member1", "the cluster was not updated within the progress deadline of 30s (flotilla.dev/progress-deadline)"),
                .updateRunFailed(RunMessage(
                    run: run,
                    message: "cannot continue the updateRun: 1 of 3 clusters in the stage `all` failed, more than the 0 "
                        + "allowed by flotilla.dev/max-failures: member1: the cluster was not updated within the progress "
                        + "deadline of 30s (flotilla.dev/progress-deadline)")),
            ])
    }

    @Test func anAvailableClusterSoaksForTheMinimumSuccessTime() throws {
        var scenario = try started(["flotilla.dev/min-success-time": "1m"], concurrency: "34%")
        scenario.pass(15)
        scenario.memberApplied("member1", index: 0)
        #expect(scenario.settle() == [.clusterUpdateAvailable(cluster("member1"))])
        let available = scenario.run()?.status.stagesStatus?[0].clusters[0].conditions?[type: "Available"]
        #expect(available?.reason == "ClusterAvailableSoaking")
        #expect(available?.message == "The cluster is available; it succeeds once it has stayed so for 1m0s")
        #expect(UpdateRunController.nextDeadline(scenario.run()!, now: scenario.now) == scenario.now.addingTimeInterval(60))
        scenario.pass(59)
        #expect(scenario.settle() == [])
        scenario.pass(1)
        #expect(scenario.settle() == [.clusterUpdateSucceeded(cluster("member1")), .clusterUpdateStarted(cluster("member2"))])
    }

    @Test func aSoakingClusterIsStillInFlightWhileTheRunStops() throws {
        var scenario = try started(["flotilla.dev/min-success-time": "1m"], concurrency: "34%")
        var manifest = try YAML.parse(Fixtures.runManifest(index: "0"))
        manifest[path: ["metadata", "annotations"]] = ["flotilla.dev/min-success-time": "1m"]
        manifest[path: ["spec", "state"]] = "Stop"
        try scenario.send(.apply(manifest))
        #expect(scenario.settle() == [.updateRunStopping(StageRef(run: run, stage: 0))])
        scenario.pass(15)
        scenario.memberApplied("member1", index: 0)
        #expect(scenario.settle() == [.clusterUpdateAvailable(cluster("member1"))])
        scenario.pass(60)
        #expect(scenario.settle() == [.clusterUpdateSucceeded(cluster("member1")), .updateRunStopped(StageRef(run: run, stage: 0))])
    }

    @Test func badBudgetsAndDeadlinesAreRefusedNamingTheAnnotation() throws {
        var scenario = try Fixtures.seedFleet()
        var manifest = try YAML.parse(Fixtures.runManifest(index: "0"))
        manifest[path: ["metadata", "annotations"]] = [
            "flotilla.dev/max-failures": "101%", "flotilla.dev/progress-deadline": "soon", "flotilla.dev/min-success-time": "0s",
        ]
        #expect(throws: HubError.invalid(
            InvalidObject(kind: "ClusterStagedUpdateRun", name: "example-run", causes: [
                FieldError(field: "metadata.annotations[flotilla.dev/progress-deadline]", rule: "Invalid value: \"soon\": must be a positive duration such as 10m or 1h30m"),
                FieldError(field: "metadata.annotations[flotilla.dev/min-success-time]", rule: "Invalid value: \"0s\": must be a positive duration such as 10m or 1h30m"),
                FieldError(field: "metadata.annotations[flotilla.dev/max-failures]", rule: "Invalid value: \"101%\": must be a count of clusters such as 2 or a percentage from 0% to 100% such as 25%"),
            ]), group: "placement.kubernetes-fleet.io")) {
            try scenario.send(.apply(manifest))
        }
        #expect(scenario.run() == nil)
    }

    @Test func aBudgetIsACountOrAPercentageRoundedDown() {
        #expect(FailureBudget(parsing: "2")?.allowed(of: 10) == 2)
        #expect(FailureBudget(parsing: "25%")?.allowed(of: 7) == 1)
        #expect(FailureBudget(parsing: "0%")?.allowed(of: 7) == 0)
        #expect(FailureBudget(parsing: "100%")?.allowed(of: 7) == 7)
        for bad in ["-1", "1.5", "x", "%", "101%", "+1", ""] { #expect(FailureBudget(parsing: bad) == nil) }
    }

    @Test func aSoakEndsAtItsRecordedTimeAcrossAHubRestart() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path
        let clock = ManualClock(SeedWalkthrough.virtualStart)
        let hub = try Hub(path: path, clock: clock, members: SimulatedMembers(latency: 15))
        for member in SeedManifests.members {
            try await hub.send(.apply(YAML.parse(SeedManifests.memberCluster(member.name, labels: member.labels))), actor: "test")
        }
        let strategy = "apiVersion: placement.kubernetes-fleet.io/v1beta1\nkind: ClusterStagedUpdateStrategy\nmetadata:\n"
            + "  name: example-strategy\nspec:\n  stages:\n  - name: all\n    labelSelector: {}\n"
        for manifest in [SeedManifests.namespace, SeedManifests.configMap(value: "value1"), SeedManifests.placement, strategy] {
            try await hub.send(.apply(YAML.parse(manifest)), actor: "test")
        }
        var run = try YAML.parse(Fixtures.runManifest(index: "0"))
        run[path: ["metadata", "annotations"]] = ["flotilla.dev/min-success-time": "1m"]
        try await hub.send(.apply(run), actor: "test")
        try await hub.advance(by: 20)
        func member1(_ hub: Hub) async -> [Condition] {
            await hub.state.runs[Fixtures.runKey]?.status.stagesStatus?[0].clusters[0].conditions ?? []
        }
        #expect(await member1(hub)[type: "Available"]?.lastTransitionTime == SeedWalkthrough.virtualStart.addingTimeInterval(15))
        hub.journal.close()

        let restarted = try Hub(path: path, clock: clock, members: SimulatedMembers(latency: 15))
        try await restarted.resume()
        try await restarted.advance(to: SeedWalkthrough.virtualStart.addingTimeInterval(74.9))
        #expect(await member1(restarted)[type: "Succeeded"] == nil)
        try await restarted.advance(to: SeedWalkthrough.virtualStart.addingTimeInterval(75))
        #expect(await member1(restarted)[type: "Succeeded"]?.lastTransitionTime == SeedWalkthrough.virtualStart.addingTimeInterval(75))
        #expect(await restarted.missedByDirtySet == 0)
        restarted.journal.close()
    }
}
