import FleetAPI
import Foundation
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
}
