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
        let kind = try #require(run.resourceKind)
        let now = scenario.now.addingTimeInterval(90)
        #expect(kind.printerColumns.map { $0.cell(row, now) } == kind.printerColumns.map { $0.cell(whole, now) })
        #expect(row[path: ["status", "conditions"]] == whole[path: ["status", "conditions"]])
        #expect(row["metadata"] == whole["metadata"])
    }

    /// A table's run status is built without the encoder; it must be the encoded one, stages left out.
    private func expectTableStatusIsEncoded(_ state: HubState, _ moment: String) throws -> Int {
        for run in state.runs.values {
            #expect(run.tableStatus == (try JSON(encoding: run.renderedStatus(withStages: false))), "\(moment)")
        }
        return state.runs.count
    }

    @Test func everyRunStateOfTheSeedRendersItsTableStatusAsTheEncoderDoes() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let hub = try Hub(path: path, clock: ManualClock(SeedWalkthrough.virtualStart))
        try await SeedWalkthrough(hub: hub, pace: .virtual, out: { _ in }).play()
        var compared = 0
        for seq in 0...(await hub.state.lastSeq) {
            compared += try expectTableStatusIsEncoded(try History.state(hub.journal, through: seq), "seq \(seq)")
        }
        #expect(compared > 50)
    }

    @Test func aStuckAndRecoveredRunRendersItsTableStatusAsTheEncoderDoes() throws {
        var scenario = try Fixtures.seedFleet()
        _ = try expectTableStatusIsEncoded(scenario.state, "before the run")
        try scenario.apply(Fixtures.runManifest(index: "0"))
        #expect(try expectTableStatusIsEncoded(scenario.state, "created") == 1)
        scenario.settle()
        _ = try expectTableStatusIsEncoded(scenario.state, "started")
        scenario.pass(15)
        scenario.fold(
            .memberApplyFailed(
                MemberApplyFailed(cluster: "member2", placement: Fixtures.placementKey, resourceIndex: 0, message: "apply failed")))
        scenario.settle()
        scenario.pass(300)
        scenario.settle()
        #expect(scenario.run()?.status.conditions?[type: "Progressing"]?.reason == "UpdateRunStuck")
        _ = try expectTableStatusIsEncoded(scenario.state, "stuck")
        scenario.memberApplied("member2", index: 0)
        scenario.settle()
        _ = try expectTableStatusIsEncoded(scenario.state, "recovered")
    }
}
