import Foundation

/// One value in a binary image, for types above this module to read directly, as `BinaryDecoding+Direct` does for
/// those of this one: a checkpoint holds tens of thousands of objects, members and bindings, and through `Codable`
/// each costs a keyed container, a search per field and generic metadata.
///
/// A reader given a field it does not know throws (`unknownField`) rather than skip it: the image would then hold
/// something the reader leaves out, and the state it gives would differ from the image's. Its image is refused, and
/// start-up replays past it instead.
public struct BinaryValue {
    let decoding: BinaryDecoding
    let offset: Int

    /// A reader's refusal of a field it does not read.
    public static func unknownField(_ name: String, of type: Any.Type) -> DecodingError {
        BinaryReader.corrupt("\(type) has no field \(name) to read directly")
    }

    /// A reader's refusal of a value without a field it requires.
    public static func missingField(_ name: String, of type: Any.Type) -> DecodingError {
        BinaryReader.corrupt("\(type) without its \(name)")
    }

    public var isNil: Bool {
        get throws { try decoding.isNil(at: offset) }
    }

    public func string() throws -> String { try decoding.decodeString(at: offset) }
    public func integer<T: FixedWidthInteger>(_ type: T.Type = T.self) throws -> T { try decoding.decodeInteger(type, at: offset) }
    public func bool() throws -> Bool { try decoding.decodeBool(at: offset) }
    public func double() throws -> Double { try decoding.decodeDouble(at: offset) }
    public func date() throws -> Date { try decoding.date(at: offset) }
    public func json() throws -> JSON { try decoding.decodeJSON(at: offset) }

    /// The tree here, shared with an equal one read before from the same image.
    public func sharedJSON() throws -> JSON { try decoding.sharedJSON(at: offset) }

    /// The value here through `init(from:)`, for what is rare enough not to need a direct reader.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoding.decodeValue(type, at: offset) }

    /// The value here read by `read`, or nil when it is null (an optional encoded as present).
    public func optional<T>(_ read: (BinaryValue) throws -> T) throws -> T? {
        try isNil ? nil : try read(self)
    }

    /// Calls `body` with each field of the keyed container here (a struct's stored properties, or a dictionary's
    /// entries keyed by strings or integers, as their key's text), in the order they were written.
    public func forEachField(_ body: (String, BinaryValue) throws -> Void) throws {
        try decoding.forEachEntry(at: offset) { key, value in try body(key, BinaryValue(decoding: decoding, offset: value)) }
    }

    /// How many elements or fields the container here holds, to make room for them before reading them.
    public var count: Int {
        get throws {
            var reader = decoding.reader
            reader.position = offset
            switch try reader.tag() {
            case .keyed, .unkeyed: return try reader.compositeHeader().count
            default: throw BinaryReader.corrupt("expected a container")
            }
        }
    }

    /// The field `name` of the keyed container here; it throws when there is none.
    public func field(_ name: String) throws -> BinaryValue {
        var found: Int?
        try decoding.forEachEntry(at: offset) { key, value in
            if found == nil, key == name { found = value }
        }
        guard let found else { throw Self.missingField(name, of: BinaryValue.self) }
        return BinaryValue(decoding: decoding, offset: found)
    }

    /// The elements of the unkeyed container here (an array), or those at the positions in `range`, each read by
    /// `element`: threads can each read a part of one array.
    public func elements<Element>(in range: Range<Int>? = nil, _ element: (BinaryValue) throws -> Element) throws -> [Element] {
        try decoding.array(at: offset, in: range) { try element(BinaryValue(decoding: decoding, offset: $0)) }
    }
}

extension BinaryFields {
    /// The field `key` of the image's keyed value, to read directly.
    public func value(forKey key: String) throws -> BinaryValue {
        try BinaryValue(decoding: BinaryDecoding(reader: reader, strings: strings), offset: reader.position).field(key)
    }
}
