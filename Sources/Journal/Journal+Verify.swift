extension Journal {
    /// Checks every stored row: that it decompresses, that the hash chain recomputed from its content matches,
    /// that seqs run without gaps from 1, and that each stream's versions run 1, 2, 3, ….
    ///
    /// Stops at the first problem and names its seq. A missing row is named by its seq; rows missing from the end
    /// are caught against the last seq this instance has committed.
    ///
    /// ```swift
    /// let report = try journal.verify()
    /// if !report.isIntact { print("seq \(report.firstBadSeq!): \(report.problem!)") }
    /// ```
    ///
    /// With `seq`, checks only the rows after it, chaining from the stored hash of event `seq`: start-up trusts
    /// the prefix a checkpoint that matches that hash covers, and checks the tail.
    ///
    /// - Throws: `JournalError.sqlite`, `.postgres` or `.closed` when the rows cannot be read at all.
    public func verify(after seq: Int64 = 0) throws(JournalError) -> VerifyReport {
        try store.verify(after: seq, committed: durableSeq)
    }
}
