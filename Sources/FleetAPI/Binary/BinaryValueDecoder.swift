import Foundation

/// Decodes `Decodable` values from the binary form `BinaryValueEncoder` writes (see `BinaryFormat`), without
/// building a `JSON` tree for anything but the `JSON` values it holds.
///
/// Every read is bounds-checked: damaged or foreign bytes throw `DecodingError.dataCorrupted`, never read outside
/// the buffer. Errors carry no coding path; they are for refusing an image, not for telling a user what to fix.
public struct BinaryValueDecoder: Sendable {
    public init() {}

    /// Decodes `type` from `bytes`, without copying them when they are contiguous (an `Array` or a slice of one).
    public func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws -> T {
        if let result = try bytes.withContiguousStorageIfAvailable({ buffer in try decode(type, from: buffer) }) {
            return result
        }
        return try Array(bytes).withUnsafeBufferPointer { buffer in try decode(type, from: buffer) }
    }

    /// Calls `body` with the fields of the keyed value `bytes` hold (a struct's stored properties), which it can
    /// decode one by one, on several threads at once: a large image loads in about the time of its largest part.
    public func decodeFields<R>(from bytes: ArraySlice<UInt8>, _ body: (BinaryFields) throws -> R) throws -> R {
        try bytes.withUnsafeBufferPointer { buffer in
            let decoder = try self.decoder(for: buffer)
            guard try decoder.reader.skip(at: decoder.reader.position) == buffer.count else {
                throw BinaryReader.corrupt("bytes after the value")
            }
            return try body(BinaryFields(reader: decoder.reader, strings: decoder.strings))
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, from buffer: UnsafeBufferPointer<UInt8>) throws -> T {
        let decoder = try self.decoder(for: buffer)
        let start = decoder.reader.position
        let value = try decoder.decodeValue(T.self, at: start)
        guard try decoder.reader.skip(at: start) == buffer.count else {
            throw BinaryReader.corrupt("bytes after the value")
        }
        return value
    }

    /// A decoder standing at the value, after reading the format byte and the string table.
    private func decoder(for buffer: UnsafeBufferPointer<UInt8>) throws -> BinaryDecoding {
        var reader = BinaryReader(buffer)
        guard try reader.byte() == BinaryFormat.version else {
            throw BinaryReader.corrupt("not a binary value of format \(BinaryFormat.version)")
        }
        let count = try reader.varint()
        guard count <= UInt64(buffer.count) else { throw BinaryReader.corrupt("a string table longer than its image") }
        var strings: [String] = []
        strings.reserveCapacity(Int(count))
        for _ in 0..<count {
            let length = try reader.length()
            strings.append(String(decoding: try reader.bytes(length), as: UTF8.self))
        }
        return BinaryDecoding(reader: reader, strings: strings)
    }
}

/// The fields of one keyed value in a binary image, each decoded on its own; see `BinaryValueDecoder.decodeFields`.
///
/// `@unchecked Sendable`: it only reads the image's bytes and its string table, neither of which changes while
/// `decodeFields` runs, and each `decode` makes a decoder of its own. It must not outlive that call.
public struct BinaryFields: @unchecked Sendable {
    let reader: BinaryReader
    let strings: [String]

    public func decode<T: Decodable>(_ type: T.Type, forKey key: String) throws -> T {
        let decoder = BinaryDecoding(reader: reader, strings: strings)
        let container = try decoder.container(keyedBy: BinaryFieldKey.self)
        return try container.decode(type, forKey: BinaryFieldKey(stringValue: key))
    }
}

private struct BinaryFieldKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(stringValue: String) {
        self.stringValue = stringValue
    }

    init?(intValue: Int) {
        nil
    }
}

/// Bounds-checked reads from a byte buffer, at explicit offsets.
struct BinaryReader {
    let buffer: UnsafeBufferPointer<UInt8>
    var position = 0

    init(_ buffer: UnsafeBufferPointer<UInt8>) {
        self.buffer = buffer
    }

    static func corrupt(_ reason: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: [], debugDescription: "binary value: \(reason)"))
    }

    mutating func byte() throws -> UInt8 {
        guard position < buffer.count else { throw Self.corrupt("truncated") }
        defer { position += 1 }
        return buffer[position]
    }

    mutating func varint() throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try byte()
            guard shift < 64 else { throw Self.corrupt("a varint over 64 bits") }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    /// A varint that counts bytes still in the buffer.
    mutating func length() throws -> Int {
        let value = try varint()
        guard value <= UInt64(buffer.count - position) else { throw Self.corrupt("a length past the end") }
        return Int(value)
    }

    mutating func bytes(_ count: Int) throws -> UnsafeBufferPointer<UInt8> {
        guard count <= buffer.count - position else { throw Self.corrupt("truncated") }
        defer { position += count }
        return UnsafeBufferPointer(rebasing: buffer[position..<position + count])
    }

    mutating func uint32() throws -> UInt32 {
        guard buffer.count - position >= 4 else { throw Self.corrupt("truncated") }
        var value: UInt32 = 0
        for index in 0..<4 { value |= UInt32(buffer[position + index]) << UInt32(8 * index) }
        position += 4
        return value
    }

    mutating func uint64Bits() throws -> UInt64 {
        guard buffer.count - position >= 8 else { throw Self.corrupt("truncated") }
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(buffer[position + index]) << UInt64(8 * index) }
        position += 8
        return value
    }

    mutating func tag() throws -> BinaryTag {
        guard let tag = BinaryTag(rawValue: try byte()) else { throw Self.corrupt("unknown tag") }
        return tag
    }

    /// A composite's header after its tag: where it ends and how many elements it holds.
    mutating func compositeHeader() throws -> (end: Int, count: Int) {
        let length = Int(try uint32())
        guard length >= 4, length <= buffer.count - position else { throw Self.corrupt("a container past the end") }
        let end = position + length
        let count = Int(try uint32())
        guard count <= end - position else { throw Self.corrupt("a container with more elements than bytes") }
        return (end, count)
    }

    /// Where the value at `offset` ends.
    func skip(at offset: Int) throws -> Int {
        var reader = self
        reader.position = offset
        switch try reader.tag() {
        case .null, .false, .true: break
        case .int, .uint, .string: _ = try reader.varint()
        case .double, .date: _ = try reader.uint64Bits()
        case .array, .object, .keyed, .unkeyed: return try reader.compositeHeader().end
        }
        return reader.position
    }
}

/// The decoder `Decodable` types read from; one per `decode` call. `position` is where the value being decoded
/// starts; containers keep their own cursors.
///
/// Its stored properties are unchecked for exclusivity: one thread uses a decoder, every access is over before the next
/// begins, and the dynamic checks on them were about a twentieth of loading a checkpoint.
final class BinaryDecoding: Decoder {
    @exclusivity(unchecked) var reader: BinaryReader
    let strings: [String]
    /// The `JSON` elements and the strategy snapshots read so far, shared when the same bytes come again
    /// (`decodeDirectly`): every run of a strategy holds the same snapshot.
    lazy var trees = SharedByBytes<JSON>()
    lazy var strategies = SharedByBytes<StagedUpdateStrategySpec>()
    /// The shapes of the `JSON` objects read so far, so each new object of a known shape is built from the last.
    private lazy var objectTemplates = BinaryObjectTemplates()
    /// The key ids and values of the objects being read, innermost last.
    @exclusivity(unchecked) private var scratchIDs: [Int] = []
    @exclusivity(unchecked) private var scratchValues: [JSON] = []

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(reader: BinaryReader, strings: [String]) {
        self.reader = reader
        self.strings = strings
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        var reader = self.reader
        guard try reader.tag() == .keyed else { throw BinaryReader.corrupt("expected a keyed container") }
        let (end, count) = try reader.compositeHeader()
        return KeyedDecodingContainer(BinaryKeyedDecoding<Key>(decoder: self, start: reader.position, end: end, count: count))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        var reader = self.reader
        guard try reader.tag() == .unkeyed else { throw BinaryReader.corrupt("expected an unkeyed container") }
        let (end, count) = try reader.compositeHeader()
        return BinaryUnkeyedDecoding(decoder: self, position: reader.position, end: end, count: count)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        BinarySingleValueDecoding(decoder: self, position: reader.position)
    }

    // MARK: Values

    func isNil(at offset: Int) throws -> Bool {
        guard offset < reader.buffer.count else { throw BinaryReader.corrupt("truncated") }
        return reader.buffer[offset] == BinaryTag.null.rawValue
    }

    func decodeBool(at offset: Int) throws -> Bool {
        var reader = self.reader
        reader.position = offset
        switch try reader.tag() {
        case .true: return true
        case .false: return false
        default: throw BinaryReader.corrupt("expected a boolean")
        }
    }

    func decodeString(at offset: Int) throws -> String {
        var reader = self.reader
        reader.position = offset
        guard try reader.tag() == .string else { throw BinaryReader.corrupt("expected a string") }
        return try string(&reader)
    }

    private func string(_ reader: inout BinaryReader) throws -> String {
        let id = try reader.varint()
        guard id < UInt64(strings.count) else { throw BinaryReader.corrupt("a string index past the table") }
        return strings[Int(id)]
    }

    func decodeInteger<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) throws -> T {
        var reader = self.reader
        reader.position = offset
        let value: T?
        switch try reader.tag() {
        case .int:
            let zigzag = try reader.varint()
            value = T(exactly: Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1))
        case .uint:
            value = T(exactly: try reader.varint())
        default:
            throw BinaryReader.corrupt("expected an integer")
        }
        guard let value else { throw BinaryReader.corrupt("an integer that does not fit in \(T.self)") }
        return value
    }

    func decodeDouble(at offset: Int, tag expected: BinaryTag = .double) throws -> Double {
        var reader = self.reader
        reader.position = offset
        guard try reader.tag() == expected else { throw BinaryReader.corrupt("expected a \(expected)") }
        return Double(bitPattern: try reader.uint64Bits())
    }

    func decodeJSON(at offset: Int) throws -> JSON {
        var reader = self.reader
        reader.position = offset
        return try json(&reader)
    }

    private func json(_ reader: inout BinaryReader) throws -> JSON {
        switch try reader.tag() {
        case .null: return .null
        case .false: return .bool(false)
        case .true: return .bool(true)
        case .int:
            let zigzag = try reader.varint()
            return .int(Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1))
        case .uint:
            throw BinaryReader.corrupt("an unsigned integer in JSON")
        case .double: return .double(Double(bitPattern: try reader.uint64Bits()))
        case .string: return .string(try string(&reader))
        case .array:
            let (end, count) = try reader.compositeHeader()
            var elements: [JSON] = []
            elements.reserveCapacity(count)
            for _ in 0..<count { elements.append(try json(&reader)) }
            guard reader.position == end else { throw BinaryReader.corrupt("an array of the wrong length") }
            return .array(elements)
        case .object:
            let (end, count) = try reader.compositeHeader()
            guard count > 0 else {
                guard reader.position == end else { throw BinaryReader.corrupt("an object of the wrong length") }
                return .emptyObject
            }
            // Nested objects use the scratch past this one's entries, and give it back before this one goes on.
            let base = scratchIDs.count
            defer {
                scratchIDs.removeSubrange(base...)
                scratchValues.removeSubrange(base...)
            }
            for _ in 0..<count {
                let id = try reader.varint()
                guard id < UInt64(strings.count) else { throw BinaryReader.corrupt("a string index past the table") }
                let value = try json(&reader)
                scratchIDs.append(Int(id))
                scratchValues.append(value)
            }
            guard reader.position == end else { throw BinaryReader.corrupt("an object of the wrong length") }
            return objectTemplates.object(ids: scratchIDs[base...], values: scratchValues[base...], strings: strings)
        case .keyed, .unkeyed, .date:
            throw BinaryReader.corrupt("a container in JSON")
        }
    }

    /// Decodes any value at `offset`, with fast paths for primitives, `JSON`, `Date` and the types read directly
    /// (`decodeDirectly`); other types run `init(from:)` against this decoder standing at `offset`.
    func decodeValue<T: Decodable>(_ type: T.Type, at offset: Int) throws -> T {
        if T.self == String.self { return unsafeBitCast(try decodeString(at: offset), to: T.self) }
        if T.self == Int.self { return unsafeBitCast(try decodeInteger(Int.self, at: offset), to: T.self) }
        if T.self == Int64.self { return unsafeBitCast(try decodeInteger(Int64.self, at: offset), to: T.self) }
        if T.self == Bool.self { return unsafeBitCast(try decodeBool(at: offset), to: T.self) }
        if T.self == Double.self { return unsafeBitCast(try decodeDouble(at: offset), to: T.self) }
        if T.self == JSON.self { return unsafeBitCast(try decodeJSON(at: offset), to: T.self) }
        if T.self == Date.self {
            let seconds = try decodeDouble(at: offset, tag: .date)
            return unsafeBitCast(Date(timeIntervalSince1970: seconds), to: T.self)
        }
        if let value = try decodeDirectly(T.self, at: offset) { return value }
        let saved = reader.position
        reader.position = offset
        defer { reader.position = saved }
        return try T(from: self)
    }

    /// The string index of the entry key at `offset`, and where the entry's value starts.
    func entryKey(at offset: Int) throws -> (key: String, value: Int) {
        var reader = self.reader
        reader.position = offset
        let key = try string(&reader)
        return (key, reader.position)
    }
}

// MARK: - Containers

/// A keyed container's entries, looked up by key. Entries are usually asked for in the order they were written,
/// so each lookup starts after the last one found, and goes round once before deciding the key is absent.
final class BinaryKeyedDecoding<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: BinaryDecoding
    let start: Int
    let end: Int
    let count: Int
    /// Unchecked for exclusivity, as `BinaryDecoding`'s properties are.
    @exclusivity(unchecked) private var cursor: Int
    @exclusivity(unchecked) private var cursorIndex = 0

    init(decoder: BinaryDecoding, start: Int, end: Int, count: Int) {
        self.decoder = decoder
        self.start = start
        self.end = end
        self.count = count
        self.cursor = start
    }

    var codingPath: [any CodingKey] { [] }

    var allKeys: [Key] {
        var keys: [Key] = []
        var position = start
        for _ in 0..<count {
            guard let (name, value) = try? decoder.entryKey(at: position), let next = try? decoder.reader.skip(at: value)
            else { break }
            if let key = Key(stringValue: name) { keys.append(key) }
            position = next
        }
        return keys
    }

    /// Where the value of `key` starts, or nil when the container has no such entry.
    private func find(_ key: Key) throws -> Int? {
        let name = key.stringValue
        var position = cursor
        var index = cursorIndex
        for _ in 0..<count {
            if index == count {
                index = 0
                position = start
            }
            let (entry, value) = try decoder.entryKey(at: position)
            let next = try decoder.reader.skip(at: value)
            guard next <= end else { throw BinaryReader.corrupt("an entry past its container") }
            index += 1
            if entry == name {
                cursor = next
                cursorIndex = index
                return value
            }
            position = next
        }
        return nil
    }

    private func require(_ key: Key) throws -> Int {
        guard let offset = try find(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: [], debugDescription: "no entry \(key.stringValue)"))
        }
        return offset
    }

    func contains(_ key: Key) -> Bool { (try? find(key)) != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
        try decoder.isNil(at: try require(key))
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decoder.decodeBool(at: try require(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decoder.decodeString(at: try require(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decoder.decodeDouble(at: try require(key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try decoder.decodeDouble(at: try require(key))) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decoder.decodeInteger(type, at: try require(key)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decoder.decodeInteger(type, at: try require(key)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decoder.decodeInteger(type, at: try require(key)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decoder.decodeInteger(type, at: try require(key)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decoder.decodeInteger(type, at: try require(key)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decoder.decodeInteger(type, at: try require(key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decoder.decodeInteger(type, at: try require(key)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decoder.decodeInteger(type, at: try require(key)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decoder.decodeInteger(type, at: try require(key)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decoder.decodeInteger(type, at: try require(key)) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder.decodeValue(type, at: try require(key))
    }

    /// The value of `key` read by `read`, or nil when the entry is absent or null: one lookup, where the default
    /// `decodeIfPresent` makes three.
    private func present<T>(_ key: Key, _ read: (Int) throws -> T) throws -> T? {
        guard let offset = try find(key), try !decoder.isNil(at: offset) else { return nil }
        return try read(offset)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try present(key) { try decoder.decodeValue(type, at: $0) }
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try present(key, decoder.decodeBool) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try present(key, decoder.decodeString) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        try present(key) { try decoder.decodeDouble(at: $0) }
    }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? {
        try present(key) { Float(try decoder.decodeDouble(at: $0)) }
    }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try presentInteger(key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try presentInteger(key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try presentInteger(key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try presentInteger(key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try presentInteger(key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try presentInteger(key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try presentInteger(key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try presentInteger(key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try presentInteger(key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try presentInteger(key) }

    private func presentInteger<T: FixedWidthInteger>(_ key: Key) throws -> T? {
        try present(key) { try decoder.decodeInteger(T.self, at: $0) }
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder.standing(at: try require(key)) { try decoder.container(keyedBy: type) }
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder.standing(at: try require(key)) { try decoder.unkeyedContainer() }
    }

    func superDecoder() throws -> any Decoder {
        throw BinaryReader.corrupt("super decoders are not supported")
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        throw BinaryReader.corrupt("super decoders are not supported")
    }
}

extension BinaryDecoding {
    /// Runs `body` with the decoder standing at `offset`, then puts it back.
    func standing<T>(at offset: Int, _ body: () throws -> T) rethrows -> T {
        let saved = reader.position
        reader.position = offset
        defer { reader.position = saved }
        return try body()
    }
}

struct BinaryUnkeyedDecoding: UnkeyedDecodingContainer {
    let decoder: BinaryDecoding
    var position: Int
    let end: Int
    let total: Int
    private(set) var currentIndex = 0

    init(decoder: BinaryDecoding, position: Int, end: Int, count: Int) {
        self.decoder = decoder
        self.position = position
        self.end = end
        self.total = count
    }

    var codingPath: [any CodingKey] { [] }
    var count: Int? { total }
    var isAtEnd: Bool { currentIndex >= total }

    /// Where the next element starts; moves past it.
    private mutating func next() throws -> Int {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: [], debugDescription: "the container is at its end"))
        }
        let offset = position
        position = try decoder.reader.skip(at: offset)
        guard position <= end else { throw BinaryReader.corrupt("an element past its container") }
        currentIndex += 1
        return offset
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, try decoder.isNil(at: position) else { return false }
        _ = try next()
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try decoder.decodeBool(at: try next()) }
    mutating func decode(_ type: String.Type) throws -> String { try decoder.decodeString(at: try next()) }
    mutating func decode(_ type: Double.Type) throws -> Double { try decoder.decodeDouble(at: try next()) }
    mutating func decode(_ type: Float.Type) throws -> Float { Float(try decoder.decodeDouble(at: try next())) }
    mutating func decode(_ type: Int.Type) throws -> Int { try decoder.decodeInteger(type, at: try next()) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try decoder.decodeInteger(type, at: try next()) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try decoder.decodeInteger(type, at: try next()) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try decoder.decodeInteger(type, at: try next()) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try decoder.decodeInteger(type, at: try next()) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try decoder.decodeInteger(type, at: try next()) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.decodeInteger(type, at: try next()) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.decodeInteger(type, at: try next()) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.decodeInteger(type, at: try next()) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.decodeInteger(type, at: try next()) }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decoder.decodeValue(type, at: try next())
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let offset = try next()
        return try decoder.standing(at: offset) { try decoder.container(keyedBy: type) }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let offset = try next()
        return try decoder.standing(at: offset) { try decoder.unkeyedContainer() }
    }

    mutating func superDecoder() throws -> any Decoder {
        throw BinaryReader.corrupt("super decoders are not supported")
    }
}

/// The one value at the decoder's position: a type that encodes as a primitive.
struct BinarySingleValueDecoding: SingleValueDecodingContainer {
    let decoder: BinaryDecoding
    let position: Int

    var codingPath: [any CodingKey] { [] }

    func decodeNil() -> Bool { (try? decoder.isNil(at: position)) ?? false }
    func decode(_ type: Bool.Type) throws -> Bool { try decoder.decodeBool(at: position) }
    func decode(_ type: String.Type) throws -> String { try decoder.decodeString(at: position) }
    func decode(_ type: Double.Type) throws -> Double { try decoder.decodeDouble(at: position) }
    func decode(_ type: Float.Type) throws -> Float { Float(try decoder.decodeDouble(at: position)) }
    func decode(_ type: Int.Type) throws -> Int { try decoder.decodeInteger(type, at: position) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decoder.decodeInteger(type, at: position) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decoder.decodeInteger(type, at: position) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decoder.decodeInteger(type, at: position) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decoder.decodeInteger(type, at: position) }
    func decode(_ type: UInt.Type) throws -> UInt { try decoder.decodeInteger(type, at: position) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.decodeInteger(type, at: position) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.decodeInteger(type, at: position) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.decodeInteger(type, at: position) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.decodeInteger(type, at: position) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decodeValue(type, at: position) }
}
