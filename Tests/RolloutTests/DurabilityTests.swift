import FleetAPI
import Foundation
import Testing
@testable import Journal
@testable import Rollout

/// What the hub shows, dispatches and keeps when commits are slow or fail.
struct DurabilityTests {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path
    let clock = ManualClock(SeedWalkthrough.virtualStart)

    /// The seed up to its strategy: members, namespace, config map (value2, snapshot 1) and placement.
    func seededHub(settleLimit: Int = 100_000) async throws -> Hub {
        let hub = try Hub(path: path, clock: clock, members: SimulatedMembers(latency: 0), settleLimit: settleLimit)
        for member in SeedManifests.members {
            try await hub.send(.apply(YAML.parse(SeedManifests.memberCluster(member.name, labels: member.labels))), actor: "test")
        }
        for manifest in [
            SeedManifests.namespace, SeedManifests.configMap(value: "value1"), SeedManifests.placement,
            SeedManifests.configMap(value: "value2"), SeedManifests.strategy,
        ] {
            try await hub.send(.apply(YAML.parse(manifest)), actor: "test")
        }
        return hub
    }

    var pendingMemberWork: @Sendable (Hub) async -> Int {
        { hub in await hub.agenda.items.filter { if case .member = $0 { true } else { false } }.count }
    }

    @Test func nothingIsShownOrDispatchedBeforeItIsDurable() async throws {
        let hub = try await seededHub()
        #expect(await pendingMemberWork(hub) == 0)
        // Another connection holds the write lock, so the hub's next commit waits.
        let blocker = try Connection(path: path, create: false)
        try blocker.execute("BEGIN IMMEDIATE")
        let durableBefore = hub.journal.durableSeq
        let send = Task { try await hub.send(.apply(YAML.parse(SeedManifests.run)), actor: "test") }
        while hub.journal.lastSeq == durableBefore { try await Task.sleep(for: .milliseconds(2)) }
        let recorded = try hub.journal.read(after: 0, limit: Int.max).map(\.type)
        #expect(!recorded.isEmpty)
        #expect(await hub.state.lastSeq == durableBefore)
        #expect(await hub.render(Fixtures.runKey) == nil)
        #expect(await hub.watchFromNow().state.lastSeq == durableBefore)
        // The run's ClusterUpdateStarted for member2 is submitted, but its member work waits for durability.
        #expect(await pendingMemberWork(hub) == 0)
        try blocker.execute("ROLLBACK")
        _ = try await send.value
        #expect(await hub.state.lastSeq == hub.journal.durableSeq)
        #expect(await hub.render(Fixtures.runKey) != nil)
        #expect(await pendingMemberWork(hub) == 1)
        hub.journal.close()
    }

    @Test func aFailedCommitLeavesTheHubReadOnlyWithOnlyItsDurableState() async throws {
        let hub = try await seededHub()
        let durable = await hub.state
        // A second writer takes the next seq, so the hub's own next commit no longer extends the log and fails.
        let intruder = try Connection(path: path, create: false)
        try intruder.execute(
            "INSERT INTO events (seq, stream, version, type, time, actor, dict_id, raw_len, payload, hash) "
                + "VALUES (\(durable.lastSeq + 1), 'intruder', 1, 'Intruded.v1', 0, 'intruder', 0, 0, x'', zeroblob(32))")
        await #expect {
            try await hub.send(.apply(YAML.parse(SeedManifests.run)), actor: "test")
        } throws: { error in
            guard case .unavailable(let cause) = error as? HubError else { return false }
            return cause.contains("events must be appended at the next seq")
        }
        #expect(await hub.refusal != nil)
        #expect(await hub.state == durable)
        #expect(await hub.render(Fixtures.runKey) == nil)
        #expect(await hub.render(Fixtures.placementKey) != nil)
        await #expect(throws: HubError.self) {
            try await hub.send(.apply(YAML.parse(SeedManifests.configMap(value: "value3"))), actor: "test")
        }
        hub.journal.close()

        // The intruder broke the chain: a restart refuses, naming the seq, unless read-only.
        #expect(throws: HubStartError.brokenChain(seq: durable.lastSeq + 1, problem: "stored row does not match its chain hash")) {
            _ = try Hub(path: path, clock: clock)
        }
        let inspected = try Hub(journal: try Journal(path: path), clock: clock, readOnly: true)
        #expect(await inspected.state == durable)
        #expect(await inspected.refusal?.contains("the break at seq \(durable.lastSeq + 1)") == true)
        inspected.journal.close()
    }

    @Test func aControllerThatDoesNotSettleHaltsItsObjectAndTheHubLives() async throws {
        let hub = try await seededHub()
        let limited = try Hub(journal: hub.journal, clock: clock, members: SimulatedMembers(latency: 0), settleLimit: 1)
        // Initializing and starting the run takes more than one controller step.
        await #expect {
            try await limited.send(.apply(YAML.parse(SeedManifests.run)), actor: "test")
        } throws: { error in
            guard case .internalError(let message) = error as? HubError else { return false }
            return message.contains("did not settle") && message.contains("ClusterStagedUpdateRun/example-run")
        }
        let run = try #require(await limited.render(Fixtures.runKey))
        let halted = run[path: ["status", "conditions"]]?.arrayValue?.first { $0["type"] == "ControllerHalted" }
        #expect(halted?["reason"] == "ControllerDidNotSettle")
        // The hub lives and serves other writes; the halted run is left alone.
        let before = await limited.state.runs[Fixtures.runKey]
        try await limited.send(.apply(YAML.parse(SeedManifests.configMap(value: "value3"))), actor: "test")
        #expect(await limited.state.runs[Fixtures.runKey] == before)
        hub.journal.close()
    }

    @Test func aSpecChangeLiftsAHalt() throws {
        var scenario = Scenario()
        try scenario.apply(SeedManifests.namespace)
        try scenario.apply(SeedManifests.placement)
        scenario.fold(.controllerHalted(ControllerHalted(key: Fixtures.placementKey, message: "looping")))
        #expect(scenario.state.halted[Fixtures.placementKey]?.message == "looping")
        #expect(Controllers.step(scenario.state, now: scenario.now) == nil)
        try scenario.apply(SeedManifests.placement.replacingOccurrences(of: "    type: External", with: "    type: External\n  revisionHistoryLimit: 5"))
        #expect(scenario.state.halted[Fixtures.placementKey] == nil)
    }

    @Test func verifyChecksEveryCheckpointAgainstAReplayOfItsPrefix() async throws {
        let hub = try Hub(path: path, clock: clock, checkpointInterval: 10)
        try await SeedWalkthrough(hub: hub, pace: .virtual, out: { _ in }).play()
        await hub.checkpointsWritten()
        let checkpoints = try hub.journal.checkpoints()
        #expect(checkpoints.count == Journal.retainedCheckpoints)
        #expect(try Hub.verifyCheckpoints(hub.journal) == [])
        let middle = checkpoints[1].seq
        let damaged = CheckpointImage.magic + [0xFF, 0, 0]
        let hex = damaged.map { String(format: "%02x", $0) }.joined()
        try Connection(path: path, create: false).execute(
            "UPDATE checkpoints SET image = x'\(hex)', raw_len = \(damaged.count) WHERE seq = \(middle)")
        #expect(try Hub.verifyCheckpoints(hub.journal) == [
            Hub.CheckpointProblem(seq: middle, problem: "its image differs from a replay of events 1...\(middle)")
        ])
        hub.journal.close()
    }
}
