import FleetAPI
import Foundation
import Journal
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

    /// A replay folds batch after batch, and only the objects whose version changed get it in their JSON at the
    /// end: at every batch size the state is the one folding events one at a time gives.
    @Test(arguments: [1, 2, 3, 7, 64])
    func batchAfterBatchShowsTheVersionsOfTheObjectsThatChanged(size: Int) throws {
        // Objects changed in place too: an approval's status and an edited ConfigMap.
        var scenario = try startedRun()
        try scenario.send(.updateStatus(ObjectKey(.clusterApprovalRequest, name: "example-run-canary"), Fixtures.approved))
        try scenario.apply(SeedManifests.configMap(value: "value2"))
        scenario.settle()
        var batched = HubState()
        var deferred = DeferredTouches()
        for start in stride(from: 0, to: scenario.envelopes.count, by: size) {
            let batch = scenario.envelopes[start..<min(start + size, scenario.envelopes.count)]
            batched.evolveDeferring(&deferred) { evolve in batch.forEach(evolve) }
        }
        let changed = deferred.unshown
        #expect(changed.contains(Fixtures.placementKey))
        #expect(batched.objects.values.contains { !changed.contains($0.key) })
        batched.showVersions(of: deferred)
        #expect(batched == scenario.state)
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

    /// A seed run up to its canary approval: events of many kinds, among them the cluster starts and successes a
    /// replay leaves for its folding thread to decode.
    private func startedRun() throws -> Scenario {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(Fixtures.runManifest(index: "0"))
        scenario.settle()
        scenario.passToCanaryApproval()
        return scenario
    }

    private func millis(_ envelope: Envelope) -> Int64 {
        Int64(envelope.time.timeIntervalSince1970 * 1000)
    }

    @Test func aReplayBatchHandsOnItsEventsInSeqOrderDecodingThoseLeftToTheFolder() throws {
        let scenario = try startedRun()
        var batch = ReplayBatch()
        for envelope in scenario.envelopes {
            if let kind = ReplayBatch.LeftToFold(type: envelope.event.typeName) {
                // Every other one spelled as the journal does not write it, which its direct reader leaves to the
                // general one.
                let json = try envelope.event.payload()
                let payload = batch.undecoded.count % 2 == 0 ? json.serialized() : Array(json.prettyPrinted().utf8)
                payload.withUnsafeBufferPointer {
                    batch.leave(seq: envelope.seq, kind: kind, millis: millis(envelope), actor: envelope.actor, payload: $0)
                }
            } else {
                batch.envelopes.append(envelope)
            }
        }
        #expect(batch.undecoded.count > 1 && batch.envelopes.count > 1)
        var handed: [Envelope] = []
        try batch.forEach(sharing: JSONTreeCache(), unsealing: nil) { handed.append($0) }
        #expect(handed == scenario.envelopes)
    }

    /// A payload that does not decode stops the replay with its error, whichever thread decodes it, and the events
    /// before it, in the same batch, are folded in.
    @Test(arguments: ["ClusterUpdateStarted.v1", "MemberApplied.v1"])
    func aReplayStopsAtAnEventThatDoesNotDecodeWithTheEventsBeforeFoldedIn(type: String) async throws {
        let scenario = try startedRun()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let journal = try Journal(path: path)
        defer { journal.close() }
        for envelope in scenario.envelopes {
            _ = try await journal.append(StreamWrite.appending([(envelope.actor, envelope.event)], millis: millis(envelope)))
        }
        _ = try await journal.append(
            stream: "broken", expected: .any,
            events: [NewEvent(type: type, time: 0, actor: "test", payload: Array(#"{"cluster":7}"#.utf8))])
        var state = HubState()
        #expect(throws: (any Error).self) { try state.replay(from: journal) }
        #expect(state.lastSeq == Int64(scenario.envelopes.count))
        #expect(state == scenario.state)
    }
}
