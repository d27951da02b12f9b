/// The compact binary form `BinaryValueEncoder` writes and `BinaryValueDecoder` reads: a value as `Codable` sees it,
/// with `JSON` trees kept natively, and every string stored once.
///
/// Layout: the format version byte, the string table (a varint count, then each string as a varint length and
/// its UTF-8 bytes), then one value. A value is a tag byte and its body:
///
/// | tag | body |
/// |---|---|
/// | `null`, `false`, `true` | none |
/// | `int` | a zigzag varint |
/// | `uint` | a varint |
/// | `double`, `date` | 8 bytes, little-endian IEEE 754 bits (a date as seconds since 1970) |
/// | `string` | the varint index of the string in the table |
/// | `array`, `object`, `keyed`, `unkeyed` | a 4-byte little-endian length of what follows it, a 4-byte count, then the elements (for `object` and `keyed`, each a key string index and a value) |
///
/// Containers carry their length so a reader can step over any value without reading it: a keyed lookup that is
/// not the next entry skips to the one it wants. Dictionaries keyed by strings or integers and `JSON` objects are
/// written in key order, so equal values give equal bytes.
enum BinaryTag: UInt8 {
    case null = 0
    case `false` = 1
    case `true` = 2
    case int = 3
    case uint = 4
    case double = 5
    case string = 6
    /// A `JSON` array.
    case array = 7
    /// A `JSON` object.
    case object = 8
    /// A keyed container.
    case keyed = 9
    /// An unkeyed container.
    case unkeyed = 10
    case date = 11
}

enum BinaryFormat {
    /// The first byte of every encoding; a reader refuses any other.
    static let version: UInt8 = 1
    /// Bytes of a container's header after its tag: the length and the count.
    static let containerHeader = 8
}
