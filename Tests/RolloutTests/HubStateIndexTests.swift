import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// The indexes `HubState` derives from what it folds follow every event that moves them, and a checkpoint rebuilds
/// them the same.
struct HubStateIndexTests {
    @Test func holdersFollowWhatEachMemberAppliesAndRemoves() throws {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(Fixtures.runManifest(index: "0"))
        scenario.memberApplied("member1", index: 0)
        scenario.memberApplied("member2", index: 0)
        #expect(scenario.state.holders[Fixtures.placementKey] == ["member1", "member2"])

        scenario.fold(.memberRemoved(MemberRemoved(cluster: "member1", placement: Fixtures.placementKey)))
        #expect(scenario.state.holders[Fixtures.placementKey] == ["member2"])
        #expect(try Hub.decodeCheckpoint(Hub.encodeCheckpoint(scenario.state)) == scenario.state)

        scenario.fold(.objectDeleted(ObjectDeleted(key: ObjectKey(.memberCluster, name: "member2"))))
        #expect(scenario.state.holders[Fixtures.placementKey] == nil)
    }

    @Test func appliedOnASnapshotIsOnlyTheSnapshotTheMemberHolds() throws {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(Fixtures.runManifest(index: "0"))
        scenario.memberApplied("member1", index: 0)
        #expect(scenario.state.applied(on: "member1", of: Fixtures.placementKey, at: 0)?.resourceIndex == 0)
        #expect(scenario.state.applied(on: "member1", of: Fixtures.placementKey, at: 1) == nil)
        #expect(scenario.state.applied(on: "member2", of: Fixtures.placementKey, at: 0) == nil)
    }
}
