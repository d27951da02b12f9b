import Foundation

/// Trees read recently, by the JSON text they were read from: a journal repeats the same resources event after event
/// (every member applies the same snapshot), and a tree read again is then shared rather than built and kept again.
///
/// The text is read in place, where finding a value's end first cost a pass over every byte: a value is found by its
/// first bytes and matched whole with one `memcmp`, and its end follows. A tree whose entry another took is built
/// again. (A binary image, whose values' extents are known before they are read, shares them with `SharedByBytes`.)
///
/// - Note: Not thread-safe: one reader (one thread) uses it at a time.
public final class JSONTreeCache {
    /// Sets of each table (a power of two), and the entries each holds: objects of one kind often share their
    /// first bytes, so a set keeps several.
    static let sets = 128
    static let ways = 4
    /// How many first bytes of a text value choose its set.
    static let window = 64

    /// The trees, as three arrays by entry so a lookup reads only the bytes; an entry with no bytes is free.
    /// Unchecked: a lookup is a few loads, and the dynamic exclusivity check on each cost as much again.
    @exclusivity(unchecked) private var textBytes = [[UInt8]](repeating: [], count: sets * ways)
    @exclusivity(unchecked) private var textTrees = [JSON](repeating: .null, count: sets * ways)
    /// What a reader last decoded from each entry's tree (`JSONPullReader.sharedValue(decodedBy:)`).
    @exclusivity(unchecked) private var textDecoded = [Any?](repeating: nil, count: sets * ways)
    /// The way of each set that the next new entry takes, round robin.
    @exclusivity(unchecked) private var victims = [Int](repeating: 0, count: sets)
    /// Values readers decoded from small texts (`JSONPullReader.sharedDecoded`), in a text table of their own so
    /// they do not push trees out: an entry's bytes, value, and the way of each set the next new entry takes.
    @exclusivity(unchecked) private var decodedBytes = [[UInt8]](repeating: [], count: sets * ways)
    @exclusivity(unchecked) private var decodedValues = [AnyObject?](repeating: nil, count: sets * ways)
    @exclusivity(unchecked) private var decodedVictims = [Int](repeating: 0, count: sets)
    /// The shapes of the objects read with this cache, so each new object of a known shape is built from the last.
    let templates = JSONObjectTemplates()
    /// The names a journal repeats (clusters, runs, placements), so each is made once while it keeps coming.
    let shortStrings = JSONShortStrings.allocate()

    public init() {}

    deinit {
        shortStrings.free()
    }

    /// The entry, tree and length of the JSON text object or array that starts at `start`, when it was remembered:
    /// a remembered text is one whole value, and an object or array ends at its closing bracket, so text that
    /// begins with it is that value.
    func entry(at start: UnsafePointer<UInt8>, available: Int) -> (entry: Int, tree: JSON, count: Int)? {
        let base = set(at: start, available: available) * Self.ways
        for index in base..<base + Self.ways {
            let count = textBytes[index].count
            if count > 0, count <= available,
                textBytes[index].withUnsafeBufferPointer({ memcmp($0.baseAddress!, start, count) == 0 })
            {
                return (index, textTrees[index], count)
            }
        }
        return nil
    }

    /// Keeps `tree`, read from exactly `bytes` (a whole object or array) that begin text of `available` bytes;
    /// returns its entry.
    @discardableResult
    func remember(_ tree: JSON, readFrom bytes: UnsafeBufferPointer<UInt8>, available: Int) -> Int {
        let set = set(at: bytes.baseAddress!, available: available)
        let way = victims[set]
        victims[set] = (way + 1) % Self.ways
        let entry = set * Self.ways + way
        textBytes[entry] = Array(bytes)
        textTrees[entry] = tree
        textDecoded[entry] = nil
        return entry
    }

    /// What was decoded from the tree of `entry`.
    func decoded(_ entry: Int) -> Any? {
        textDecoded[entry]
    }

    func keep(decoded value: Any, _ entry: Int) {
        textDecoded[entry] = value
    }

    /// The value decoded from the object or array text that starts at `start`, and the text's length, when it was
    /// remembered with `remember(decoded:readFrom:available:)`.
    @usableFromInline
    func decoded(at start: UnsafePointer<UInt8>, available: Int) -> (value: AnyObject, count: Int)? {
        let base = set(at: start, available: available) * Self.ways
        for index in base..<base + Self.ways {
            let count = decodedBytes[index].count
            if count > 0, count <= available,
                decodedBytes[index].withUnsafeBufferPointer({ memcmp($0.baseAddress!, start, count) == 0 })
            {
                return decodedValues[index].map { ($0, count) }
            }
        }
        return nil
    }

    /// Keeps `value`, decoded from exactly `bytes` (a whole object or array) that begin text of `available` bytes.
    @usableFromInline
    func remember(decoded value: AnyObject, readFrom bytes: UnsafeBufferPointer<UInt8>, available: Int) {
        let set = set(at: bytes.baseAddress!, available: available)
        let way = decodedVictims[set]
        decodedVictims[set] = (way + 1) % Self.ways
        decodedBytes[set * Self.ways + way] = Array(bytes)
        decodedValues[set * Self.ways + way] = value
    }

    private func set(at start: UnsafePointer<UInt8>, available: Int) -> Int {
        ByteHash.of(start, count: min(available, Self.window)) & (Self.sets - 1)
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
