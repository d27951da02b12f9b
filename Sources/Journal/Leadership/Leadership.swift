/// The journal's leader as a campaign left it: who holds the lease, where to reach them, under which epoch they
/// write, and until when.
///
/// A hub leads while `isHeld(by:)` its own name; it must stop writing once `remaining` has passed since it sent
/// the campaign (measured on its own monotonic clock: the store's clock only orders the holders), unless a newer
/// campaign renewed the lease meanwhile.
public struct Leadership: Sendable, Equatable {
    /// The hub holding the lease; empty before anyone campaigned.
    public var holder: String
    /// The holder's URL, where followers pass writes.
    public var address: String
    /// The epoch the holder's appends must carry.
    public var epoch: Int64
    /// When the lease ends, in milliseconds since 1970 on the store's clock; nil when it never ends.
    public var expires: Int64?
    /// How long the lease still ran when the store answered; nil when it never ends.
    public var remaining: Duration?

    public init(holder: String, address: String, epoch: Int64, expires: Int64?, remaining: Duration?) {
        self.holder = holder
        self.address = address
        self.epoch = epoch
        self.expires = expires
        self.remaining = remaining
    }

    /// True when `hub` holds the lease and it has not ended.
    public func isHeld(by hub: String) -> Bool {
        holder == hub && remaining.map { $0 > .zero } ?? true
    }
}
