import Testing

@testable import Journal

/// The campaign's rule, without a database: renew a live lease of one's own, take an ended one under a new
/// epoch, leave another hub's live lease.
struct LeaseDecisionTests {
    @Test func theHolderOfALiveLeaseRenewsIt() {
        #expect(LeaseDecision.decide(holder: "hub-a", expires: 1_000, hub: "hub-a", now: 999) == .renew)
    }

    @Test func anotherHubsLiveLeaseIsLeftAlone() {
        #expect(LeaseDecision.decide(holder: "hub-a", expires: 1_000, hub: "hub-b", now: 999) == .follow)
    }

    @Test func anEndedLeaseIsTakenByAnyone() {
        #expect(LeaseDecision.decide(holder: "hub-a", expires: 1_000, hub: "hub-b", now: 1_000) == .take)
        #expect(LeaseDecision.decide(holder: "hub-a", expires: 1_000, hub: "hub-b", now: 5_000) == .take)
    }

    /// Its holder had to stop writing when it ended, so it comes back as a new writer, under a new epoch.
    @Test func theHolderOfAnEndedLeaseTakesItAgain() {
        #expect(LeaseDecision.decide(holder: "hub-a", expires: 1_000, hub: "hub-a", now: 1_001) == .take)
    }

    @Test func theRowNobodyHeldIsTaken() {
        #expect(LeaseDecision.decide(holder: "", expires: 0, hub: "hub-a", now: 1_764_168_667_000) == .take)
    }

    @Test func aLeaseIsHeldUntilItsRemainingTimeRunsOut() {
        let live = Leadership(holder: "hub-a", address: "http://a", epoch: 3, expires: 2_000, remaining: .seconds(1))
        #expect(live.isHeld(by: "hub-a"))
        #expect(!live.isHeld(by: "hub-b"))
        var ended = live
        ended.remaining = .zero
        #expect(!ended.isHeld(by: "hub-a"))
        #expect(Leadership(holder: "hub-a", address: "", epoch: 0, expires: nil, remaining: nil).isHeld(by: "hub-a"))
    }
}
