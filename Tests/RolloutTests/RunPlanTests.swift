import FleetAPI
import Foundation
import Journal
import Testing
@testable import Rollout

/// What-if: what a run would do before it runs, from the state it would initialize on, and a dry-run create that
/// shows it without recording anything.
struct RunPlanTests {
    func plan(_ scenario: Scenario, _ manifest: String) throws -> JSON {
        var preview = scenario
        try preview.apply(manifest)
        let run = try #require(preview.run(try YAML.parse(manifest)[path: ["metadata", "name"]]?.stringValue ?? ""))
        return try RunPlan.plan(UpdateRunController.initialize(run, in: preview.state), of: run, in: preview.state).get()
    }

    @Test func beforeAnyRunThePlanCountsWaitsOnlyAndEveryObjectIsNew() throws {
        let scenario = try Fixtures.seedFleet()
        let plan = try plan(scenario, Fixtures.runManifest(index: "0"))
        let stages = plan["stages"]?.arrayValue ?? []
        #expect(stages.map { $0["name"] } == ["staging", "canary"])
        #expect(stages.map { $0["batches"] } == [[["member2"]], [["member3"], ["member1"]]])
        #expect(stages.map { $0["afterStageTasks"] } == [["TimedWait 1m0s"], ["Approval"]])
        #expect(stages.map { [$0["estimatedStartSeconds"], $0["estimatedEndSeconds"]] } == [[0, 60], [60, 60]])
        #expect(stages.map { $0["blastRadius"] } == [["clusters": 1, "objects": 2], ["clusters": 2, "objects": 4]])
        #expect(plan["estimatedSeconds"] == 60)
        #expect(plan["approvals"] == 1)
        #expect(plan["latencyObservations"] == 0)
        let diff = plan[path: ["firstClusterDiff", "lines"]]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(plan[path: ["firstClusterDiff", "cluster"]] == "member2")
        #expect(diff.contains("+  key: value1"))
    }

    @Test func earlierRunsTimeEachClusterAndHeldObjectsAreNotChanges() throws {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(Fixtures.runManifest(index: "0"))
        scenario.settle()
        // member2, the minute's wait, member3 and member1, each 15 s.
        scenario.passToCanaryApproval()
        let plan = try plan(scenario, Fixtures.runManifest(name: "again", index: "0"))
        #expect(plan["latencyObservations"] == 3)
        let stages = plan["stages"]?.arrayValue ?? []
        #expect(stages.map { [$0["estimatedStartSeconds"], $0["estimatedEndSeconds"]] } == [[0, 75], [75, 105]])
        #expect(stages.map { $0["blastRadius"] } == [["clusters": 0, "objects": 0], ["clusters": 0, "objects": 0]])
        #expect(plan[path: ["firstClusterDiff", "lines"]] == [])
    }

    @Test func aRunThatCannotInitializeSaysWhy() throws {
        let scenario = try Fixtures.seedFleet()
        var preview = scenario
        try preview.apply(Fixtures.runManifest(strategy: "missing"))
        let run = try #require(preview.run())
        #expect(throws: RunPlan.PlanFailure.self) { try RunPlan.plan(UpdateRunController.initialize(run, in: preview.state), of: run, in: preview.state).get() }
    }

    @Test func aDryRunCreateShowsThePlanAndTheStagesAndRecordsNothing() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path
        let hub = try Hub(path: path, clock: ManualClock(SeedWalkthrough.virtualStart))
        for manifest in [SeedManifests.namespace, SeedManifests.configMap(value: "value1"), SeedManifests.placement, SeedManifests.strategy]
            + SeedManifests.members.map({ SeedManifests.memberCluster($0.name, labels: $0.labels) })
        {
            try await hub.send(.apply(YAML.parse(manifest)), actor: "test")
        }
        let before = await hub.state.lastSeq
        let preview = try #require(try await hub.dryRun(.create(YAML.parse(Fixtures.runManifest(index: "0")))))
        #expect(await hub.state.lastSeq == before)
        #expect(await hub.state.runs.isEmpty)
        #expect(preview[path: ["status", "stagesStatus"]]?.arrayValue?.map { $0["stageName"] } == ["staging", "canary"])
        let plan = try JSON.parse(Array((preview[path: ["metadata", "annotations", Hub.planAnnotation]]?.stringValue ?? "").utf8))
        #expect(plan["stages"]?.arrayValue?.count == 2)
        hub.journal.close()
    }
}
