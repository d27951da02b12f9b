/// The two objects a batch of events touched last, and the seq each was last touched at, stamped on the object only
/// once it falls out (or the batch ends): most of a replay's events touch the run or the placement an event just
/// before touched, and noting that here costs a comparison of keys rather than a lookup of the object. Two slots
/// rather than an array, compared where they lie: copying a key out or growing an array cost what the lookup did.
///
/// Kept from batch to batch, it also gathers the objects whose JSON does not show their resourceVersion yet, so that
/// the end of a fold writes it into those alone: looking at every object to find them cost a replay of a million
/// events about 80 ms on one thread, a fifth of the objects needing it.
struct DeferredTouches {
    typealias Touch = (key: ObjectKey, seq: Int64)

    /// The latest touch first; only the first `count` are touches.
    private var keys = (ObjectKey(kind: "", name: ""), ObjectKey(kind: "", name: ""))
    private var seqs: (Int64, Int64) = (0, 0)
    private var count = 0

    /// The touches not stamped yet.
    var pending: [Touch] { [(keys.0, seqs.0), (keys.1, seqs.1)].prefix(count).map { $0 } }

    /// Objects given a resourceVersion their JSON does not show yet.
    private(set) var unshown: Set<ObjectKey> = []

    /// Hands over the touches not stamped yet, as a batch ends, and forgets them.
    mutating func takePending() -> [Touch] {
        defer { count = 0 }
        return pending
    }

    /// Notes that `key`'s JSON no longer shows its resourceVersion.
    mutating func versionChanged(_ key: ObjectKey) {
        unshown.insert(key)
    }

    /// Notes a touch; the touch it pushes out, which the caller stamps now.
    mutating func note(_ key: ObjectKey, at seq: Int64) -> Touch? {
        if count > 0 && keys.0 == key {
            seqs.0 = seq
            return nil
        }
        if count > 1 && keys.1 == key {
            swap(&keys.0, &keys.1)
            seqs = (seq, seqs.0)
            return nil
        }
        let pushedOut: Touch? = count == 2 ? (keys.1, seqs.1) : nil
        swap(&keys.0, &keys.1)
        keys.0 = key
        seqs = (seq, seqs.0)
        count = min(count + 1, 2)
        return pushedOut
    }
}
