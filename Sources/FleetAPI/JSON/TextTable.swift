internal import ByteHashing
import Foundation

/// Values by the JSON text of the object or array they were read from, for a reader that reads text in place, where
/// finding a value's end first cost a pass over every byte: a value is found by the text's first bytes (which choose
/// a set of a few entries) and matched whole with one `memcmp`, and its end follows, as a remembered text is one whole
/// value and an object or array ends at its closing bracket. A value whose entry another took is read again.
///
/// Entries are numbered, so a caller may keep more beside each (`JSONTreeCache` keeps what was decoded from a tree).
/// A binary image's values, whose extents are known, are kept here too, matched by their exact length
/// (`SharedByBytes`).
struct TextTable<Value> {
    /// Sets (a power of two), and the entries each holds: objects of one kind often share their first bytes, so a
    /// set keeps several.
    static var sets: Int { 128 }
    static var ways: Int { 4 }
    static var entries: Int { sets * ways }
    /// How many first bytes of a text choose its set.
    static var window: Int { 64 }

    /// By entry, so a lookup reads only the bytes; an entry with no bytes is free.
    private var bytes = [[UInt8]](repeating: [], count: entries)
    private var values = [Value?](repeating: nil, count: entries)
    /// The way of each set that the next new entry takes, round robin.
    private var victims = [Int](repeating: 0, count: sets)

    /// The entry, value and text length of the object or array text that starts at `start`, when it was kept;
    /// `available` bytes may be read from `start`.
    func find(at start: UnsafePointer<UInt8>, available: Int) -> (entry: Int, value: Value, count: Int)? {
        let base = Self.set(at: start, available: available) * Self.ways
        for index in base..<base + Self.ways {
            let count = bytes[index].count
            if count > 0, count <= available, bytes[index].withUnsafeBufferPointer({ memcmp($0.baseAddress!, start, count) == 0 }),
                let value = values[index]
            {
                return (index, value, count)
            }
        }
        return nil
    }

    /// Keeps `value`, read from exactly `text` (a whole object or array) that begins text of `available` bytes;
    /// returns its entry.
    @discardableResult
    mutating func keep(_ value: Value, readFrom text: UnsafeBufferPointer<UInt8>, available: Int) -> Int {
        let set = Self.set(at: text.baseAddress!, available: available)
        let way = victims[set]
        victims[set] = (way + 1) % Self.ways
        let entry = set * Self.ways + way
        bytes[entry] = Array(text)
        values[entry] = value
        return entry
    }

    private static func set(at start: UnsafePointer<UInt8>, available: Int) -> Int {
        ByteHash.of(start, count: min(available, window)) & (sets - 1)
    }
}
