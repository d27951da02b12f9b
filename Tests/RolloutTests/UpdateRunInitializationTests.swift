import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// KubeFleet's initialization table 2.3: given the fleet, when a run is created, then the frozen plan or the
/// failure message.
struct UpdateRunInitializationTests {
    func initialization(of manifest: String, in scenario: Scenario) throws -> FleetEvent? {
        var scenario = scenario
        try scenario.apply(manifest)
        return scenario.settle().first
    }

    func failure(_ message: String) -> FleetEvent {
        .updateRunInitializationFailed(RunMessage(run: Fixtures.runKey, message: message))
    }

    @Test func mapsClustersToStagesInSortingLabelOrder() throws {
        let scenario = try Fixtures.seedFleet()
        let event = try initialization(of: Fixtures.runManifest(index: "0"), in: scenario)
        var strategy = try YAML.parse(SeedManifests.strategy)["spec"]!.decode(StagedUpdateStrategySpec.self)
        strategy.stages[1].afterStageTasks = [StageTask(type: .approval)]
        #expect(
            event
                == .updateRunInitialized(
                    UpdateRunInitialized(
                        run: Fixtures.runKey, generation: 1, policySnapshotIndex: "0", observedClusterCount: 3,
                        resourceSnapshotIndex: 0, strategy: strategy,
                        stages: [.init(name: "staging", clusters: ["member2"]), .init(name: "canary", clusters: ["member3", "member1"])],
                        deletionClusters: [], overrides: [:])))
    }

    @Test func failsWithoutThePlacement() throws {
        let scenario = try Fixtures.seedFleet()
        let event = try initialization(of: Fixtures.runManifest(placement: "missing"), in: scenario)
        #expect(
            event == failure(
                "cannot continue the updateRun: failed to initialize the updateRun: failed to process the request due to a client error: parent placement not found"))
    }

    @Test func failsOnARollingUpdatePlacement() throws {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(SeedManifests.placement.replacingOccurrences(of: "name: example-placement", with: "name: rolling").replacingOccurrences(of: "type: External", with: "type: RollingUpdate"))
        scenario.settle()
        let event = try initialization(of: Fixtures.runManifest(placement: "rolling"), in: scenario)
        #expect(
            event == failure(
                "cannot continue the updateRun: failed to initialize the updateRun: failed to process the request due to a client error: parent placement does not have an external rollout strategy, current strategy: RollingUpdate"))
    }

    @Test func failsWithoutTheStrategy() throws {
        let scenario = try Fixtures.seedFleet()
        let event = try initialization(of: Fixtures.runManifest(strategy: "nope"), in: scenario)
        #expect(
            event == failure(
                "cannot continue the updateRun: failed to initialize the updateRun: failed to process the request due to a client error: referenced updateStrategy not found: `nope`"))
    }

    @Test func failsOnAMissingSnapshotIndex() throws {
        let scenario = try Fixtures.seedFleet()
        let event = try initialization(of: Fixtures.runManifest(index: "5"), in: scenario)
        #expect(
            event == failure(
                "cannot continue the updateRun: failed to initialize the updateRun: failed to process the request due to a client error: no resourceSnapshots with index `5` found for placement `example-placement`"))
    }

    @Test(arguments: ["-1", "abc"])
    func failsOnAnInvalidSnapshotIndex(_ index: String) throws {
        let scenario = try Fixtures.seedFleet()
        let event = try initialization(of: Fixtures.runManifest(index: index), in: scenario)
        #expect(
            event == failure(
                "cannot continue the updateRun: failed to initialize the updateRun: failed to process the request due to a client error: invalid resource snapshot index `\(index)` provided, expected an integer >= 0"))
    }

    @Test func omittedIndexTakesTheLatestSnapshot() throws {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(SeedManifests.configMap(value: "value2"))
        scenario.settle()
        let event = try initialization(of: Fixtures.runManifest(index: nil), in: scenario)
        guard case .updateRunInitialized(let plan) = event else {
            Issue.record("expected initialization, got \(String(describing: event))")
            return
        }
        #expect(plan.resourceSnapshotIndex == 1)
    }

    @Test func failsOnANonIntegerSortingLabel() throws {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(SeedManifests.memberCluster("member1", labels: ["environment": "canary", "order": "second"]))
        scenario.settle()
        let event = try initialization(of: Fixtures.runManifest(), in: scenario)
        #expect(
            event == failure(
                "cannot continue the updateRun: failed to initialize the updateRun: failed to process the request due to a client error: the sorting label `order:second` on cluster `member1` is not valid: strconv.Atoi: parsing \"second\": invalid syntax"))
    }

    @Test func failsWhenAClusterIsInTwoStages() throws {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(SeedManifests.strategy.replacingOccurrences(of: "environment: staging", with: "environment: canary"))
        let event = try initialization(of: Fixtures.runManifest(), in: scenario)
        #expect(
            event == failure(
                "cannot continue the updateRun: failed to initialize the updateRun: failed to process the request due to a client error: cluster `member1` appears in more than one stages"))
    }

    @Test func failsWhenAClusterIsInNoStage() throws {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(SeedManifests.strategy.replacingOccurrences(of: "environment: staging", with: "environment: prod"))
        let event = try initialization(of: Fixtures.runManifest(), in: scenario)
        #expect(
            event == failure(
                "cannot continue the updateRun: failed to initialize the updateRun: failed to process the request due to a client error: some clusters are not placed in any stage, total 1, showing up to 10: member2"))
    }

    @Test func failsOnTwoTasksOfOneType() throws {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(SeedManifests.strategy.replacingOccurrences(of: "        - type: Approval", with: "        - type: TimedWait\n          waitTime: 1m\n        - type: TimedWait\n          waitTime: 2m"))
        let event = try initialization(of: Fixtures.runManifest(), in: scenario)
        #expect(
            event == failure(
                "cannot continue the updateRun: failed to initialize the updateRun: failed to process the request due to a client error: the after stage tasks are invalid, updateStrategy: example-strategy, stage: canary, err: afterStageTasks cannot have two tasks of the same type: TimedWait"))
    }

    @Test func failsWithNoClustersScheduled() throws {
        var scenario = Scenario()
        try scenario.apply(SeedManifests.namespace)
        try scenario.apply(SeedManifests.placement)
        try scenario.apply(SeedManifests.strategy)
        scenario.settle()
        let event = try initialization(of: Fixtures.runManifest(), in: scenario)
        #expect(
            event == failure(
                "cannot continue the updateRun: failed to initialize the updateRun: no scheduled or to-be-deleted bindings found for the latest policy snapshot example-placement-0"))
    }

    @Test func aFailedInitializationIsFinal() throws {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(Fixtures.runManifest(strategy: "later"))
        scenario.settle()
        try scenario.apply(SeedManifests.strategy.replacingOccurrences(of: "example-strategy", with: "later"))
        #expect(scenario.settle() == [])
        #expect(scenario.run()?.initializationFailed == true)
    }
}
