import Foundation

/// Decodes `Decodable` values straight from a `JSON` tree (no Foundation `JSONDecoder`).
///
/// - Integers of every width from `.int` (and from integral `.double`s); `Double`/`Float` from any number.
/// - `Optional` properties: a missing key or `null` decode as `nil`.
/// - `Date` from an RFC 3339 string (`2025-07-22T21:28:08Z`; fractions and offsets accepted),
///   `Data` from base64, `URL` from a string, `JSON` as itself.
/// - Errors are `DecodingError`s with the full coding path; see `DecodingError.fieldPath`/`reason`.
public struct JSONValueDecoder: Sendable {
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from json: JSON) throws -> T {
        let decoder = JSONValueDecoderImpl(value: json, path: .root, userInfo: userInfo)
        return try decoder.unbox(json, as: T.self, path: .root)
    }

    /// Parses `bytes` as JSON and decodes `type` from it.
    public func decode<T: Decodable>(_ type: T.Type, fromJSONBytes bytes: [UInt8]) throws -> T {
        try decode(type, from: try JSON.parse(bytes))
    }
}

extension JSON {
    /// Decodes `type` from this value with `JSONValueDecoder`.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        try JSONValueDecoder().decode(type, from: self)
    }
}

final class JSONValueDecoderImpl: Decoder {
    var value: JSON
    var path: JSONCodingPath
    let userInfoStorage: [CodingUserInfoKey: any Sendable]

    init(value: JSON, path: JSONCodingPath, userInfo: [CodingUserInfoKey: any Sendable]) {
        self.value = value
        self.path = path
        self.userInfoStorage = userInfo
    }

    var codingPath: [any CodingKey] { path.keys }
    var userInfo: [CodingUserInfoKey: Any] { userInfoStorage }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else {
            throw mismatch([String: JSON].self, expected: "object", value, path)
        }
        return KeyedDecodingContainer(JSONKeyedDecodingContainer<Key>(decoder: self, members: members, path: path))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else {
            throw mismatch([JSON].self, expected: "array", value, path)
        }
        return JSONUnkeyedDecodingContainer(decoder: self, elements: elements, path: path)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        JSONSingleValueDecodingContainer(decoder: self, value: value, path: path)
    }

    // MARK: Unboxing

    func mismatch(_ type: Any.Type, expected: String, _ value: JSON, _ path: JSONCodingPath) -> DecodingError {
        let context = DecodingError.Context(codingPath: path.keys, debugDescription: "expected \(expected), got \(value.kindName)")
        if value.isNull { return DecodingError.valueNotFound(type, context) }
        return DecodingError.typeMismatch(type, context)
    }

    @inline(__always)
    func unboxString(_ value: JSON, _ path: @autoclosure () -> JSONCodingPath) throws -> String {
        if case .string(let s) = value { return s }
        throw mismatch(String.self, expected: "string", value, path())
    }

    @inline(__always)
    func unboxBool(_ value: JSON, _ path: @autoclosure () -> JSONCodingPath) throws -> Bool {
        if case .bool(let b) = value { return b }
        throw mismatch(Bool.self, expected: "boolean", value, path())
    }

    @inline(__always)
    func unboxDouble(_ value: JSON, _ path: @autoclosure () -> JSONCodingPath) throws -> Double {
        switch value {
        case .double(let d): return d
        case .int(let i): return Double(i)
        default: throw mismatch(Double.self, expected: "number", value, path())
        }
    }

    @inline(__always)
    func unboxFloat(_ value: JSON, _ path: @autoclosure () -> JSONCodingPath) throws -> Float {
        switch value {
        case .double(let d):
            let f = Float(d)
            if f.isInfinite && d.isFinite {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: path().keys, debugDescription: "number \(GoFloat.jsonText(d)) does not fit in Float"))
            }
            return f
        case .int(let i): return Float(i)
        default: throw mismatch(Float.self, expected: "number", value, path())
        }
    }

    @inline(__always)
    func unboxInteger<T: FixedWidthInteger>(
        _ value: JSON, as type: T.Type, _ path: @autoclosure () -> JSONCodingPath
    ) throws -> T {
        // What reads as an integer is `JSONTreeReading`'s rule, shared with the direct readers; the rest is why not.
        if let v = JSONTreeReading.integer(value, as: T.self) { return v }
        switch value {
        case .int(let i):
            throw DecodingError.dataCorrupted(
                .init(codingPath: path().keys, debugDescription: "number \(i) does not fit in \(T.self)"))
        case .double(let d):
            if d.rounded(.towardZero) != d {
                throw DecodingError.typeMismatch(
                    T.self,
                    .init(codingPath: path().keys, debugDescription: "expected integer, got number \(GoFloat.jsonText(d))"))
            }
            throw DecodingError.dataCorrupted(
                .init(codingPath: path().keys, debugDescription: "number \(GoFloat.jsonText(d)) does not fit in \(T.self)"))
        default:
            throw mismatch(T.self, expected: "integer", value, path())
        }
    }

    /// Decodes any `Decodable` from `value`, with fast paths for primitives, arrays, string-keyed
    /// dictionaries and the special Foundation types; other types run `init(from:)` against this
    /// (reused) decoder. The path is only built when needed (an error, or a nested `init(from:)`).
    @inline(__always)
    func unbox<T: Decodable>(_ value: JSON, as type: T.Type, path: @autoclosure () -> JSONCodingPath) throws -> T {
        if T.self == String.self { return unsafeBitCast(try unboxString(value, path()), to: T.self) }
        if T.self == Int.self { return unsafeBitCast(try unboxInteger(value, as: Int.self, path()), to: T.self) }
        if T.self == Bool.self { return unsafeBitCast(try unboxBool(value, path()), to: T.self) }
        if T.self == Int64.self { return unsafeBitCast(try unboxInteger(value, as: Int64.self, path()), to: T.self) }
        if T.self == Double.self { return unsafeBitCast(try unboxDouble(value, path()), to: T.self) }
        if T.self == JSON.self { return unsafeBitCast(value, to: T.self) }
        return try unboxSlow(value, as: T.self, path: path())
    }

    func unboxSlow<T: Decodable>(_ value: JSON, as type: T.Type, path: JSONCodingPath) throws -> T {
        switch value {
        case .array(let elements):
            if let arrayType = T.self as? any JSONFastArrayDecodable.Type {
                return try arrayType.decodeJSONArray(elements, decoder: self, path: path) as! T
            }
        case .object(let members):
            if T.self == [String: String].self {
                var result = [String: String](minimumCapacity: members.count)
                for (key, member) in members {
                    result[key] = try unboxString(member, path.appending(JSONCodingKey(stringValue: key)))
                }
                return unsafeBitCast(result, to: T.self)
            }
            if T.self == [String: JSON].self { return unsafeBitCast(members, to: T.self) }
        case .string:
            if T.self == Date.self { return unsafeBitCast(try unboxDate(value, path), to: T.self) }
            if T.self == Data.self { return unsafeBitCast(try unboxData(value, path), to: T.self) }
            if T.self == URL.self { return unsafeBitCast(try unboxURL(value, path), to: T.self) }
        default:
            break
        }
        let savedValue = self.value
        let savedPath = self.path
        self.value = value
        self.path = path
        defer {
            self.value = savedValue
            self.path = savedPath
        }
        return try T(from: self)
    }

    func unboxDate(_ value: JSON, _ path: JSONCodingPath) throws -> Date {
        let text = try unboxString(value, path)
        guard let date = RFC3339.parse(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: path.keys, debugDescription: "invalid RFC 3339 timestamp \"\(text)\""))
        }
        return date
    }

    func unboxData(_ value: JSON, _ path: JSONCodingPath) throws -> Data {
        let text = try unboxString(value, path)
        guard let data = Data(base64Encoded: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: path.keys, debugDescription: "invalid base64 data"))
        }
        return data
    }

    func unboxURL(_ value: JSON, _ path: JSONCodingPath) throws -> URL {
        let text = try unboxString(value, path)
        guard let url = URL(string: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: path.keys, debugDescription: "invalid URL \"\(text)\""))
        }
        return url
    }
}

/// Arrays decode element by element straight from the tree, skipping the unkeyed container.
protocol JSONFastArrayDecodable {
    static func decodeJSONArray(_ elements: [JSON], decoder: JSONValueDecoderImpl, path: JSONCodingPath) throws -> Self
}

extension Array: JSONFastArrayDecodable where Element: Decodable {
    static func decodeJSONArray(_ elements: [JSON], decoder: JSONValueDecoderImpl, path: JSONCodingPath) throws -> [Element] {
        if Element.self == JSON.self { return unsafeBitCast(elements, to: [Element].self) }
        var result: [Element] = []
        result.reserveCapacity(elements.count)
        for index in elements.indices {
            result.append(try decoder.unbox(elements[index], as: Element.self, path: .index(index, path)))
        }
        return result
    }
}

// MARK: - Keyed

struct JSONKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: JSONValueDecoderImpl
    let members: [String: JSON]
    let path: JSONCodingPath

    var codingPath: [any CodingKey] { path.keys }

    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    @inline(__always)
    func value(for key: Key) throws -> JSON {
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(
                key, .init(codingPath: path.keys, debugDescription: "no value for key \"\(key.stringValue)\""))
        }
        return value
    }

    /// The value for `key`, or nil when it is missing or `null`.
    @inline(__always)
    func present(_ key: Key) -> JSON? {
        guard let value = members[key.stringValue] else { return nil }
        if case .null = value { return nil }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool { try value(for: key).isNull }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        try decoder.unboxBool(try value(for: key), path.appending(key))
    }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try decoder.unboxString(try value(for: key), path.appending(key))
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        try decoder.unboxDouble(try value(for: key), path.appending(key))
    }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        try decoder.unboxFloat(try value(for: key), path.appending(key))
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try integer(key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try integer(key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try integer(key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try integer(key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try integer(key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try integer(key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try integer(key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try integer(key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try integer(key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try integer(key) }
    @available(macOS 15.0, *)
    func decode(_ type: Int128.Type, forKey key: Key) throws -> Int128 { try integer(key) }
    @available(macOS 15.0, *)
    func decode(_ type: UInt128.Type, forKey key: Key) throws -> UInt128 { try integer(key) }

    @inline(__always)
    func integer<T: FixedWidthInteger>(_ key: Key) throws -> T {
        try decoder.unboxInteger(try value(for: key), as: T.self, path.appending(key))
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder.unbox(try value(for: key), as: T.self, path: path.appending(key))
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        guard let v = present(key) else { return nil }
        return try decoder.unboxBool(v, path.appending(key))
    }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        guard let v = present(key) else { return nil }
        return try decoder.unboxString(v, path.appending(key))
    }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        guard let v = present(key) else { return nil }
        return try decoder.unboxDouble(v, path.appending(key))
    }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? {
        guard let v = present(key) else { return nil }
        return try decoder.unboxFloat(v, path.appending(key))
    }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try integerIfPresent(key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try integerIfPresent(key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try integerIfPresent(key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try integerIfPresent(key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try integerIfPresent(key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try integerIfPresent(key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try integerIfPresent(key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try integerIfPresent(key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try integerIfPresent(key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try integerIfPresent(key) }

    @inline(__always)
    func integerIfPresent<T: FixedWidthInteger>(_ key: Key) throws -> T? {
        guard let v = present(key) else { return nil }
        return try decoder.unboxInteger(v, as: T.self, path.appending(key))
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let v = present(key) else { return nil }
        return try decoder.unbox(v, as: T.self, path: path.appending(key))
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let v = try value(for: key)
        guard case .object(let nested) = v else {
            throw decoder.mismatch([String: JSON].self, expected: "object", v, path.appending(key))
        }
        return KeyedDecodingContainer(
            JSONKeyedDecodingContainer<NestedKey>(decoder: decoder, members: nested, path: path.appending(key)))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        let v = try value(for: key)
        guard case .array(let elements) = v else {
            throw decoder.mismatch([JSON].self, expected: "array", v, path.appending(key))
        }
        return JSONUnkeyedDecodingContainer(decoder: decoder, elements: elements, path: path.appending(key))
    }

    func superDecoder() throws -> any Decoder {
        JSONValueDecoderImpl(
            value: members[JSONCodingKey.super.stringValue] ?? .null, path: path.appending(JSONCodingKey.super),
            userInfo: decoder.userInfoStorage)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        JSONValueDecoderImpl(
            value: members[key.stringValue] ?? .null, path: path.appending(key), userInfo: decoder.userInfoStorage)
    }
}

// MARK: - Unkeyed

struct JSONUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    let decoder: JSONValueDecoderImpl
    let elements: [JSON]
    let path: JSONCodingPath
    var currentIndex = 0

    init(decoder: JSONValueDecoderImpl, elements: [JSON], path: JSONCodingPath) {
        self.decoder = decoder
        self.elements = elements
        self.path = path
    }

    var codingPath: [any CodingKey] { path.keys }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    var elementPath: JSONCodingPath { .index(currentIndex, path) }

    mutating func next(_ type: Any.Type) throws -> JSON {
        guard currentIndex < elements.count else {
            throw DecodingError.valueNotFound(
                type, .init(codingPath: elementPath.keys, debugDescription: "unkeyed container is at end"))
        }
        return elements[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        if try next(JSON.self).isNull {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool {
        let v = try decoder.unboxBool(try next(type), elementPath)
        currentIndex += 1
        return v
    }
    mutating func decode(_ type: String.Type) throws -> String {
        let v = try decoder.unboxString(try next(type), elementPath)
        currentIndex += 1
        return v
    }
    mutating func decode(_ type: Double.Type) throws -> Double {
        let v = try decoder.unboxDouble(try next(type), elementPath)
        currentIndex += 1
        return v
    }
    mutating func decode(_ type: Float.Type) throws -> Float {
        let v = try decoder.unboxFloat(try next(type), elementPath)
        currentIndex += 1
        return v
    }
    mutating func decode(_ type: Int.Type) throws -> Int { try integer() }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try integer() }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try integer() }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try integer() }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try integer() }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try integer() }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try integer() }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try integer() }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try integer() }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try integer() }
    @available(macOS 15.0, *)
    mutating func decode(_ type: Int128.Type) throws -> Int128 { try integer() }
    @available(macOS 15.0, *)
    mutating func decode(_ type: UInt128.Type) throws -> UInt128 { try integer() }

    mutating func integer<T: FixedWidthInteger>() throws -> T {
        let v = try decoder.unboxInteger(try next(T.self), as: T.self, elementPath)
        currentIndex += 1
        return v
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let v = try decoder.unbox(try next(type), as: T.self, path: elementPath)
        currentIndex += 1
        return v
    }

    mutating func decodeIfPresent<T: Decodable>(_ type: T.Type) throws -> T? {
        guard currentIndex < elements.count else { return nil }
        if elements[currentIndex].isNull {
            currentIndex += 1
            return nil
        }
        return try decode(type)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let v = try next([String: JSON].self)
        guard case .object(let members) = v else {
            throw decoder.mismatch([String: JSON].self, expected: "object", v, elementPath)
        }
        let container = JSONKeyedDecodingContainer<NestedKey>(decoder: decoder, members: members, path: elementPath)
        currentIndex += 1
        return KeyedDecodingContainer(container)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let v = try next([JSON].self)
        guard case .array(let nested) = v else {
            throw decoder.mismatch([JSON].self, expected: "array", v, elementPath)
        }
        let container = JSONUnkeyedDecodingContainer(decoder: decoder, elements: nested, path: elementPath)
        currentIndex += 1
        return container
    }

    mutating func superDecoder() throws -> any Decoder {
        let v = try next(JSON.self)
        let sub = JSONValueDecoderImpl(value: v, path: elementPath, userInfo: decoder.userInfoStorage)
        currentIndex += 1
        return sub
    }
}

// MARK: - Single value

struct JSONSingleValueDecodingContainer: SingleValueDecodingContainer {
    let decoder: JSONValueDecoderImpl
    let value: JSON
    let path: JSONCodingPath

    var codingPath: [any CodingKey] { path.keys }

    func decodeNil() -> Bool { value.isNull }
    func decode(_ type: Bool.Type) throws -> Bool { try decoder.unboxBool(value, path) }
    func decode(_ type: String.Type) throws -> String { try decoder.unboxString(value, path) }
    func decode(_ type: Double.Type) throws -> Double { try decoder.unboxDouble(value, path) }
    func decode(_ type: Float.Type) throws -> Float { try decoder.unboxFloat(value, path) }
    func decode(_ type: Int.Type) throws -> Int { try decoder.unboxInteger(value, as: type, path) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decoder.unboxInteger(value, as: type, path) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decoder.unboxInteger(value, as: type, path) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decoder.unboxInteger(value, as: type, path) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decoder.unboxInteger(value, as: type, path) }
    func decode(_ type: UInt.Type) throws -> UInt { try decoder.unboxInteger(value, as: type, path) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.unboxInteger(value, as: type, path) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.unboxInteger(value, as: type, path) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.unboxInteger(value, as: type, path) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.unboxInteger(value, as: type, path) }
    @available(macOS 15.0, *)
    func decode(_ type: Int128.Type) throws -> Int128 { try decoder.unboxInteger(value, as: type, path) }
    @available(macOS 15.0, *)
    func decode(_ type: UInt128.Type) throws -> UInt128 { try decoder.unboxInteger(value, as: type, path) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.unbox(value, as: T.self, path: path) }
}
