import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// The seed tutorial end to end through a hub, its journal and simulated members, on virtual time.
struct SeedWalkthroughTests {
    func temporaryJournal() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path
    }

    final class Lines: @unchecked Sendable {
        // Only appended from the walkthrough's single task, then read after it ends.
        var all: [String] = []
    }

    @Test func theRunStatusMatchesTheSeedFieldByField() async throws {
        let clock = ManualClock(SeedWalkthrough.virtualStart)
        let hub = try Hub(path: temporaryJournal(), clock: clock)
        for member in SeedManifests.members {
            try await hub.send(.apply(YAML.parse(SeedManifests.memberCluster(member.name, labels: member.labels))), actor: "test")
        }
        for manifest in [SeedManifests.namespace, SeedManifests.configMap(value: "value1"), SeedManifests.placement] {
            try await hub.send(.apply(YAML.parse(manifest)), actor: "test")
        }
        try await hub.send(.apply(YAML.parse(SeedManifests.configMap(value: "value2"))), actor: "test")
        try await hub.send(.apply(YAML.parse(SeedManifests.strategy)), actor: "test")
        try await hub.advance(to: SeedWalkthrough.seedRunCreated)
        try await hub.send(.apply(YAML.parse(SeedManifests.run)), actor: "test")
        let request = ObjectKey(.clusterApprovalRequest, name: "example-run-canary")
        #expect(try await hub.advance(until: { $0.objects[request] != nil }))
        let rendered = try #require(await hub.render(Fixtures.runKey))
        let expected = try YAML.parse(SeedManifests.runStatus)
        let actual = try #require(rendered["status"])
        for field in expected.objectValue!.keys.sorted() {
            #expect(actual[field] == expected[field], "status.\(field)")
        }
        #expect(actual == expected)
        #expect(rendered["spec"] == ["placementName": "example-placement", "resourceSnapshotIndex": "1", "stagedRolloutStrategyName": "example-strategy"])
    }

    @Test func theDemoEndsWithValueOneOnEveryMemberAndReplaysExactly() async throws {
        let path = temporaryJournal()
        let clock = ManualClock(SeedWalkthrough.virtualStart)
        let hub = try Hub(path: path, clock: clock)
        let lines = Lines()
        try await SeedWalkthrough(hub: hub, pace: .virtual, out: { lines.all.append($0) }).play()
        let output = lines.all.joined(separator: "\n")
        let finished = output.split(separator: "\n").filter { line in
            line.split(separator: " ").prefix(6) == ["example-run", "example-placement", "1", "0", "True", "True"]
        }
        #expect(!finished.isEmpty)
        for member in ["member1", "member2", "member3"] {
            let objects = await hub.memberObjects(member)
            let cm = objects.first { $0["kind"] == "ConfigMap" }
            #expect(cm?["data"] == ["key": "value1"], "test-cm on \(member)")
        }
        let live = await hub.state
        #expect(await hub.missedByDirtySet == 0)
        hub.journal.close()
        let reopened = try Hub(path: path, clock: ManualClock(clock.now()))
        #expect(await reopened.state == live)
        #expect(try reopened.journal.verify().isIntact)
        #expect(try reopened.journal.stats().ratio >= 3)
    }

    @Test func aRestartedHubResumesWithoutRepeatingAStep() async throws {
        let path = temporaryJournal()
        let clock = ManualClock(SeedWalkthrough.virtualStart)
        let hub = try Hub(path: path, clock: clock)
        try await hub.startSeedRunIntoItsWait()
        let before = await hub.state
        hub.journal.close()
        // The staging wait started at +15 s; the restarted hub must end it at +75 s, not restart it.
        let restarted = try Hub(path: path, clock: clock)
        try await restarted.resume()
        #expect(await restarted.state == before)
        try await restarted.advance(to: SeedWalkthrough.virtualStart.addingTimeInterval(74))
        let waiting = await restarted.state.runs[Fixtures.runKey]?.status.stagesStatus?[0].afterStageTaskStatus?[0].conditions
        #expect(waiting == nil)
        try await restarted.advance(by: 1)
        let elapsed = await restarted.state.runs[Fixtures.runKey]?.status.stagesStatus?[0].afterStageTaskStatus?[0].conditions?[type: "WaitTimeElapsed"]
        #expect(elapsed?.lastTransitionTime == SeedWalkthrough.virtualStart.addingTimeInterval(75))
        let started = await restarted.state.runs[Fixtures.runKey]?.status.stagesStatus?[1].clusters.filter { $0.conditions != nil }.count
        #expect(started == 1)
    }
}

/// Projection checkpoints: start-up loads the newest one and replays only the tail, with the same result.
struct CheckpointTests {
    @Test func checkpointPlusTailEqualsFullReplayByteForByte() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path
        let clock = ManualClock(SeedWalkthrough.virtualStart)
        let hub = try Hub(path: path, clock: clock, checkpointInterval: 10)
        try await SeedWalkthrough(hub: hub, pace: .virtual, out: { _ in }).play()
        try await hub.checkpoint()
        try await hub.send(.apply(YAML.parse("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: tail")), actor: "test")
        let live = await hub.state
        let seq = try #require(try hub.journal.latestCheckpoint()).seq
        #expect(seq > 0 && seq < live.lastSeq)
        hub.journal.close()

        let resumed = try Hub(path: path, clock: ManualClock(clock.now()))
        let fromCheckpoint = await resumed.state
        var fullReplay = HubState()
        try resumed.journal.scan(after: 0) { fullReplay.evolve(try Envelope($0)) }
        #expect(fromCheckpoint == fullReplay)
        #expect(fromCheckpoint == live)
        #expect(try Hub.encodeCheckpoint(fromCheckpoint) == Hub.encodeCheckpoint(fullReplay))
    }

    @Test func aCheckpointImageRoundTripsTheWholeState() async throws {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(Fixtures.runManifest(index: "0", placement: "example-placement") + "\n  state: Initialize")
        scenario.settle()
        let image = try Hub.encodeCheckpoint(scenario.state)
        #expect(Hub.checkpointIsLoadable(image))
        #expect(try Hub.decodeCheckpoint(image) == scenario.state)
    }

    @Test func aDamagedOrForeignImageIsRefused() async throws {
        var scenario = try Fixtures.seedFleet()
        scenario.settle()
        let image = try CheckpointImage.encode(scenario.state)
        #expect(throws: (any Error).self) { try CheckpointImage.decode(Array(image.dropLast(1))) }
        #expect(throws: (any Error).self) { try CheckpointImage.decode(CheckpointImage.magic + [0xFF, 0, 0]) }
        #expect(throws: (any Error).self) { try CheckpointImage.decode(Array("not a checkpoint".utf8)) }
        var flipped = image
        flipped[image.count / 2] ^= 0xFF
        if let decoded = try? CheckpointImage.decode(flipped) { #expect(decoded != scenario.state) }
    }

    /// Given a checkpoint of another build's projections that decodes but holds less than this build's replay, when
    /// the hub starts, then it replays past it, and verify leaves it be.
    @Test func aCheckpointOfAnotherBuildsProjectionsIsReplayedPast() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path
        let clock = ManualClock(SeedWalkthrough.virtualStart)
        let hub = try Hub(path: path, clock: clock, checkpointInterval: 1_000_000)
        try await SeedWalkthrough(hub: hub, pace: .virtual, out: { _ in }).play()
        let live = await hub.state
        var older = live
        older.runs = [:]
        let body = try Hub.encodeCheckpoint(older).dropFirst(CheckpointImage.magic.count)
        let image = Array("flotilla-checkpoint/3 projections/\(HubState.projectionsVersion - 1)\n".utf8) + body
        #expect(!Hub.checkpointIsLoadable(image))
        #expect(throws: CheckpointImage.OtherProjections.self) { try Hub.decodeCheckpoint(image) }
        try await hub.journal.saveCheckpoint(seq: live.lastSeq, image: image)
        hub.journal.close()

        let resumed = try Hub(path: path, clock: ManualClock(clock.now()))
        #expect(await resumed.state == live)
        #expect(try Hub.loadableCheckpointSeq(in: resumed.journal) == nil)
        #expect(try Hub.verifyCheckpoints(resumed.journal) == [])
        resumed.journal.close()
    }
}

/// Injected member failures through the hub: recorded, retried, reported as stuck, and recovered from.
struct MemberFailureTests {
    @Test func aFailingMemberIsRetriedUntilItRecovers() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path
        let hub = try Hub(path: path, clock: ManualClock(SeedWalkthrough.virtualStart), members: SimulatedMembers(latency: 15, retryInterval: 60))
        for member in SeedManifests.members {
            try await hub.send(.apply(YAML.parse(SeedManifests.memberCluster(member.name, labels: member.labels))), actor: "test")
        }
        for manifest in [SeedManifests.namespace, SeedManifests.configMap(value: "value1"), SeedManifests.placement, SeedManifests.strategy] {
            try await hub.send(.apply(YAML.parse(manifest)), actor: "test")
        }
        await hub.setMemberFailure("member2", message: "admission webhook denied the request")
        try await hub.send(.apply(YAML.parse(Fixtures.runManifest(index: "0"))), actor: "test")
        // Tries at 15 s, then 60, 120 and 240 s apart, then every 300 s: the same failure is recorded once.
        func failures() throws -> [String] {
            try hub.journal.readStream("MemberCluster/member2").filter { $0.type == "MemberApplyFailed.v1" }
                .map { String(decoding: $0.payload, as: UTF8.self) }
        }
        try await hub.advance(by: 300)
        #expect(try failures().count == 1)
        #expect(await hub.state.runs[Fixtures.runKey]?.status.conditions?[type: "Progressing"]?.reason == "UpdateRunStuck")
        await hub.setMemberFailure("member2", message: "exceeded quota")
        try await hub.advance(by: 134)
        #expect(try failures().count == 1)
        try await hub.advance(by: 1)
        #expect(try failures().count == 2)
        #expect(try failures().last?.contains("exceeded quota") == true)
        await hub.setMemberFailure("member2", message: nil)
        try await hub.advance(by: 299)
        #expect(await hub.state.runs[Fixtures.runKey]?.status.stagesStatus?[0].clusters[0].conditions?[type: "Succeeded"] == nil)
        try await hub.advance(by: 1)
        let run = try #require(await hub.state.runs[Fixtures.runKey])
        #expect(run.status.stagesStatus?[0].clusters[0].conditions?[type: "Succeeded"]?.status == .true)
        #expect(run.status.conditions?[type: "Progressing"]?.reason == "UpdateRunWaiting")
    }
}
