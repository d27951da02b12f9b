import Foundation

/// Encodes `Encodable` values into a `JSON` tree (no Foundation `JSONEncoder`).
///
/// - Integers become `.int` (unsigned values above `Int64.max` become `.double`), `Float`/`Double`
///   become `.double` (non-finite values throw `EncodingError.invalidValue`, as Go's encoder refuses them).
/// - `encodeIfPresent` omits `nil`; `encodeNil` writes `null`.
/// - `Date` becomes an RFC 3339 UTC string with whole seconds (`2025-07-22T21:28:08Z`),
///   `Data` base64, `URL` its absolute string, `JSON` itself.
public struct JSONValueEncoder: Sendable {
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> JSON {
        let encoder = JSONValueEncoderImpl(path: .root, userInfo: userInfo)
        return try encoder.box(value, path: .root)
    }

    /// Encodes `value` and returns its canonical JSON bytes.
    public func encodeToBytes<T: Encodable>(_ value: T) throws -> [UInt8] {
        try encode(value).serialized()
    }
}

extension JSON {
    /// The `JSON` tree of `value`, as `JSONValueEncoder` builds it.
    public init<T: Encodable>(encoding value: T) throws {
        self = try JSONValueEncoder().encode(value)
    }
}

/// An object under construction. Members are collected in order and hashed once, into a
/// dictionary of the right size, when the object is finished; members created through nested
/// containers or super encoders are filled in at that point.
final class JSONObjectBox {
    var keys: [String] = []
    var values: [JSON] = []
    var pending: [(Int, JSONPendingValue)] = []

    init() {
        keys.reserveCapacity(8)
        values.reserveCapacity(8)
    }

    @inline(__always)
    func set(_ key: String, _ value: JSON) {
        keys.append(key)
        values.append(value)
    }

    func setPending(_ key: String, _ value: JSONPendingValue) {
        pending.append((keys.count, value))
        set(key, .null)
    }

    var finished: JSON {
        var members = [String: JSON](minimumCapacity: keys.count)
        for i in keys.indices { members[keys[i]] = values[i] }
        for (index, value) in pending { members[keys[index]] = value.finished }
        return .object(members)
    }
}

final class JSONArrayBox {
    var elements: [JSON] = []
    var pending: [(Int, JSONPendingValue)] = []

    var finished: JSON {
        if pending.isEmpty { return .array(elements) }
        var result = elements
        for (index, value) in pending { result[index] = value.finished }
        return .array(result)
    }
}

enum JSONPendingValue {
    case object(JSONObjectBox)
    case array(JSONArrayBox)
    case encoder(JSONValueEncoderImpl)

    var finished: JSON {
        switch self {
        case .object(let box): return box.finished
        case .array(let box): return box.finished
        case .encoder(let encoder): return encoder.finishedValue
        }
    }
}

final class JSONValueEncoderImpl: Encoder {
    enum Storage {
        case none
        case value(JSON)
        case object(JSONObjectBox)
        case array(JSONArrayBox)
    }

    var storage: Storage = .none
    var path: JSONCodingPath
    let userInfoStorage: [CodingUserInfoKey: any Sendable]

    init(path: JSONCodingPath, userInfo: [CodingUserInfoKey: any Sendable]) {
        self.path = path
        self.userInfoStorage = userInfo
    }

    var codingPath: [any CodingKey] { path.keys }
    var userInfo: [CodingUserInfoKey: Any] { userInfoStorage }

    /// What has been encoded so far; a value that encoded nothing is an empty object.
    var finishedValue: JSON {
        switch storage {
        case .none: return .emptyObject
        case .value(let v): return v
        case .object(let box): return box.finished
        case .array(let box): return box.finished
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let box: JSONObjectBox
        if case .object(let existing) = storage {
            box = existing
        } else {
            box = JSONObjectBox()
            storage = .object(box)
        }
        return KeyedEncodingContainer(JSONKeyedEncodingContainer<Key>(encoder: self, box: box, path: path))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let box: JSONArrayBox
        if case .array(let existing) = storage {
            box = existing
        } else {
            box = JSONArrayBox()
            storage = .array(box)
        }
        return JSONUnkeyedEncodingContainer(encoder: self, box: box, path: path)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONSingleValueEncodingContainer(encoder: self, path: path)
    }

    // MARK: Boxing

    func invalidFloat(_ value: Any, _ path: JSONCodingPath) -> EncodingError {
        EncodingError.invalidValue(
            value, .init(codingPath: path.keys, debugDescription: "unsupported value: \(value) is not a finite number"))
    }

    @inline(__always)
    func boxDouble(_ value: Double, _ path: @autoclosure () -> JSONCodingPath) throws -> JSON {
        guard value.isFinite else { throw invalidFloat(value, path()) }
        return .double(value)
    }

    @inline(__always)
    func boxFloat(_ value: Float, _ path: @autoclosure () -> JSONCodingPath) throws -> JSON {
        guard value.isFinite else { throw invalidFloat(value, path()) }
        // Keep the float's own shortest digits (0.1 stays 0.1, not 0.10000000149011612), like Go's float32.
        return .double(Double(value.description) ?? Double(value))
    }

    @inline(__always)
    static func boxInteger<T: FixedWidthInteger>(_ value: T) -> JSON {
        if let i = Int64(exactly: value) { return .int(i) }
        return .double(Double(value))
    }

    /// Encodes any `Encodable` into a finished `JSON`, with fast paths for primitives, arrays,
    /// string dictionaries and the special Foundation types; other types run `encode(to:)` against
    /// this (reused) encoder. The path is only built when needed.
    @inline(__always)
    func box<T: Encodable>(_ value: T, path: @autoclosure () -> JSONCodingPath) throws -> JSON {
        if T.self == String.self { return .string(unsafeBitCast(value, to: String.self)) }
        if T.self == Int.self { return .int(Int64(unsafeBitCast(value, to: Int.self))) }
        if T.self == Bool.self { return .bool(unsafeBitCast(value, to: Bool.self)) }
        if T.self == Double.self { return try boxDouble(unsafeBitCast(value, to: Double.self), path()) }
        if T.self == JSON.self { return unsafeBitCast(value, to: JSON.self) }
        if T.self == Int64.self { return .int(unsafeBitCast(value, to: Int64.self)) }
        return try boxSlow(value, path: path())
    }

    func boxSlow<T: Encodable>(_ value: T, path: JSONCodingPath) throws -> JSON {
        if T.self == Date.self { return .string(RFC3339.format(unsafeBitCast(value, to: Date.self))) }
        if T.self == [String: String].self {
            return .object(unsafeBitCast(value, to: [String: String].self).mapValues { .string($0) })
        }
        if let array = value as? any JSONFastArrayEncodable {
            return try array.encodeJSONArray(encoder: self, path: path)
        }
        if T.self == Data.self { return .string(unsafeBitCast(value, to: Data.self).base64EncodedString()) }
        if T.self == URL.self { return .string(unsafeBitCast(value, to: URL.self).absoluteString) }
        let savedStorage = storage
        let savedPath = self.path
        storage = .none
        self.path = path
        defer {
            storage = savedStorage
            self.path = savedPath
        }
        try value.encode(to: self)
        return finishedValue
    }
}

/// Arrays encode element by element straight into the tree, skipping the unkeyed container.
protocol JSONFastArrayEncodable {
    func encodeJSONArray(encoder: JSONValueEncoderImpl, path: JSONCodingPath) throws -> JSON
}

extension Array: JSONFastArrayEncodable where Element: Encodable {
    func encodeJSONArray(encoder: JSONValueEncoderImpl, path: JSONCodingPath) throws -> JSON {
        var elements: [JSON] = []
        elements.reserveCapacity(count)
        for index in indices {
            elements.append(try encoder.box(self[index], path: .index(index, path)))
        }
        return .array(elements)
    }
}

// MARK: - Keyed

struct JSONKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: JSONValueEncoderImpl
    let box: JSONObjectBox
    let path: JSONCodingPath

    var codingPath: [any CodingKey] { path.keys }

    @inline(__always)
    func set(_ value: JSON, _ key: Key) { box.set(key.stringValue, value) }

    mutating func encodeNil(forKey key: Key) { set(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) { set(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) { set(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        set(try encoder.boxDouble(value, path.appending(key)), key)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        set(try encoder.boxFloat(value, path.appending(key)), key)
    }
    mutating func encode(_ value: Int, forKey key: Key) { set(.int(Int64(value)), key) }
    mutating func encode(_ value: Int8, forKey key: Key) { set(.int(Int64(value)), key) }
    mutating func encode(_ value: Int16, forKey key: Key) { set(.int(Int64(value)), key) }
    mutating func encode(_ value: Int32, forKey key: Key) { set(.int(Int64(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) { set(.int(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) { set(JSONValueEncoderImpl.boxInteger(value), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) { set(.int(Int64(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) { set(.int(Int64(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) { set(.int(Int64(value)), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) { set(JSONValueEncoderImpl.boxInteger(value), key) }
    @available(macOS 15.0, *)
    mutating func encode(_ value: Int128, forKey key: Key) { set(JSONValueEncoderImpl.boxInteger(value), key) }
    @available(macOS 15.0, *)
    mutating func encode(_ value: UInt128, forKey key: Key) { set(JSONValueEncoderImpl.boxInteger(value), key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        set(try encoder.box(value, path: path.appending(key)), key)
    }

    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) { if let value { set(.bool(value), key) } }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) { if let value { set(.string(value), key) } }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) { if let value { set(.int(Int64(value)), key) } }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) { if let value { set(.int(value), key) } }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) { if let value { set(.int(Int64(value)), key) } }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws {
        if let value { set(try encoder.boxDouble(value, path.appending(key)), key) }
    }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { set(try encoder.box(value, path: path.appending(key)), key) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONObjectBox()
        box.setPending(key.stringValue, .object(nested))
        return KeyedEncodingContainer(
            JSONKeyedEncodingContainer<NestedKey>(encoder: encoder, box: nested, path: path.appending(key)))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = JSONArrayBox()
        box.setPending(key.stringValue, .array(nested))
        return JSONUnkeyedEncodingContainer(encoder: encoder, box: nested, path: path.appending(key))
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: JSONCodingKey.super) }

    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key) }

    private func superEncoder(named key: any CodingKey) -> any Encoder {
        let sub = JSONValueEncoderImpl(path: path.appending(key), userInfo: encoder.userInfoStorage)
        box.setPending(key.stringValue, .encoder(sub))
        return sub
    }
}

// MARK: - Unkeyed

struct JSONUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let encoder: JSONValueEncoderImpl
    let box: JSONArrayBox
    let path: JSONCodingPath

    var codingPath: [any CodingKey] { path.keys }
    var count: Int { box.elements.count }

    var elementPath: JSONCodingPath { .index(box.elements.count, path) }

    @inline(__always)
    func append(_ value: JSON) { box.elements.append(value) }

    mutating func encodeNil() { append(.null) }
    mutating func encode(_ value: Bool) { append(.bool(value)) }
    mutating func encode(_ value: String) { append(.string(value)) }
    mutating func encode(_ value: Double) throws { append(try encoder.boxDouble(value, elementPath)) }
    mutating func encode(_ value: Float) throws { append(try encoder.boxFloat(value, elementPath)) }
    mutating func encode(_ value: Int) { append(.int(Int64(value))) }
    mutating func encode(_ value: Int8) { append(.int(Int64(value))) }
    mutating func encode(_ value: Int16) { append(.int(Int64(value))) }
    mutating func encode(_ value: Int32) { append(.int(Int64(value))) }
    mutating func encode(_ value: Int64) { append(.int(value)) }
    mutating func encode(_ value: UInt) { append(JSONValueEncoderImpl.boxInteger(value)) }
    mutating func encode(_ value: UInt8) { append(.int(Int64(value))) }
    mutating func encode(_ value: UInt16) { append(.int(Int64(value))) }
    mutating func encode(_ value: UInt32) { append(.int(Int64(value))) }
    mutating func encode(_ value: UInt64) { append(JSONValueEncoderImpl.boxInteger(value)) }
    @available(macOS 15.0, *)
    mutating func encode(_ value: Int128) { append(JSONValueEncoderImpl.boxInteger(value)) }
    @available(macOS 15.0, *)
    mutating func encode(_ value: UInt128) { append(JSONValueEncoderImpl.boxInteger(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        append(try encoder.box(value, path: elementPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONObjectBox()
        let path = elementPath
        box.pending.append((box.elements.count, .object(nested)))
        box.elements.append(.null)
        return KeyedEncodingContainer(JSONKeyedEncodingContainer<NestedKey>(encoder: encoder, box: nested, path: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = JSONArrayBox()
        let path = elementPath
        box.pending.append((box.elements.count, .array(nested)))
        box.elements.append(.null)
        return JSONUnkeyedEncodingContainer(encoder: encoder, box: nested, path: path)
    }

    mutating func superEncoder() -> any Encoder {
        let sub = JSONValueEncoderImpl(path: elementPath, userInfo: encoder.userInfoStorage)
        box.pending.append((box.elements.count, .encoder(sub)))
        box.elements.append(.null)
        return sub
    }
}

// MARK: - Single value

struct JSONSingleValueEncodingContainer: SingleValueEncodingContainer {
    let encoder: JSONValueEncoderImpl
    let path: JSONCodingPath

    var codingPath: [any CodingKey] { path.keys }

    @inline(__always)
    func set(_ value: JSON) { encoder.storage = .value(value) }

    mutating func encodeNil() { set(.null) }
    mutating func encode(_ value: Bool) { set(.bool(value)) }
    mutating func encode(_ value: String) { set(.string(value)) }
    mutating func encode(_ value: Double) throws { set(try encoder.boxDouble(value, path)) }
    mutating func encode(_ value: Float) throws { set(try encoder.boxFloat(value, path)) }
    mutating func encode(_ value: Int) { set(.int(Int64(value))) }
    mutating func encode(_ value: Int8) { set(.int(Int64(value))) }
    mutating func encode(_ value: Int16) { set(.int(Int64(value))) }
    mutating func encode(_ value: Int32) { set(.int(Int64(value))) }
    mutating func encode(_ value: Int64) { set(.int(value)) }
    mutating func encode(_ value: UInt) { set(JSONValueEncoderImpl.boxInteger(value)) }
    mutating func encode(_ value: UInt8) { set(.int(Int64(value))) }
    mutating func encode(_ value: UInt16) { set(.int(Int64(value))) }
    mutating func encode(_ value: UInt32) { set(.int(Int64(value))) }
    mutating func encode(_ value: UInt64) { set(JSONValueEncoderImpl.boxInteger(value)) }
    @available(macOS 15.0, *)
    mutating func encode(_ value: Int128) { set(JSONValueEncoderImpl.boxInteger(value)) }
    @available(macOS 15.0, *)
    mutating func encode(_ value: UInt128) { set(JSONValueEncoderImpl.boxInteger(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        set(try encoder.box(value, path: path))
    }
}

// MARK: - JSON is Codable

extension JSON: Codable {
    public init(from decoder: any Decoder) throws {
        if let decoder = decoder as? JSONValueDecoderImpl {
            self = decoder.value
            return
        }
        // Any other decoder (Foundation's JSONDecoder, PropertyListDecoder, …).
        if let container = try? decoder.container(keyedBy: JSONCodingKey.self) {
            var members: [String: JSON] = [:]
            for key in container.allKeys {
                members[key.stringValue] = try container.decode(JSON.self, forKey: key)
            }
            self = .object(members)
            return
        }
        if var container = try? decoder.unkeyedContainer() {
            var elements: [JSON] = []
            if let count = container.count { elements.reserveCapacity(count) }
            while !container.isAtEnd {
                elements.append(try container.decode(JSON.self))
            }
            self = .array(elements)
            return
        }
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? container.decode(Int64.self) {
            self = .int(i)
        } else if let d = try? container.decode(Double.self) {
            self = .double(d)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "value is not representable as JSON"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        if let encoder = encoder as? JSONValueEncoderImpl {
            encoder.storage = .value(self)
            return
        }
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let b):
            var container = encoder.singleValueContainer()
            try container.encode(b)
        case .int(let i):
            var container = encoder.singleValueContainer()
            try container.encode(i)
        case .double(let d):
            var container = encoder.singleValueContainer()
            try container.encode(d)
        case .string(let s):
            var container = encoder.singleValueContainer()
            try container.encode(s)
        case .array(let elements):
            var container = encoder.unkeyedContainer()
            for element in elements { try container.encode(element) }
        case .object(let members):
            var container = encoder.container(keyedBy: JSONCodingKey.self)
            for (key, member) in JSONWriter.sortedMembers(members) {
                try container.encode(member, forKey: JSONCodingKey(stringValue: key))
            }
        }
    }
}
