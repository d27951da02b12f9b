internal import Dispatch

/// Where a journal's rows live: the SQLite file (`SQLiteStore`) or a PostgreSQL database (`PostgresStore`).
///
/// `Journal` keeps everything about ordering, chain hashes, versions and group commit, and asks its store only to
/// write a batch in one transaction and to read rows back. Each call covers a whole batch or a whole read, so the
/// dynamic dispatch costs nothing per event; the per-event loops live inside each store, on concrete types.
///
/// - Note: The writer's methods run only on `queue`, the journal's serial writer queue; every method of the store
///   itself is thread-safe and reads committed rows only.
protocol JournalStore: AnyObject, Sendable {
    associatedtype Writer: StoreWriter

    /// The serial queue all writes run on.
    var queue: DispatchQueue { get }

    /// The one writer of the store.
    var writer: Writer { get }

    /// Uncompressed dictionaries by id, shared by the writer (which adds the ones it creates) and the readers.
    var dictionaries: DictionaryCache { get }

    /// The seq and chain hash of the last event stored when the store was opened (0 and the genesis hash when empty).
    var lastSeq: Int64 { get }
    var lastHash: [UInt8] { get }

    /// Closes the readers' connections; later reads fail with `JournalError.closed`.
    func closeReaders()

    /// The highest stored seq, committed by whichever writer; 0 when the store is empty.
    func committedSeq() throws(JournalError) -> Int64

    /// The highest stored version of `stream`; 0 when it has none.
    func storedVersion(of stream: String) throws(JournalError) -> Int64

    /// Up to `limit` events with `seq` in `after+1...through`, in seq order.
    func events(after seq: Int64, through end: Int64, limit: Int) throws(JournalError) -> [RecordedEvent]

    /// Every stored event of `stream`, in version order.
    func events(of stream: String) throws(JournalError) -> [RecordedEvent]

    /// Counts and sizes, from one consistent snapshot.
    func stats() throws(JournalError) -> JournalStats

    /// Every stored checkpoint without its image, newest first.
    func checkpointHeads() throws(JournalError) -> [CheckpointHead]

    /// The stored (compressed) image of the checkpoint at `seq`; nil when there is none.
    func checkpointImage(at seq: Int64) throws(JournalError) -> [UInt8]?

    /// Feeds every event with `seq` in `after+1...through` to `body` through one read, decoded by `ReplayDecoder`.
    func replay(after seq: Int64, through end: Int64, _ body: (ReplayedEvent) throws -> Void) throws

    /// Checks the rows after `seq` with a `ChainVerifier`; `committed` is the last seq known to be durable.
    func verify(after seq: Int64, committed: Int64) throws(JournalError) -> VerifyReport

    /// `hub`'s campaign for the leadership (see `Journal.campaign`).
    func campaign(hub: String, address: String, lease: Duration) throws(JournalError) -> Leadership

    /// Blocks until the store holds a commit after `seq` or `timeout` passes, and returns the committed seq.
    func waitForCommit(after seq: Int64, timeout: Duration) throws(JournalError) -> Int64
}

/// A store's only writer: it owns the read-write connection and the compression state.
///
/// - Note: Every method runs on the journal's serial writer queue (each conformer checks with
///   `dispatchPrecondition`), which is why conformers may be `@unchecked Sendable`.
protocol StoreWriter: AnyObject, Sendable {
    /// Compresses and inserts `events` (consecutive, in seq order) in one transaction, and returns once it is
    /// durable, with the dictionaries it created on the way.
    func commit(_ events: [RecordedEvent]) throws(JournalError) -> [CreatedDictionary]

    /// Stores a checkpoint image with the chain hash of event `seq`, replacing one at the same seq, and drops all
    /// but the newest `retained`.
    func saveCheckpoint(seq: Int64, rawLength: Int, stored: [UInt8], retained: Int) throws(JournalError)

    /// What "durable" means for the writer's commits, as the database reports it.
    func synchronousSetting() throws(JournalError) -> Synchronous

    /// Makes the writer of a journal opened read-only write under `epoch`, from the stored tip it returns.
    func promote(epoch: Int64) throws(JournalError) -> (lastSeq: Int64, lastHash: [UInt8])

    /// Closes the writer's connection; later writes fail with `JournalError.closed`.
    func close()
}

/// A stored checkpoint without its image: where it is, and whether it belongs to this chain.
struct CheckpointHead {
    var seq: Int64
    var rawLength: Int
    var hash: [UInt8]
    var matchesChain: Bool
}
