import Foundation

/// Values read from a binary image, by the bytes they were read from: an image repeats values by the thousand (every
/// member applies the same objects, every run of a strategy holds the same snapshot), and one read again is then
/// shared rather than built and kept again. Kept in a `TextTable`, as replay keeps JSON text's trees, matched by the
/// value's exact bytes (its extent is known before it is read). A value whose entry another took is read again.
///
/// - Note: Not thread-safe: one decoder (one thread) uses it at a time.
final class SharedByBytes<Value> {
    /// Unchecked: a look-up is a few loads, and the dynamic exclusivity check on each cost as much again.
    @exclusivity(unchecked) private var table = TextTable<Value>()

    /// The value last read from exactly these bytes (a whole value, so never none), or the one `read` makes from them.
    func value(for bytes: UnsafeBufferPointer<UInt8>, read: () throws -> Value) rethrows -> Value {
        if let found = table.find(at: bytes.baseAddress!, available: bytes.count), found.count == bytes.count {
            return found.value
        }
        let value = try read()
        table.keep(value, readFrom: bytes, available: bytes.count)
        return value
    }
}
