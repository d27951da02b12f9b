/// What a campaign does with the leader row, decided from the row and the store's clock alone (no I/O): the
/// store's campaign reads the row under a lock, asks this, and carries the answer out in the same transaction.
enum LeaseDecision: Equatable {
    /// The campaigner holds a live lease: extend it, same epoch.
    case renew
    /// The lease has ended (or nobody ever held it): the campaigner takes it under the next epoch, which fences
    /// off every writer of an older one.
    case take
    /// Someone else holds a live lease: leave the row as it is.
    case follow

    /// The decision for `hub` campaigning at `now` (milliseconds on the store's clock) against a row whose lease,
    /// held by `holder`, ends at `expires`.
    ///
    /// A holder whose own lease ended takes it again under a new epoch, like anyone else: it had to stop writing
    /// when the lease ended, so it starts over as a new writer rather than carrying on as the old one.
    static func decide(holder: String, expires: Int64, hub: String, now: Int64) -> LeaseDecision {
        if expires <= now { return .take }
        return holder == hub ? .renew : .follow
    }
}
