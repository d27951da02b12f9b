import CrashCheck
import FleetAPI
import Rollout
import Testing

struct JournalChecksTests {
    @Test func anUninterruptedPlayPassesEveryCheck() async throws {
        let journal = try await roundJournal(uninterrupted())
        #expect(JournalChecks.repeatedSteps(Steps.count(journal.entries)) == [])
        #expect(JournalChecks.timedWaits(journal.entries, downtimes: [], slack: 500) == [])
        #expect(JournalChecks.approvals(journal.entries, granted: [requestKey], actor: "crash-test") == [])
    }

    @Test func stepsAreNamedWithoutSeqsUidsOrTimesAndUserWritesAreNone() async throws {
        let journal = try await roundJournal(uninterrupted())
        let steps = Steps.count(journal.entries)
        #expect(steps["ClusterUpdateStarted ClusterStagedUpdateRun/example-run stage 0 cluster member2"] == 1)
        #expect(steps["MemberApplied member3 ClusterResourcePlacement/example-placement snapshot 1"] == 1)
        #expect(steps["ApprovalAccepted ClusterApprovalRequest/example-run-before-canary generation 1"] == 1)
        #expect(steps.values.reduce(0, +) == 16)
        #expect(steps["StageWaiting ClusterStagedUpdateRun/example-run stage 0 (after)"] == 1)
        #expect(steps["StageWaiting ClusterStagedUpdateRun/example-run stage 1 (before)"] == 1)
        #expect(journal.entries.filter { !Steps.isStep($0) }.map(\.envelope.actor) == ["crash-test"])
    }

    @Test func aStepTakenAgainAfterARestartIsRepeated() async throws {
        var fixtures = uninterrupted()
        fixtures.insert(cluster("ClusterUpdateStarted.v1", stage: 0, "member2", at: t0 + 900), at: 4)
        let journal = try await roundJournal(fixtures)
        #expect(
            JournalChecks.repeatedSteps(Steps.count(journal.entries)) == [
                "repeated step (2 times): ClusterUpdateStarted ClusterStagedUpdateRun/example-run stage 0 cluster member2"
            ])
    }

    @Test func lostAndInventedStepsAreNamed() async throws {
        let baseline = Steps.count(try await roundJournal(uninterrupted()).entries)
        var fixtures = uninterrupted()
        fixtures.removeLast()
        fixtures.append(Fixture("UpdateRunFailed.v1", ["run": run, "message": "boom"], at: t0 + 2_450))
        let round = Steps.count(try await roundJournal(fixtures).entries)
        #expect(
            JournalChecks.stepDifferences(baseline: baseline, round: round) == [
                "lost step: UpdateRunSucceeded ClusterStagedUpdateRun/example-run",
                "step not in the baseline: UpdateRunFailed ClusterStagedUpdateRun/example-run: boom",
            ])
    }

    @Test func membersReceivingASnapshotAgainAreCounted() async throws {
        let baseline = JournalChecks.memberApplications(try await roundJournal(uninterrupted()).entries)
        var fixtures = uninterrupted()
        fixtures.insert(applied("member2", index: 1, at: t0 + 115), at: 3)
        let round = JournalChecks.memberApplications(try await roundJournal(fixtures).entries)
        let key = ObjectKey(.clusterResourcePlacement, name: "example-placement")
        #expect(round[MemberApplication(cluster: "member2", placement: key, resourceIndex: 1)] == 2)
        #expect(
            JournalChecks.memberApplicationDifferences(baseline: baseline, round: round) == [
                "member2 got ClusterResourcePlacement/example-placement snapshot 1 2 times, the baseline 1"
            ])
    }

    @Test func aTimedWaitEndingBeforeItsDeadlineFails() async throws {
        var fixtures = uninterrupted()
        fixtures[5].time = t0 + 1_990
        let journal = try await roundJournal(fixtures)
        #expect(
            JournalChecks.timedWaits(journal.entries, downtimes: [], slack: 500) == [
                "ClusterStagedUpdateRun/example-run stage staging (after) TimedWait elapsed 0.010s before its deadline"
            ])
    }

    @Test func aTimedWaitRestartedByARestartEndsTooLate() async throws {
        var fixtures = uninterrupted()
        fixtures[5].time = t0 + 4_600
        let journal = try await roundJournal(fixtures)
        let down = Downtime(killedAt: t0 + 1_000, readyAt: t0 + 2_400)
        #expect(
            JournalChecks.timedWaits(journal.entries, downtimes: [down], slack: 500) == [
                "ClusterStagedUpdateRun/example-run stage staging (after) TimedWait elapsed 2.600s after its deadline "
                    + "(the server was back 0.400s after it)"
            ])
    }

    @Test func aDeadlinePassedWhileTheServerWasDownEndsAtTheRestart() async throws {
        var fixtures = uninterrupted()
        fixtures[5].time = t0 + 3_300
        let journal = try await roundJournal(fixtures)
        let down = Downtime(killedAt: t0 + 1_500, readyAt: t0 + 3_000)
        #expect(JournalChecks.timedWaits(journal.entries, downtimes: [down], slack: 500) == [])
        #expect(
            JournalChecks.timedWaits(journal.entries, downtimes: [down], slack: 200) == [
                "ClusterStagedUpdateRun/example-run stage staging (after) TimedWait elapsed 1.300s after its deadline "
                    + "(the server was back 1.000s after it)"
            ])
    }

    @Test func aStageTurningWaitingTwiceRestartsItsWait() async throws {
        var fixtures = uninterrupted()
        fixtures.insert(stage("StageWaiting.v1", 0, at: t0 + 1_000), at: 5)
        let journal = try await roundJournal(fixtures)
        #expect(
            JournalChecks.timedWaits(journal.entries, downtimes: [], slack: 500) == [
                "ClusterStagedUpdateRun/example-run stage staging (after) turned Waiting 2 times"
            ])
    }

    @Test func anApprovalRecordedTwiceOrByAnotherActorOrNeverGrantedFails() async throws {
        var twice = uninterrupted()
        twice.insert(approval(by: "crash-test", at: t0 + 2_305), at: 10)
        #expect(
            JournalChecks.approvals(try await roundJournal(twice).entries, granted: [requestKey], actor: "crash-test") == [
                "ClusterApprovalRequest/example-run-before-canary: the driver's approval recorded 2 times"
            ])
        var other = uninterrupted()
        other[9] = approval(by: "mallory", at: t0 + 2_300)
        #expect(
            JournalChecks.approvals(try await roundJournal(other).entries, granted: [requestKey], actor: "crash-test") == [
                "ClusterApprovalRequest/example-run-before-canary approved by mallory, not by crash-test",
                "ClusterApprovalRequest/example-run-before-canary: the driver's approval recorded 0 times",
            ])
        #expect(
            JournalChecks.approvals(try await roundJournal(uninterrupted()).entries, granted: [], actor: "crash-test") == [
                "ClusterApprovalRequest/example-run-before-canary recorded as approved by crash-test 1 times, "
                    + "but the driver never approved it"
            ])
    }

    @Test func anApprovalAcceptedTwiceFails() async throws {
        var fixtures = uninterrupted()
        fixtures.insert(accepted(at: t0 + 2_311), at: 11)
        let journal = try await roundJournal(fixtures)
        #expect(
            JournalChecks.approvals(journal.entries, granted: [requestKey], actor: "crash-test") == [
                "ClusterApprovalRequest/example-run-before-canary accepted 2 times"
            ])
    }
}

struct KillPlanTests {
    @Test func killTimesAreReproducibleSortedAndWithinTheDuration() {
        for seed in UInt64(1)...200 {
            let times = KillPlan.killTimes(seed: seed, scenario: "cluster-seed", duration: 7)
            #expect(times == KillPlan.killTimes(seed: seed, scenario: "cluster-seed", duration: 7))
            #expect((1...3).contains(times.count))
            #expect(times == times.sorted())
            #expect(times.allSatisfy { $0 >= 0 && $0 < 7 })
        }
        let counts = Set((UInt64(1)...200).map { KillPlan.killTimes(seed: $0, scenario: "fleet-100", duration: 1).count })
        #expect(counts == [1, 2, 3])
        #expect(KillPlan.killTimes(seed: 7, scenario: "a", duration: 10) != KillPlan.killTimes(seed: 7, scenario: "b", duration: 10))
    }
}
