/// Checks stored rows one at a time, in seq order, as `Journal.verify` does on either store: each decodes, its
/// recomputed chain hash matches, seqs run without gaps, and each stream's versions run 1, 2, 3, ….
struct ChainVerifier {
    private(set) var checked: Int64 = 0
    private let start: Int64
    private var expectedSeq: Int64
    private var previous: [UInt8]
    private var versions: [String: Int64] = [:]

    /// Starts after event `start`, whose stored hash is `hash` (the genesis hash at 0).
    init(after start: Int64, hash: [UInt8]) {
        self.start = start
        expectedSeq = start + 1
        previous = hash
    }

    /// Checks the next row; `payload` is its decoded payload, nil when it did not decode. `versionBefore` gives a
    /// stream's version at `start`, asked once per stream, and only when `start` is past 0.
    ///
    /// - Returns: The report naming the row's problem, or nil when it holds.
    mutating func check<Failure: Error>(
        _ row: StoredEvent, payload: [UInt8]?, versionBefore: (String) throws(Failure) -> Int64
    ) throws(Failure) -> VerifyReport? {
        checked += 1
        func bad(_ problem: String, at seq: Int64? = nil) -> VerifyReport {
            VerifyReport(eventsChecked: checked, firstBadSeq: seq ?? row.seq, problem: problem)
        }
        guard row.seq == expectedSeq else {
            return bad("seq \(expectedSeq) is missing", at: expectedSeq)
        }
        guard let payload else {
            return bad("payload does not decompress to \(row.rawLength) bytes with dictionary \(row.dictionaryID)")
        }
        guard ChainHash.hash(of: row.recorded(payload: payload), previous: previous) == row.hash else {
            return bad("stored row does not match its chain hash")
        }
        var streamVersion = versions[row.stream] ?? 0
        if versions[row.stream] == nil && start > 0 {
            streamVersion = try versionBefore(row.stream)
        }
        guard row.version == streamVersion + 1 else {
            return bad("version \(row.version) does not follow version \(streamVersion) of its stream")
        }
        versions[row.stream] = row.version
        previous = row.hash
        expectedSeq += 1
        return nil
    }

    /// The report once every row is checked: rows missing from the end are caught against `committed`.
    func finish(committed: Int64) -> VerifyReport {
        guard expectedSeq > committed else {
            return VerifyReport(
                eventsChecked: checked, firstBadSeq: expectedSeq,
                problem: "events from seq \(expectedSeq) to \(committed) are missing")
        }
        return VerifyReport(eventsChecked: checked)
    }
}
