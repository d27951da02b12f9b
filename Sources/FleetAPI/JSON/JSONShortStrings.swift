/// Short strings read recently, by their bytes: a journal names the same clusters, runs and placements event after
/// event, and making each again (`String(decoding:)` validates the UTF-8 before it builds a small string) cost
/// about 190 instructions, two or three times an event (430 and an allocation past 15 bytes). A string found here
/// costs a hash and four compares.
///
/// A string of up to 24 bytes is held by its length and three words that cover its bytes, so finding it reads no
/// array of bytes; a string whose slot another took is made again.
///
/// A table is a pointer to its slots, so a parser holds one without counting references to it (a retained class
/// cost a fifth of finding a string); the `JSONTreeCache` that makes it frees it.
///
/// - Note: Not thread-safe: one reader (one thread) uses it at a time, as `JSONTreeCache`, which holds it.
struct JSONShortStrings {
    /// The longest string kept: three words' worth, as long as a placement's or snapshot's name. Longer ones
    /// (uids, messages) rarely repeat.
    static let longest = 24
    /// Slots in the table, a power of two: enough for the names of a few thousand members and runs.
    static let slotBits = 12
    static let slots = 1 << slotBits

    private struct Entry {
        /// 0 for a free slot.
        var count = 0
        var first: UInt64 = 0
        var middle: UInt64 = 0
        var last: UInt64 = 0
        var string = ""
    }

    /// Allocated once and read in place: an array's uniqueness and bounds checks cost a third of a lookup.
    private let entries: UnsafeMutablePointer<Entry>

    /// A new table, to be freed with `free()`.
    static func allocate() -> JSONShortStrings {
        let entries = UnsafeMutablePointer<Entry>.allocate(capacity: slots)
        entries.initialize(repeating: Entry(), count: slots)
        return JSONShortStrings(entries: entries)
    }

    func free() {
        entries.deinitialize(count: Self.slots)
        entries.deallocate()
    }

    /// The string of the `count` bytes at `start` (1 to `longest` of them), the instance made before when it was;
    /// `available` bytes may be read from `start`, at least `count`.
    func string(_ start: UnsafePointer<UInt8>, count: Int, available: Int) -> String {
        let (first, middle, last) = Self.words(start, count: count, available: available)
        // The top bits of a product, which every bit of the factor reaches: names differ in their last bytes.
        let mixed = (first &* 0x9E37_79B9_7F4A_7C15) ^ (middle &* 0xC2B2_AE3D_27D4_EB4F) ^ last ^ UInt64(truncatingIfNeeded: count)
        let entry = entries + Int(truncatingIfNeeded: (mixed &* 0xFF51_AFD7_ED55_8CCD) >> (64 - Self.slotBits))
        if entry.pointee.count == count, entry.pointee.first == first, entry.pointee.middle == middle,
            entry.pointee.last == last
        {
            return entry.pointee.string
        }
        let string = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
        entry.pointee = Entry(count: count, first: first, middle: middle, last: last, string: string)
        return string
    }

    /// Three words that together hold every one of the bytes, so equal words of equal lengths are equal bytes: from
    /// eight bytes on, the first eight, the next eight past sixteen, and the last eight (overlapping the others);
    /// below, the bytes in the first word, read whole when eight may be read and masked to the string's.
    @inline(__always)
    static func words(_ start: UnsafePointer<UInt8>, count: Int, available: Int) -> (UInt64, UInt64, UInt64) {
        let raw = UnsafeRawPointer(start)
        if count >= 8 {
            let middle = count > 16 ? raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self) : 0
            return (
                raw.loadUnaligned(as: UInt64.self), middle, raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            )
        }
        if available >= 8 {
            let word = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
            return (word & ((1 &<< UInt64(count &* 8)) &- 1), 0, 0)
        }
        var word: UInt64 = 0
        for index in 0..<count { word |= UInt64(start[index]) &<< UInt64(index &* 8) }
        return (word, 0, 0)
    }
}
