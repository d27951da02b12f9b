import Foundation

/// Trees read recently, by the JSON text they were read from: a journal repeats the same resources event after event
/// (every member applies the same snapshot), and a tree read again is then shared rather than built and kept again.
/// The text is read in place and each tree found by its first bytes (`TextTable`). (A binary image, whose values'
/// extents are known before they are read, shares them with `SharedByBytes`.)
///
/// - Note: Not thread-safe: one reader (one thread) uses it at a time.
public final class JSONTreeCache {
    /// Unchecked: a lookup is a few loads, and the dynamic exclusivity check on each cost as much again.
    @exclusivity(unchecked) private var trees = TextTable<JSON>()
    /// What a reader last decoded from each entry's tree (`JSONPullReader.sharedValue(decodedBy:)`).
    @exclusivity(unchecked) private var treesDecoded = [Any?](repeating: nil, count: TextTable<JSON>.entries)
    /// Values readers decoded from small texts (`JSONPullReader.sharedDecoded`), in a table of their own so they do
    /// not push trees out.
    @exclusivity(unchecked) private var decodedValues = TextTable<AnyObject>()
    /// The shapes of the objects read with this cache, so each new object of a known shape is built from the last.
    let templates = JSONObjectTemplates()
    /// The names a journal repeats (clusters, runs, placements), so each is made once while it keeps coming.
    let shortStrings = JSONShortStrings.allocate()

    public init() {}

    deinit {
        shortStrings.free()
    }

    /// The entry, tree and length of the JSON text object or array that starts at `start`, when it was remembered.
    func entry(at start: UnsafePointer<UInt8>, available: Int) -> (entry: Int, tree: JSON, count: Int)? {
        trees.find(at: start, available: available).map { ($0.entry, $0.value, $0.count) }
    }

    /// Keeps `tree`, read from exactly `bytes` (a whole object or array) that begin text of `available` bytes;
    /// returns its entry.
    @discardableResult
    func remember(_ tree: JSON, readFrom bytes: UnsafeBufferPointer<UInt8>, available: Int) -> Int {
        let entry = trees.keep(tree, readFrom: bytes, available: available)
        treesDecoded[entry] = nil
        return entry
    }

    /// What was decoded from the tree of `entry`.
    func decoded(_ entry: Int) -> Any? {
        treesDecoded[entry]
    }

    func keep(decoded value: Any, _ entry: Int) {
        treesDecoded[entry] = value
    }

    /// The value decoded from the object or array text that starts at `start`, and the text's length, when it was
    /// remembered with `remember(decoded:readFrom:available:)`.
    @usableFromInline
    func decoded(at start: UnsafePointer<UInt8>, available: Int) -> (value: AnyObject, count: Int)? {
        decodedValues.find(at: start, available: available).map { ($0.value, $0.count) }
    }

    /// Keeps `value`, decoded from exactly `bytes` (a whole object or array) that begin text of `available` bytes.
    @usableFromInline
    func remember(decoded value: AnyObject, readFrom bytes: UnsafeBufferPointer<UInt8>, available: Int) {
        decodedValues.keep(value, readFrom: bytes, available: available)
    }
}

/// A value kept by `JSONTreeCache` for `JSONPullReader.sharedDecoded`: a class, so taking it out is a cast of a
/// reference to a known class rather than of an existential.
@usableFromInline final class JSONDecodedBox<Value> {
    @usableFromInline let value: Value

    @usableFromInline init(_ value: Value) {
        self.value = value
    }
}
