internal import Dispatch

extension Journal {
    /// Campaigns for the leadership of the journal's store as `holder`, reachable at `address`: renews `holder`'s
    /// lease to last `lease` from now, or takes an ended lease (or the one nobody held yet) under the next epoch,
    /// which fences off the writers of every older one; a live lease of another hub is left alone. All in one
    /// transaction on the database's clock. Returns the leader as it then stands: `holder` leads when
    /// `isHeld(by: holder)`, and a follower that won promotes its journal with `promote(epoch:)`.
    ///
    /// A leader campaigns well within `lease` and must stop writing (`demote()`) once `remaining` has passed
    /// since it sent a campaign that renewed it: another hub may then take over.
    ///
    /// On a SQLite file the campaigner always leads, at epoch 0, for good: a file has one hub.
    ///
    /// - Throws: `JournalError.closed`, or the store's error.
    public func campaign(holder: String, address: String, lease: Duration) throws(JournalError) -> Leadership {
        try store.campaign(hub: holder, address: address, lease: lease)
    }

    /// Returns once the store holds a commit after `seq`, by this instance or another writer, or once `timeout`
    /// has passed; either way with the newest committed seq, which `refresh(committed:)` then makes readable here.
    ///
    /// PostgreSQL wakes the waiter with LISTEN/NOTIFY; a SQLite file is polled every few milliseconds. The wait
    /// blocks a thread outside Swift's cooperative pool.
    ///
    /// - Throws: `JournalError.closed`, or the store's error.
    public func waitForCommit(after seq: Int64, timeout: Duration) async throws(JournalError) -> Int64 {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Int64, JournalError>, Never>) in
            DispatchQueue.global().async {
                continuation.resume(
                    returning: Result { () throws(JournalError) in
                        try self.store.waitForCommit(after: seq, timeout: timeout)
                    })
            }
        }
        return try result.get()
    }
}
