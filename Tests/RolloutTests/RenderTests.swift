import FleetAPI
import Foundation
import Journal
import Testing
@testable import Rollout

/// What a client is shown of an object, whole or as a table row.
struct RenderTests {
    @Test func aRunsTableRowLeavesOutItsStagesButShowsEveryColumnTheSame() throws {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(Fixtures.runManifest(index: "0"))
        scenario.settle()
        let run = Fixtures.runKey
        let whole = try #require(scenario.state.render(run))
        let row = try #require(scenario.state.render(run, forTable: true))
        #expect(whole[path: ["status", "stagesStatus"]]?.arrayValue?.isEmpty == false)
        #expect(row[path: ["status", "stagesStatus"]] == nil)
        #expect(row[path: ["status", "stagedUpdateStrategySnapshot"]] == nil)
        try expectTableRowsShowWhatWholeObjectsDo(scenario.state, "settled")
    }

    /// A table's run rows are rendered from a status built without the encoder; every column and the metadata must
    /// be what the whole object shows.
    private func expectTableRowsShowWhatWholeObjectsDo(_ state: HubState, _ moment: String) throws {
        let kind = ResourceKind.clusterStagedUpdateRun
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        for key in state.runs.keys {
            let whole = try #require(state.render(key))
            let row = try #require(state.render(key, forTable: true))
            #expect(kind.printerColumns.map { $0.cell(row, now) } == kind.printerColumns.map { $0.cell(whole, now) }, "\(key) \(moment)")
            #expect(row["metadata"] == whole["metadata"], "\(key) \(moment)")
            // The whole object's status is built without the encoder too; it must be what encoding gives.
            let run = try #require(state.runs[key])
            #expect(whole["status"] == (try JSON(encoding: run.renderedStatus)), "\(key) \(moment)")
        }
    }

    @Test func everyRunStateOfTheSeedShowsTheSameTableRow() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let hub = try Hub(path: path, clock: ManualClock(SeedWalkthrough.virtualStart))
        try await SeedWalkthrough(hub: hub, pace: .virtual, out: { _ in }).play()
        var compared = 0
        for seq in 0...(await hub.state.lastSeq) {
            let state = try History.state(hub.journal, through: seq)
            try expectTableRowsShowWhatWholeObjectsDo(state, "at seq \(seq)")
            compared += state.runs.count
        }
        #expect(compared > 50)
    }

    @Test func aStuckAndRecoveredRunShowsTheSameTableRow() throws {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(Fixtures.runManifest(index: "0"))
        try expectTableRowsShowWhatWholeObjectsDo(scenario.state, "created")
        scenario.settle()
        try expectTableRowsShowWhatWholeObjectsDo(scenario.state, "started")
        scenario.pass(15)
        scenario.fold(
            .memberApplyFailed(
                MemberApplyFailed(cluster: "member2", placement: Fixtures.placementKey, resourceIndex: 0, message: "apply failed")))
        scenario.settle()
        scenario.pass(300)
        scenario.settle()
        #expect(scenario.run()?.status.conditions?[type: "Progressing"]?.reason == "UpdateRunStuck")
        try expectTableRowsShowWhatWholeObjectsDo(scenario.state, "stuck")
        scenario.memberApplied("member2", index: 0)
        scenario.settle()
        try expectTableRowsShowWhatWholeObjectsDo(scenario.state, "recovered")
    }

    /// Every optional part of a run's status set, each where a seed run leaves it out: the direct build must write
    /// each as the encoder does.
    @Test func aRunStatusWithEveryFieldSetRendersAsEncodingGives() throws {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(Fixtures.runManifest(index: "0"))
        scenario.settle()
        var run = try #require(scenario.run())
        let time = Date(timeIntervalSince1970: 1_753_219_688)
        var cluster = ClusterUpdatingStatus(clusterName: "member9")
        cluster.clusterResourceOverrideSnapshots = ["o-0", "o-1"]
        cluster.resourceOverrideSnapshots = [.init(name: "ro-0", namespace: "test-namespace")]
        var gate = StageTaskStatus(type: .metricGate)
        gate.measurements = [
            MetricMeasurement(time: time, value: "0.5", passed: true, message: "met"),
            MetricMeasurement(time: time, value: nil, passed: false, message: "the query failed"),
        ]
        var approval = StageTaskStatus(type: .approval, approvalRequestName: "run-0-before-canary")
        approval.conditions = [
            Condition(type: "ApprovalRequestCreated", status: .true, reason: "r", message: "m", observedGeneration: nil, lastTransitionTime: time)
        ]
        var stage = StageUpdatingStatus(stageName: "extra", clusters: [cluster])
        stage.beforeStageTaskStatus = [approval]
        stage.afterStageTaskStatus = [gate]
        stage.startTime = time
        stage.endTime = time.addingTimeInterval(90)
        run.status.stagesStatus?.append(stage)
        run.status.deletionStageStatus?.clusters = [cluster]
        run.generation = 4
        #expect(run.status.policyObservedClusterCount != nil && run.status.stagedUpdateStrategySnapshot != nil)
        #expect(run.renderedStatusJSON == (try JSON(encoding: run.renderedStatus)))
    }
}
