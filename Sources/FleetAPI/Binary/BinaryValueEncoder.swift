import Foundation

/// Encodes `Encodable` values into the compact binary form of `BinaryFormat`: no JSON text and no tree, for images
/// that only this code reads back (checkpoints), where JSON's parsing cost is the whole of loading them.
///
/// Equal values give equal bytes: dictionaries keyed by strings or integers and `JSON` objects are written in key
/// order. `encodeIfPresent` omits `nil`; `Date` keeps its exact seconds.
///
/// ```swift
/// let bytes = try BinaryValueEncoder().encode(state)
/// let again = try BinaryValueDecoder().decode(State.self, from: bytes)
/// ```
///
/// - Note: Containers must be filled in the order they were made, as synthesized `Codable` does; writing to a
///   container after a later one was started throws `EncodingError.invalidValue`.
public struct BinaryValueEncoder: Sendable {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = BinaryEncoding()
        try encoder.encodeValue(value)
        try encoder.closeContainers(downTo: 0)
        var output: [UInt8] = [BinaryFormat.version]
        output.reserveCapacity(1 + 5 + encoder.table.count + encoder.body.count)
        output.appendVarint(UInt64(encoder.stringIDs.count))
        output.append(contentsOf: encoder.table)
        output.append(contentsOf: encoder.body)
        return output
    }
}

/// The encoder `Codable` types write to; one per `encode` call, shared by all its containers.
///
/// Containers write straight into `body`. Each open container sits on `open` with where its header is, and is
/// closed (its length and count filled in) when an entry is written to a container below it, or when the value
/// that made it is done.
final class BinaryEncoding: Encoder {
    struct OpenContainer {
        var header: Int
        var count: UInt32
        var serial: Int
    }

    var body: [UInt8] = []
    var table: [UInt8] = []
    var stringIDs: [String: Int] = [:]
    var open: [OpenContainer] = []
    private var nextSerial = 0

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init() {
        body.reserveCapacity(1 << 16)
    }

    // MARK: Containers

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(BinaryKeyedEncoding<Key>(encoder: self, handle: openContainer(.keyed)))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        BinaryUnkeyedEncoding(encoder: self, handle: openContainer(.unkeyed))
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        BinarySingleValueEncoding(encoder: self)
    }

    /// Where an open container sits: its depth on `open` and the serial that tells it from a later one there.
    struct Handle {
        var depth: Int
        var serial: Int
    }

    func openContainer(_ tag: BinaryTag) -> Handle {
        body.append(tag.rawValue)
        let header = body.count
        body.append(contentsOf: repeatElement(0, count: BinaryFormat.containerHeader))
        nextSerial += 1
        open.append(OpenContainer(header: header, count: 0, serial: nextSerial))
        return Handle(depth: open.count - 1, serial: nextSerial)
    }

    /// Closes the containers above `handle` and counts one more entry in it, before the entry is written.
    func beginEntry(in handle: Handle) throws {
        try closeContainers(downTo: handle.depth + 1)
        guard handle.depth < open.count, open[handle.depth].serial == handle.serial else {
            throw EncodingError.invalidValue(
                handle.depth, .init(codingPath: [], debugDescription: "a container was written to after it was closed"))
        }
        open[handle.depth].count += 1
    }

    func closeContainers(downTo depth: Int) throws {
        while open.count > depth {
            let container = open.removeLast()
            let length = body.count - container.header - 4
            guard length <= UInt32.max else {
                throw EncodingError.invalidValue(length, .init(codingPath: [], debugDescription: "a container over 4 GiB"))
            }
            body.storeUInt32(UInt32(length), at: container.header)
            body.storeUInt32(container.count, at: container.header + 4)
        }
    }

    // MARK: Values

    func encodeString(_ string: String) {
        body.append(BinaryTag.string.rawValue)
        body.appendVarint(UInt64(stringID(string)))
    }

    func stringID(_ string: String) -> Int {
        if let id = stringIDs[string] { return id }
        let id = stringIDs.count
        stringIDs[string] = id
        var string = string
        string.withUTF8 { utf8 in
            table.appendVarint(UInt64(utf8.count))
            table.append(contentsOf: utf8)
        }
        return id
    }

    func encodeInteger<T: FixedWidthInteger>(_ value: T) {
        if let signed = Int64(exactly: value) {
            body.append(BinaryTag.int.rawValue)
            body.appendVarint(UInt64(bitPattern: (signed << 1) ^ (signed >> 63)))
        } else {
            body.append(BinaryTag.uint.rawValue)
            body.appendVarint(UInt64(value))
        }
    }

    func encodeDouble(_ value: Double, tag: BinaryTag = .double) {
        body.append(tag.rawValue)
        let bits = value.bitPattern
        for shift in stride(from: 0, to: 64, by: 8) { body.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
    }

    func encodeBool(_ value: Bool) {
        body.append(value ? BinaryTag.true.rawValue : BinaryTag.false.rawValue)
    }

    func encodeNil() {
        body.append(BinaryTag.null.rawValue)
    }

    /// Writes a `JSON` tree natively; objects in key order.
    func encodeJSON(_ json: JSON) {
        switch json {
        case .null: encodeNil()
        case .bool(let value): encodeBool(value)
        case .int(let value): encodeInteger(value)
        case .double(let value): encodeDouble(value)
        case .string(let value): encodeString(value)
        case .array(let elements):
            let header = beginComposite(.array, count: elements.count)
            for element in elements { encodeJSON(element) }
            endComposite(header)
        case .object(let members):
            let header = beginComposite(.object, count: members.count)
            for key in members.keys.sorted() {
                body.appendVarint(UInt64(stringID(key)))
                encodeJSON(members[key]!)
            }
            endComposite(header)
        }
    }

    private func beginComposite(_ tag: BinaryTag, count: Int) -> Int {
        body.append(tag.rawValue)
        let header = body.count
        body.append(contentsOf: repeatElement(0, count: 4))
        body.storeUInt32Appending(UInt32(truncatingIfNeeded: count))
        return header
    }

    private func endComposite(_ header: Int) {
        body.storeUInt32(UInt32(truncatingIfNeeded: body.count - header - 4), at: header)
    }

    /// Encodes any value, with fast paths for primitives, `JSON`, `Date` and dictionaries that must be sorted;
    /// other types run `encode(to:)` against this encoder, and whatever containers they open close after it.
    func encodeValue<T: Encodable>(_ value: T) throws {
        if T.self == String.self { return encodeString(unsafeBitCast(value, to: String.self)) }
        if T.self == Int.self { return encodeInteger(unsafeBitCast(value, to: Int.self)) }
        if T.self == Int64.self { return encodeInteger(unsafeBitCast(value, to: Int64.self)) }
        if T.self == Bool.self { return encodeBool(unsafeBitCast(value, to: Bool.self)) }
        if T.self == Double.self { return encodeDouble(unsafeBitCast(value, to: Double.self)) }
        if T.self == JSON.self { return encodeJSON(unsafeBitCast(value, to: JSON.self)) }
        if T.self == Date.self {
            return encodeDouble(unsafeBitCast(value, to: Date.self).timeIntervalSince1970, tag: .date)
        }
        let depth = open.count
        let start = body.count
        if let dictionary = value as? any BinarySortedStringKeys {
            try dictionary.encodeSorted(to: self)
        } else if let dictionary = value as? any BinarySortedIntKeys {
            try dictionary.encodeSorted(to: self)
        } else {
            try value.encode(to: self)
        }
        try closeContainers(downTo: depth)
        // A value that wrote nothing is an empty keyed container, as JSON gives it `{}`.
        if body.count == start { try closeContainers(downTo: openContainer(.keyed).depth) }
    }
}

/// Dictionaries keyed by strings write their entries in key order, not hash order.
protocol BinarySortedStringKeys {
    func encodeSorted(to encoder: BinaryEncoding) throws
}

/// Dictionaries keyed by integers write their entries in key order, not hash order.
protocol BinarySortedIntKeys {
    func encodeSorted(to encoder: BinaryEncoding) throws
}

extension Dictionary: BinarySortedStringKeys where Key == String, Value: Encodable {
    func encodeSorted(to encoder: BinaryEncoding) throws {
        let handle = encoder.openContainer(.keyed)
        for key in keys.sorted() {
            try encoder.beginEntry(in: handle)
            encoder.body.appendVarint(UInt64(encoder.stringID(key)))
            try encoder.encodeValue(self[key]!)
        }
    }
}

extension Dictionary: BinarySortedIntKeys where Key == Int, Value: Encodable {
    func encodeSorted(to encoder: BinaryEncoding) throws {
        let handle = encoder.openContainer(.keyed)
        for key in keys.sorted() {
            try encoder.beginEntry(in: handle)
            encoder.body.appendVarint(UInt64(encoder.stringID(String(key))))
            try encoder.encodeValue(self[key]!)
        }
    }
}

// MARK: - Containers

struct BinaryKeyedEncoding<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: BinaryEncoding
    let handle: BinaryEncoding.Handle

    var codingPath: [any CodingKey] { [] }

    private func begin(_ key: Key) throws {
        try encoder.beginEntry(in: handle)
        encoder.body.appendVarint(UInt64(encoder.stringID(key.stringValue)))
    }

    mutating func encodeNil(forKey key: Key) throws {
        try begin(key)
        encoder.encodeNil()
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        try begin(key)
        encoder.encodeBool(value)
    }

    mutating func encode(_ value: String, forKey key: Key) throws {
        try begin(key)
        encoder.encodeString(value)
    }

    mutating func encode(_ value: Double, forKey key: Key) throws {
        try begin(key)
        encoder.encodeDouble(value)
    }

    mutating func encode(_ value: Float, forKey key: Key) throws {
        try begin(key)
        encoder.encodeDouble(Double(value))
    }

    mutating func encode(_ value: Int, forKey key: Key) throws { try encodeInteger(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try encodeInteger(value, key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try encodeInteger(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try encodeInteger(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try encodeInteger(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try encodeInteger(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try encodeInteger(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try encodeInteger(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try encodeInteger(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try encodeInteger(value, key) }

    private func encodeInteger<T: FixedWidthInteger>(_ value: T, _ key: Key) throws {
        try begin(key)
        encoder.encodeInteger(value)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try begin(key)
        try encoder.encodeValue(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        try? begin(key)
        return encoder.container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        try? begin(key)
        return encoder.unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        try? encoder.beginEntry(in: handle)
        encoder.body.appendVarint(UInt64(encoder.stringID("super")))
        return encoder
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        try? begin(key)
        return encoder
    }
}

struct BinaryUnkeyedEncoding: UnkeyedEncodingContainer {
    let encoder: BinaryEncoding
    let handle: BinaryEncoding.Handle
    private(set) var count = 0

    init(encoder: BinaryEncoding, handle: BinaryEncoding.Handle) {
        self.encoder = encoder
        self.handle = handle
    }

    var codingPath: [any CodingKey] { [] }

    private mutating func begin() throws {
        try encoder.beginEntry(in: handle)
        count += 1
    }

    mutating func encodeNil() throws {
        try begin()
        encoder.encodeNil()
    }

    mutating func encode(_ value: Bool) throws {
        try begin()
        encoder.encodeBool(value)
    }

    mutating func encode(_ value: String) throws {
        try begin()
        encoder.encodeString(value)
    }

    mutating func encode(_ value: Double) throws {
        try begin()
        encoder.encodeDouble(value)
    }

    mutating func encode(_ value: Float) throws {
        try begin()
        encoder.encodeDouble(Double(value))
    }

    mutating func encode(_ value: Int) throws { try encodeInteger(value) }
    mutating func encode(_ value: Int8) throws { try encodeInteger(value) }
    mutating func encode(_ value: Int16) throws { try encodeInteger(value) }
    mutating func encode(_ value: Int32) throws { try encodeInteger(value) }
    mutating func encode(_ value: Int64) throws { try encodeInteger(value) }
    mutating func encode(_ value: UInt) throws { try encodeInteger(value) }
    mutating func encode(_ value: UInt8) throws { try encodeInteger(value) }
    mutating func encode(_ value: UInt16) throws { try encodeInteger(value) }
    mutating func encode(_ value: UInt32) throws { try encodeInteger(value) }
    mutating func encode(_ value: UInt64) throws { try encodeInteger(value) }

    private mutating func encodeInteger<T: FixedWidthInteger>(_ value: T) throws {
        try begin()
        encoder.encodeInteger(value)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try begin()
        try encoder.encodeValue(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        try? begin()
        return encoder.container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        try? begin()
        return encoder.unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        try? begin()
        return encoder
    }
}

/// A value written where the encoder stands: the one value of a type that encodes as a primitive.
struct BinarySingleValueEncoding: SingleValueEncodingContainer {
    let encoder: BinaryEncoding

    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { encoder.encodeNil() }
    mutating func encode(_ value: Bool) throws { encoder.encodeBool(value) }
    mutating func encode(_ value: String) throws { encoder.encodeString(value) }
    mutating func encode(_ value: Double) throws { encoder.encodeDouble(value) }
    mutating func encode(_ value: Float) throws { encoder.encodeDouble(Double(value)) }
    mutating func encode(_ value: Int) throws { encoder.encodeInteger(value) }
    mutating func encode(_ value: Int8) throws { encoder.encodeInteger(value) }
    mutating func encode(_ value: Int16) throws { encoder.encodeInteger(value) }
    mutating func encode(_ value: Int32) throws { encoder.encodeInteger(value) }
    mutating func encode(_ value: Int64) throws { encoder.encodeInteger(value) }
    mutating func encode(_ value: UInt) throws { encoder.encodeInteger(value) }
    mutating func encode(_ value: UInt8) throws { encoder.encodeInteger(value) }
    mutating func encode(_ value: UInt16) throws { encoder.encodeInteger(value) }
    mutating func encode(_ value: UInt32) throws { encoder.encodeInteger(value) }
    mutating func encode(_ value: UInt64) throws { encoder.encodeInteger(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try encoder.encodeValue(value) }
}

extension [UInt8] {
    mutating func appendVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        append(UInt8(value))
    }

    mutating func storeUInt32(_ value: UInt32, at offset: Int) {
        for index in 0..<4 { self[offset + index] = UInt8(truncatingIfNeeded: value >> UInt32(8 * index)) }
    }

    mutating func storeUInt32Appending(_ value: UInt32) {
        for index in 0..<4 { append(UInt8(truncatingIfNeeded: value >> UInt32(8 * index))) }
    }
}
