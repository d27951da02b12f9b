import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// Folding events as a replay does, with the objects' JSON given their resourceVersion once at the end, gives the
/// state folding them one at a time gives.
struct BatchFoldTests {
    @Test func aBatchFoldsToTheStateOfEventsFoldedOneAtATime() throws {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(Fixtures.runManifest(index: "0"))
        scenario.settle()
        scenario.passToCanaryApproval()
        var batched = HubState()
        batched.evolve(contentsOf: scenario.envelopes)
        #expect(batched == scenario.state)
        let placement = try #require(batched.objects[Fixtures.placementKey])
        #expect(placement.json[path: ["metadata", "resourceVersion"]] == .string(String(placement.resourceVersion)))
    }

    @Test func aBatchAfterACheckpointLeavesTheCheckpointsObjectsAsTheyWere() throws {
        var scenario = try Fixtures.seedFleet()
        var batched = try Hub.decodeCheckpoint(Hub.encodeCheckpoint(scenario.state))
        let folded = scenario.envelopes.count
        try scenario.apply(Fixtures.runManifest(index: "0"))
        scenario.settle()
        scenario.memberApplied("member2", index: 0)
        batched.evolve(contentsOf: Array(scenario.envelopes[folded...]))
        #expect(batched == scenario.state)
    }
}
