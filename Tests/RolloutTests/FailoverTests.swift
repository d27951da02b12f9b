import FleetAPI
import Foundation
import Testing
@testable import Journal
@testable import Rollout

/// Two hubs on one PostgreSQL journal (when `FLOTILLA_TEST_POSTGRES` names a database, as for the journal tests):
/// the leader is dropped in the middle of a run's TimedWait, and the follower that takes over finishes the run as
/// the leader would have.
struct FailoverTests {
    static let databases: [String] = {
        guard let url = ProcessInfo.processInfo.environment["FLOTILLA_TEST_POSTGRES"], !url.isEmpty else { return [] }
        return [url]
    }()

    /// The seed run's staging wait starts at +15 s; hub A is dropped at +20 s and hub B must end the wait at +75 s.
    @Test(arguments: databases)
    func aPromotedFollowerFinishesTheRunWithTheWaitKept(database: String) async throws {
        try await withSchema(in: database) { location in
            try Hub.openJournal(location).close()
            let clock = ManualClock(SeedWalkthrough.virtualStart)
            let journalA = try Hub.openJournal(location, readOnly: true)
            defer { journalA.close() }
            let wonA = try journalA.campaign(holder: "hub-a", address: "http://a", lease: .milliseconds(200))
            try journalA.promote(epoch: wonA.epoch)
            let a = try Hub(journal: journalA, clock: clock)
            try await a.startSeedRunIntoItsWait()
            let before = await a.state

            let journalB = try Hub.openJournal(location, readOnly: true)
            defer { journalB.close() }
            let b = try Hub(journal: journalB, clock: clock, readOnly: true)
            try await b.catchUp()
            #expect(await b.state == before)

            // Hub A is dropped: it does nothing more, and its lease runs out.
            await a.stop()
            try await Task.sleep(for: .milliseconds(300))
            let wonB = try journalB.campaign(holder: "hub-b", address: "http://b", lease: .seconds(30))
            #expect(wonB.isHeld(by: "hub-b") && wonB.epoch == wonA.epoch + 1)
            try journalB.promote(epoch: wonB.epoch)
            try await b.promote()
            #expect(await b.refusal == nil)

            try await b.advance(to: SeedWalkthrough.virtualStart.addingTimeInterval(74))
            #expect(await b.state.runs[Fixtures.runKey]?.status.stagesStatus?[0].afterStageTaskStatus?[0].conditions == nil)
            try await b.advance(by: 1)
            let elapsed = await b.state.runs[Fixtures.runKey]?.status.stagesStatus?[0].afterStageTaskStatus?[0].conditions?[type: "WaitTimeElapsed"]
            #expect(elapsed?.lastTransitionTime == SeedWalkthrough.virtualStart.addingTimeInterval(75))
            let approval = ObjectKey(.clusterApprovalRequest, name: "example-run-canary")
            #expect(try await b.advance(until: { $0.objects[approval] != nil }))
            let request = try #require(await b.render(approval))
            let approved = MergePatch.apply(try JSON.parse(SeedManifests.approval(at: KubeTime.format(clock.now()))), to: request)
            try await b.send(.updateStatus(approval, approved["status"] ?? .emptyObject), actor: "kubectl")
            #expect(try await b.advance(until: { $0.runs[Fixtures.runKey]?.isFinished == true }))

            // The former leader's next write is refused and writes nothing.
            let end = journalB.durableSeq
            await #expect(throws: HubError.self) {
                try await a.send(.apply(YAML.parse(SeedManifests.configMap(value: "value2"))), actor: "test")
            }
            #expect(try journalB.read(after: end, limit: 10).isEmpty)
            #expect(try journalB.verify().isIntact)

            let started = try journalB.read(after: 0, limit: 100_000).filter { $0.type == "ClusterUpdateStarted.v1" }
                .map { try Envelope($0).event }
            let clusters = started.compactMap { if case .clusterUpdateStarted(let ref) = $0 { ref.cluster } else { nil } }
            #expect(!clusters.isEmpty)
            #expect(Set(clusters).count == clusters.count)
        }
    }

    /// Runs `body` with a journal location in a schema of its own in `database`, dropped afterwards.
    private func withSchema(in database: String, _ body: (JournalLocation) async throws -> Void) async throws {
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let admin = try PostgresConnection(url: database)
        try admin.execute("CREATE SCHEMA \(schema)")
        defer { try? admin.execute("DROP SCHEMA \(schema) CASCADE") }
        let scoped = database + (database.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(schema)"
        try await body(.postgres(scoped))
    }
}
