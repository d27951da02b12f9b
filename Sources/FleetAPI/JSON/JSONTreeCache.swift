import Foundation

/// Trees read recently, by the bytes they were read from: a journal repeats the same resources event after event
/// (every member applies the same snapshot), and a tree read again is then shared rather than built and kept again.
/// The bytes may be JSON text or the binary form; one cache holds one of them.
///
/// A table of `slots` entries indexed by a hash of the bytes; a tree whose slot another took is built again.
///
/// - Note: Not thread-safe: one reader (one thread) uses it at a time.
public final class JSONTreeCache {
    static let slots = 256

    private var table = [(bytes: [UInt8], tree: JSON)?](repeating: nil, count: slots)

    public init() {}

    /// The tree last read from exactly these bytes, or the one `build` makes from them.
    func tree<Failure: Error>(for bytes: UnsafeBufferPointer<UInt8>, build: () throws(Failure) -> JSON) throws(Failure) -> JSON {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let slot = Int(hash % UInt64(Self.slots))
        if let entry = table[slot], entry.bytes.count == bytes.count,
            entry.bytes.withUnsafeBytes({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 })
        {
            return entry.tree
        }
        let tree = try build()
        table[slot] = (Array(bytes), tree)
        return tree
    }
}
