import FleetAPI
import Foundation
import Journal

extension Hub {
    /// What start-up rebuilt: the state, the checkpoint it started from, and, for a read-only start on a broken
    /// chain, why it stops where it does.
    struct Restored {
        var state: HubState
        var checkpointSeq: Int64
        var refusal: String?
    }

    /// The newest checkpoint that matches the chain and decodes, then the tail after it, verified first: a
    /// broken chain stops the start, or with `readOnly` the replay stops before the first bad seq.
    static func restore(_ journal: Journal, readOnly: Bool, sealing: Sealing? = nil) throws -> Restored {
        var state = try checkpointedState(journal, unsealing: sealing) ?? HubState()
        let report = try journal.verify(after: state.lastSeq)
        var refusal: String?
        var end = Int64.max
        if let bad = report.firstBadSeq {
            let broken = HubStartError.brokenChain(seq: bad, problem: report.problem ?? "")
            guard readOnly else { throw broken }
            refusal = "it shows a broken journal as of seq \(bad - 1), the last before the break at seq \(bad) (\(report.problem ?? ""))"
            end = bad - 1
        }
        let checkpointSeq = state.lastSeq
        try state.replay(from: journal, through: end, unsealing: sealing)
        return Restored(state: state, checkpointSeq: checkpointSeq, refusal: refusal)
    }

    /// The state of the newest checkpoint at or before `seq` that matches the chain and decodes, its sealed objects
    /// opened with `sealing`; nil when there is none. Images are read one at a time, only until one serves.
    static func checkpointedState(_ journal: Journal, through seq: Int64 = .max, unsealing sealing: Sealing?) throws -> HubState? {
        let saved = try journal.newestCheckpoint { checkpoint -> HubState? in
            guard checkpoint.seq <= seq, let state = try? decodeCheckpoint(checkpoint.image), state.lastSeq == checkpoint.seq
            else { return nil }
            return state
        }
        return saved.map { sealing?.unseal($0) ?? $0 }
    }

    /// The seq of the newest checkpoint this build can load; nil when there is none. One of another build's
    /// projections is skipped at start-up, which then replays from an older one.
    public static func loadableCheckpointSeq(in journal: Journal) throws -> Int64? {
        try checkpointedState(journal, unsealing: nil)?.lastSeq
    }

    /// A checkpoint image: every projection at one seq. An image this build does not load (another build's
    /// projections, damage, or one that does not hold the seq it is filed under) is skipped for an older one, or a
    /// replay from the start.
    static func decodeCheckpoint(_ image: [UInt8]) throws -> HubState {
        try CheckpointImage.decode(image)
    }

    /// With `sealing`, the image holds the sealed objects, byte for byte those the journal's events hold.
    static func encodeCheckpoint(_ state: HubState, sealing: Sealing? = nil) throws -> [UInt8] {
        try CheckpointImage.encode(try sealing?.seal(state) ?? state)
    }

    /// Writes a checkpoint of the durable projections, after the one being written in the background, if any.
    public func checkpoint() async throws {
        await checkpointsWritten()
        let snapshot = state
        try await journal.saveCheckpoint(seq: snapshot.lastSeq, image: try Self.encodeCheckpoint(snapshot, sealing: sealing))
        checkpointedSeq = max(checkpointedSeq, snapshot.lastSeq)
    }

    /// Starts a checkpoint of the durable projections off the actor, one at a time: encoding a large state takes
    /// long, and writes go on meanwhile. The state is a value, so the image is of exactly one seq.
    func checkpointInBackground() {
        guard checkpointWriter == nil else { return }
        let snapshot = state
        checkpointWriter = Task.detached { [journal, logger, sealing] in
            do {
                try await journal.saveCheckpoint(seq: snapshot.lastSeq, image: try Self.encodeCheckpoint(snapshot, sealing: sealing))
            } catch JournalError.closed {
                return
            } catch {
                logger.error("could not write a checkpoint", metadata: ["seq": "\(snapshot.lastSeq)", "cause": "\(error)"])
            }
            await self.checkpointWritten(through: snapshot.lastSeq)
        }
    }

    private func checkpointWritten(through seq: Int64) {
        checkpointWriter = nil
        checkpointedSeq = max(checkpointedSeq, seq)
    }

    /// Waits for the checkpoint being written in the background, if any.
    public func checkpointsWritten() async {
        await checkpointWriter?.value
    }

    /// A checkpoint whose image is not what replaying its prefix gives, or that does not match the chain.
    public struct CheckpointProblem: Sendable, Equatable, CustomStringConvertible {
        public var seq: Int64
        public var problem: String
        public var description: String { "checkpoint at seq \(seq): \(problem)" }
    }

    /// Whether this build loads `image`: one of another build's projections is left for start-up to skip.
    public static func checkpointIsLoadable(_ image: [UInt8]) -> Bool {
        CheckpointImage.isLoadable(image)
    }

    /// Checks every checkpoint against the chain, and every one of this build's projections against a replay of
    /// the events up to its seq, in one pass.
    public static func verifyCheckpoints(_ journal: Journal) throws -> [CheckpointProblem] {
        let checkpoints = try journal.checkpoints().sorted { $0.seq < $1.seq }
        var problems = checkpoints.filter { !$0.matchesChain }.map {
            CheckpointProblem(seq: $0.seq, problem: "its hash does not match the chain hash of event \($0.seq)")
        }
        var pending = checkpoints.filter { $0.matchesChain && checkpointIsLoadable($0.image) }[...]
        var state = HubState()
        func compare() throws {
            while let next = pending.first, next.seq == state.lastSeq {
                pending.removeFirst()
                if try CheckpointImage.encode(state) != next.image {
                    problems.append(CheckpointProblem(seq: next.seq, problem: "its image differs from a replay of events 1...\(next.seq)"))
                }
            }
        }
        try compare()
        if let last = pending.last?.seq {
            try journal.replay(after: 0, through: last) { event in
                state.evolve(try Envelope(event))
                try compare()
            }
        }
        return problems.sorted { $0.seq < $1.seq }
    }
}
