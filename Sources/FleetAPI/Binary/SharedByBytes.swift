internal import ByteHashing
import Foundation

/// Values read from a binary image, by the bytes they were read from: an image repeats values by the thousand (every
/// member applies the same objects, every run of a strategy holds the same snapshot), and one read again is then
/// shared rather than built and kept again. A value whose slot another took is read again.
///
/// - Note: Not thread-safe: one decoder (one thread) uses it at a time.
final class SharedByBytes<Value> {
    /// Slots, a power of two.
    private let slots = 256
    /// Unchecked: a look-up is a few loads, and the dynamic exclusivity check on each cost as much again.
    @exclusivity(unchecked) private var table: [(bytes: [UInt8], value: Value)?]

    init() {
        table = Array(repeating: nil, count: slots)
    }

    /// The value last read from exactly these bytes (a whole value, so never none), or the one `read` makes from them.
    func value(for bytes: UnsafeBufferPointer<UInt8>, read: () throws -> Value) rethrows -> Value {
        let slot = ByteHash.of(bytes.baseAddress!, count: bytes.count) & (slots - 1)
        if let entry = table[slot], entry.bytes.count == bytes.count,
            entry.bytes.withUnsafeBytes({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 })
        {
            return entry.value
        }
        let value = try read()
        table[slot] = (Array(bytes), value)
        return value
    }
}
