import FleetAPI
import Foundation
import Journal
import Testing
@testable import Rollout

/// Time travel: the projections replayed through any seq are what the hub served live at that seq.
struct HistoryTests {
    func temporaryJournal() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path
    }

    /// Plays the seed walkthrough on virtual time and returns the hub with every change it published, as a
    /// watcher from seq 0 saw them: each object rendered right after the event that changed it.
    func playedSeed(checkpointInterval: Int64 = 10_000) async throws -> (Hub, [Int64: [ObjectChange]]) {
        let hub = try Hub(path: temporaryJournal(), clock: ManualClock(SeedWalkthrough.virtualStart), checkpointInterval: checkpointInterval)
        guard case .started(let changes) = await hub.watch(after: 0) else { throw WatchDidNotStart() }
        try await SeedWalkthrough(hub: hub, pace: .virtual, out: { _ in }).play()
        // A last object marks the end of the stream, which otherwise stays open.
        let end = ObjectKey(.namespace, name: "history-test-end")
        try await hub.send(.apply(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "history-test-end"]]), actor: "test")
        var live: [Int64: [ObjectChange]] = [:]
        for await case .change(let change) in changes {
            live[change.resourceVersion, default: []].append(change)
            if change.key == end { break }
        }
        return (hub, live)
    }

    @Test func everyObjectAtEverySeqOfTheSeedRendersAsItDidLive() async throws {
        let (hub, live) = try await playedSeed()
        let lastSeq = await hub.state.lastSeq
        #expect(lastSeq > 60)
        var shown: [ObjectKey: String] = [:]
        var compared = 0
        for seq in 0...lastSeq {
            for change in live[seq] ?? [] {
                shown[change.key] = change.type == .deleted ? nil : YAML.emit(change.object)
            }
            let replayed = try History.state(hub.journal, through: seq)
            #expect(replayed.lastSeq == seq)
            let replayedKeys = replayed.objects.keys.filter { replayed.render($0) != nil }
            #expect(Set(replayedKeys) == Set(shown.keys), "objects at seq \(seq)")
            for key in replayedKeys.sorted() {
                #expect(replayed.render(key).map(YAML.emit) == shown[key], "\(key) at seq \(seq)")
                compared += 1
            }
        }
        #expect(compared > 500)
        let final = await hub.state
        #expect(try History.state(hub.journal, through: lastSeq) == final)
    }

    @Test func aCheckpointLaterThanTheSeqIsNotUsedAndAnEarlierOneIs() async throws {
        let (hub, _) = try await playedSeed(checkpointInterval: 20)
        await hub.checkpointsWritten()
        let checkpointSeq = try #require(try hub.journal.latestCheckpoint()).seq
        for seq in [checkpointSeq - 1, checkpointSeq, checkpointSeq + 1] {
            var full = HubState()
            try hub.journal.scan(after: 0) { record in
                if record.seq <= seq { full.evolve(try Envelope(record)) }
            }
            #expect(try History.state(hub.journal, through: seq) == full)
        }
    }

    @Test func theSeqAtATimeIsTheLastEventRecordedByThen() async throws {
        let (hub, _) = try await playedSeed()
        let records = try hub.journal.read(after: 0, limit: 1_000)
        for record in records {
            let time = Date(timeIntervalSince1970: Double(record.time) / 1000)
            let expected = records.last { $0.time <= record.time }!.seq
            #expect(try History.seq(hub.journal, at: time) == expected)
        }
        let first = Date(timeIntervalSince1970: Double(records[0].time) / 1000)
        #expect(try History.seq(hub.journal, at: first.addingTimeInterval(-1)) == 0)
        let runCreated = try History.seq(hub.journal, at: SeedWalkthrough.seedRunCreated)
        #expect(try History.state(hub.journal, through: runCreated).objects[Fixtures.runKey] != nil)
        #expect(try History.state(hub.journal, through: History.seq(hub.journal, at: SeedWalkthrough.seedRunCreated.addingTimeInterval(-1))).objects[Fixtures.runKey] == nil)
    }

    @Test func aSeqPastTheJournalIsRefusedByName() async throws {
        let (hub, _) = try await playedSeed()
        let last = hub.journal.durableSeq
        #expect(throws: HistoryError.seqOutOfRange(last + 1, last: last)) { try History.state(hub.journal, through: last + 1) }
        #expect(throws: HistoryError.seqOutOfRange(-1, last: last)) { try History.state(hub.journal, through: -1) }
        #expect(HistoryError.seqOutOfRange(99, last: 67).description == "seq 99 is not in the journal, which holds seqs 0 to 67")
        #expect(try History.state(hub.journal, through: 0) == HubState())
    }
}

struct WatchDidNotStart: Error {}
