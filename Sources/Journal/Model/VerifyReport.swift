/// The outcome of `Journal.verify()`: how many rows were checked, and the first one that failed, if any.
public struct VerifyReport: Sendable, Equatable {
    /// Rows examined, including the failing one.
    public let eventsChecked: Int64
    /// The first seq whose stored row no longer matches (or the first missing seq).
    public let firstBadSeq: Int64?
    /// What is wrong at `firstBadSeq`.
    public let problem: String?

    /// True when every row decoded, chained and followed its stream's versions.
    public var isIntact: Bool { firstBadSeq == nil && problem == nil }

    public init(eventsChecked: Int64, firstBadSeq: Int64? = nil, problem: String? = nil) {
        self.eventsChecked = eventsChecked
        self.firstBadSeq = firstBadSeq
        self.problem = problem
    }
}
