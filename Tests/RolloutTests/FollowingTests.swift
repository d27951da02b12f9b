import FleetAPI
import Foundation
import Journal
import Testing
@testable import Rollout

/// A hub that follows another's journal: given what the writer committed, when the follower catches up, then it
/// holds the writer's projections and its watchers saw each change as the writer's did.
struct FollowingTests {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path
    let clock = ManualClock(SeedWalkthrough.virtualStart)

    func follower() throws -> Hub {
        try Hub(journal: Hub.openJournal(path: path, readOnly: true), clock: clock, readOnly: true)
    }

    @Test func aFollowerCatchesUpWithWhatTheWriterCommittedAndShowsItToItsWatchers() async throws {
        let writer = try Hub(path: path, clock: clock)
        for member in SeedManifests.members {
            try await writer.send(.apply(YAML.parse(SeedManifests.memberCluster(member.name, labels: member.labels))), actor: "test")
        }
        let follower = try follower()
        #expect(await follower.state == writer.state)
        #expect(try await follower.catchUp() == 0)

        let before = await follower.state.lastSeq
        guard case .started(let changes) = await follower.watch(after: before) else {
            Issue.record("the follower refused a watch"); return
        }
        for manifest in [SeedManifests.namespace, SeedManifests.configMap(value: "value1"), SeedManifests.placement, SeedManifests.strategy, SeedManifests.run] {
            try await writer.send(.apply(YAML.parse(manifest)), actor: "test")
        }
        try await writer.advance(by: 90)
        let writerSeq = await writer.state.lastSeq
        #expect(try await follower.catchUp() == Int(writerSeq - before))
        #expect(await follower.state == writer.state)

        var seen: [ObjectChange] = []
        for await event in changes {
            guard case .change(let change) = event else { break }
            seen.append(change)
            if change.resourceVersion == writerSeq { break }
        }
        let run = ObjectKey(.clusterStagedUpdateRun, name: "example-run")
        let rendered = await writer.state.render(run)
        #expect(seen.first { $0.key == run }?.type == .added)
        #expect(seen.last { $0.key == run }?.object == rendered)
        #expect(seen.map(\.resourceVersion) == seen.map(\.resourceVersion).sorted())
    }

    /// Told the committed seq by `waitForCommit`, the follower folds through it without asking the store again.
    @Test func aFollowerToldTheCommittedSeqFoldsThroughIt() async throws {
        let writer = try Hub(path: path, clock: clock)
        let follower = try follower()
        let before = await follower.state.lastSeq
        try await writer.send(.apply(YAML.parse(SeedManifests.namespace)), actor: "test")
        try await writer.send(.apply(YAML.parse(SeedManifests.configMap(value: "value1"))), actor: "test")
        let committed = try await follower.journal.waitForCommit(after: before, timeout: .seconds(5))
        #expect(committed == (await writer.state.lastSeq))
        #expect(try await follower.catchUp(committed: committed) == Int(committed - before))
        #expect(await follower.state == writer.state)
    }

    @Test func aHubThatWritesItsJournalHasNoneToFollow() async throws {
        let writer = try Hub(path: path, clock: clock)
        await #expect(throws: HubError.self) { try await writer.catchUp() }
    }

    /// A leader whose lease ended stops writing, keeps what is durable, and follows from then on.
    @Test func aDemotedHubRefusesWritesAndFollows() async throws {
        let hub = try Hub(path: path, clock: clock)
        try await hub.send(.apply(YAML.parse(SeedManifests.namespace)), actor: "test")
        let durable = await hub.state
        await hub.demote(reason: "its lease ended")
        #expect(await hub.refusal == "its lease ended")
        await #expect(throws: HubError.unavailable("its lease ended")) {
            try await hub.send(.apply(YAML.parse(SeedManifests.configMap(value: "value1"))), actor: "test")
        }
        #expect(try await hub.catchUp() == 0)
        #expect(await hub.state == durable)
        #expect(try hub.journal.read(after: durable.lastSeq, limit: 10).isEmpty)
    }
}
