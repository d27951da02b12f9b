import Foundation

/// Reads one JSON text token by token, for a decoder that knows the shape it expects: nothing is built but the
/// values it asks for, so a small object costs its strings and numbers, not a tree and a `Codable` pass.
///
/// ```swift
/// var reader = JSONPullReader(buffer)
/// try reader.beginObject()
/// while let key = try reader.nextKey() {
///     if key == "stage" { stage = try reader.int() } else { try reader.skipValue() }
/// }
/// try reader.end()
/// ```
///
/// It is strict where it reads (what it accepts is valid JSON) but narrower than `JSON.parse`: keys with escapes
/// and numbers asked for as integers that are not integers throw. Callers fall back to the tree for those.
public struct JSONPullReader {
    private var parser: JSONByteParser
    /// Whether the container just begun has had no member or element yet, so the next one takes no comma.
    private var fresh = false
    private let cache: JSONTreeCache?

    /// A reader of `buffer`; with `cache`, `sharedValue` reuses trees read before from the same bytes.
    public init(_ buffer: UnsafeBufferPointer<UInt8>, sharing cache: JSONTreeCache? = nil) {
        parser = JSONByteParser(buffer)
        self.cache = cache
        parser.skipWhitespace()
    }

    /// A member's key, as the bytes between its quotes; valid while the buffer is.
    public struct Key {
        let bytes: UnsafeBufferPointer<UInt8>

        public static func == (key: Key, name: StaticString) -> Bool {
            let count = name.utf8CodeUnitCount
            guard key.bytes.count == count else { return false }
            let name = name.utf8Start
            for index in 0..<count where key.bytes[index] != name[index] { return false }
            return true
        }

        /// The key as a string.
        public var string: String { String(decoding: bytes, as: UTF8.self) }
    }

    private func peek() -> UInt8? {
        parser.position < parser.count ? parser.byte(parser.position) : nil
    }

    private mutating func expect(_ byte: UInt8, _ what: @autoclosure () -> String) throws(JSONParseError) {
        guard peek() == byte else { throw parser.error("unexpected \(parser.describeByte(parser.position)), expected \(what())") }
        parser.position += 1
        parser.skipWhitespace()
    }

    /// Reads the `{` of an object; then `nextKey` until it returns nil.
    public mutating func beginObject() throws(JSONParseError) {
        try expect(UInt8(ascii: "{"), "an object")
        fresh = true
    }

    /// The next member's key, leaving the reader at its value; nil once the object's `}` is read.
    public mutating func nextKey() throws(JSONParseError) -> Key? {
        guard try next(closing: UInt8(ascii: "}")) else { return nil }
        guard peek() == UInt8(ascii: "\"") else { throw parser.error("expected a string key") }
        let start = parser.position + 1
        var end = start
        while end < parser.count, parser.byte(end) != UInt8(ascii: "\"") {
            let byte = parser.byte(end)
            guard byte != UInt8(ascii: "\\"), byte >= 0x20 else { throw parser.error("a key this reader does not read", at: end) }
            end += 1
        }
        guard end < parser.count else { throw parser.error("unterminated key") }
        let key = Key(bytes: UnsafeBufferPointer(start: parser.base.unsafelyUnwrapped + start, count: end - start))
        parser.position = end + 1
        parser.skipWhitespace()
        try expect(UInt8(ascii: ":"), "':' after an object key")
        return key
    }

    /// Reads the `[` of an array; then `nextElement` until it returns false.
    public mutating func beginArray() throws(JSONParseError) {
        try expect(UInt8(ascii: "["), "an array")
        fresh = true
    }

    /// Whether another element follows, leaving the reader at it; false once the array's `]` is read.
    public mutating func nextElement() throws(JSONParseError) -> Bool {
        try next(closing: UInt8(ascii: "]"))
    }

    private mutating func next(closing: UInt8) throws(JSONParseError) -> Bool {
        if peek() == closing {
            parser.position += 1
            parser.skipWhitespace()
            fresh = false
            return false
        }
        if fresh {
            fresh = false
        } else {
            try expect(UInt8(ascii: ","), "',' or '\(Character(Unicode.Scalar(closing)))'")
        }
        return true
    }

    public mutating func string() throws(JSONParseError) -> String {
        guard peek() == UInt8(ascii: "\"") else { throw parser.error("expected a string") }
        let value = try parser.parseString()
        parser.skipWhitespace()
        return value
    }

    /// Strings a reader expects again and again (kind names), so reading one returns the instance kept here.
    public struct Vocabulary: Sendable {
        let words: [(bytes: [UInt8], string: String)]

        public init(_ words: [String]) {
            self.words = words.map { (Array($0.utf8), $0) }
        }
    }

    /// A string that is most likely a word of `vocabulary`: returns that instance when it is, so it is not made again.
    public mutating func string(oneOf vocabulary: Vocabulary) throws(JSONParseError) -> String {
        guard peek() == UInt8(ascii: "\"") else { throw parser.error("expected a string") }
        let start = parser.position + 1
        var end = start
        while end < parser.count, parser.byte(end) != UInt8(ascii: "\""), parser.byte(end) != UInt8(ascii: "\\") { end += 1 }
        if end < parser.count, parser.byte(end) == UInt8(ascii: "\"") {
            let text = parser.base.unsafelyUnwrapped + start
            for word in vocabulary.words where !word.bytes.isEmpty && word.bytes.count == end - start {
                if word.bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress!, text, end - start) == 0 }) {
                    parser.position = end + 1
                    parser.skipWhitespace()
                    return word.string
                }
            }
        }
        return try string()
    }

    /// An integer written without fraction or exponent.
    public mutating func int() throws(JSONParseError) -> Int64 {
        let start = parser.position
        guard peek() != nil, case .int(let value) = try parser.parseNumber() else {
            throw parser.error("expected an integer", at: start)
        }
        parser.skipWhitespace()
        return value
    }

    /// Reads `null` if it comes next.
    public mutating func null() throws(JSONParseError) -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try parser.expectLiteral("null")
        parser.skipWhitespace()
        return true
    }

    /// The next value as a tree.
    public mutating func value() throws(JSONParseError) -> JSON {
        let value = try parser.parseValue()
        parser.skipWhitespace()
        return value
    }

    /// The next value as a tree, the same instance as a tree read before from the same bytes when the reader has
    /// a cache: for values that repeat across payloads (applied resources), not for ones that are always new.
    public mutating func sharedValue() throws(JSONParseError) -> JSON {
        guard let cache else { return try value() }
        let start = parser.position
        let end = try extent(from: start)
        guard end > start else { return try value() }
        let bytes = UnsafeBufferPointer(start: parser.base.unsafelyUnwrapped + start, count: end - start)
        let tree = try cache.tree(for: bytes) { () throws(JSONParseError) in
            var parser = JSONByteParser(bytes)
            let tree = try parser.parseValue()
            guard parser.position == parser.count else { throw parser.error("a value of another length") }
            return tree
        }
        parser.position = end
        parser.skipWhitespace()
        return tree
    }

    /// Where the value at `start` ends, found by its brackets and quotes alone; the parse that builds a tree from
    /// those bytes checks them.
    private func extent(from start: Int) throws(JSONParseError) -> Int {
        var position = start
        var depth = 0
        var inString = false
        while position < parser.count {
            let byte = parser.byte(position)
            position += 1
            if inString {
                if byte == UInt8(ascii: "\\") {
                    position += 1
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if depth == 0 { return position }
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return position }
                if depth < 0 { return position - 1 }
            case UInt8(ascii: ","), 0x20, 0x0A, 0x0D, 0x09:
                if depth == 0 { return position - 1 }
            default: break
            }
        }
        guard depth == 0 && !inString else { throw parser.error("unterminated value", at: start) }
        return position
    }

    public mutating func skipValue() throws(JSONParseError) {
        _ = try value()
    }

    /// Checks that nothing but whitespace is left.
    public mutating func end() throws(JSONParseError) {
        guard parser.position == parser.count else { throw parser.error("unexpected \(parser.describeByte(parser.position)) after the JSON value") }
    }

    /// An error at the reader's position, for a shape the caller did not expect.
    public func error(_ message: String) -> JSONParseError {
        parser.error(message)
    }
}
