import Testing

@testable import Agent
@testable import FleetAPI
@testable import KubeClient

/// When the agent looks at a Work again: at once for a new Work or generation, then with KubeFleet's backoff.
@Suite struct WorkScheduleTests {
    let start = ContinuousClock.now

    func work(_ name: String, generation: Int64, status: String = "{}") -> JSON {
        json(#"{"metadata":{"name":"\#(name)","generation":\#(generation)},"status":\#(status)}"#)
    }

    let applied = [ManifestOutcome(identifier: identifier(0), apply: .applied, availability: .available, memberGeneration: 0)]
    let failed = [ManifestOutcome(identifier: identifier(0), apply: .failedToApply("fault injected"))]

    @Test func aNewWorkIsDueAtOnce() {
        var schedule = WorkSchedule()
        #expect(schedule.next(now: start) == nil)
        schedule.observe(.synced([work("a", generation: 1)]), now: start)
        #expect(schedule.next(now: start) == .reconcile("a"))
    }

    @Test func theSameOutcomeBacksOffAndANewOneStartsOver() {
        var schedule = WorkSchedule()
        schedule.observe(.added(work("a", generation: 1)), now: start)
        let delays = (0..<3).map { _ in schedule.reconciled("a", generation: 1, outcomes: failed, settled: false, now: start) }
        #expect(delays == [.seconds(5), .seconds(2), .seconds(2) * 1.2])
        #expect(schedule.next(now: start + .seconds(2)) == nil)
        #expect(schedule.next(now: start + .seconds(3)) == .reconcile("a"))
        #expect(schedule.reconciled("a", generation: 1, outcomes: applied, settled: true, now: start) == .seconds(5))
    }

    @Test func onlyANewGenerationReschedules() {
        var schedule = WorkSchedule()
        schedule.observe(.added(work("a", generation: 1)), now: start)
        schedule.reconciled("a", generation: 1, outcomes: applied, settled: true, now: start)
        // The agent's own status write comes back as a modification of the same generation.
        schedule.observe(.modified(work("a", generation: 1, status: #"{"conditions":[]}"#)), now: start)
        #expect(schedule.next(now: start + .seconds(1)) == nil)
        #expect(schedule.works["a"]?["status"] == json(#"{"conditions":[]}"#))
        schedule.observe(.modified(work("a", generation: 2)), now: start + .seconds(1))
        #expect(schedule.next(now: start + .seconds(1)) == .reconcile("a"))
    }

    @Test func aDeletedWorkIsRemovedWithBackoffUntilItSucceeds() {
        var schedule = WorkSchedule()
        schedule.observe(.added(work("a", generation: 1)), now: start)
        schedule.observe(.deleted(work("a", generation: 1)), now: start)
        #expect(schedule.next(now: start) == .remove("a"))
        #expect(schedule.reconciled("a", generation: 1, outcomes: applied, settled: true, now: start) == nil)
        #expect(schedule.removal("a", succeeded: false, now: start) == .seconds(5))
        #expect(schedule.next(now: start + .seconds(4)) == nil)
        #expect(schedule.next(now: start + .seconds(5)) == .remove("a"))
        schedule.removal("a", succeeded: true, now: start + .seconds(5))
        #expect(schedule.next(now: start + .seconds(60)) == nil)
    }

    @Test func aRelistDropsWhatIsGoneAndOrphansAreRemoved() {
        var schedule = WorkSchedule()
        schedule.observe(.synced([work("a", generation: 1), work("b", generation: 1)]), now: start)
        schedule.reconciled("a", generation: 1, outcomes: applied, settled: true, now: start)
        schedule.reconciled("b", generation: 1, outcomes: applied, settled: true, now: start)
        schedule.observe(.synced([work("a", generation: 1)]), now: start + .seconds(1))
        #expect(schedule.next(now: start + .seconds(1)) == .remove("b"))
        schedule.removal("b", succeeded: true, now: start + .seconds(1))
        // AppliedWorks left by Works deleted while no agent watched; "a" is still on the hub.
        schedule.orphaned(["a", "c"], now: start + .seconds(1))
        #expect(schedule.next(now: start + .seconds(1)) == .remove("c"))
    }

    @Test func aWorkThatComesBackIsNotRemoved() {
        var schedule = WorkSchedule()
        schedule.observe(.deleted(work("a", generation: 1)), now: start)
        schedule.observe(.added(work("a", generation: 1)), now: start)
        #expect(schedule.next(now: start) == .reconcile("a"))
    }
}
