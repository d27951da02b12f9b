internal import ByteHashing
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
    @usableFromInline var parser: JSONByteParser
    /// Whether the container just begun has had no member or element yet, so the next one takes no comma.
    private var fresh = false
    @usableFromInline let cache: JSONTreeCache?

    /// A reader of `buffer`; with `cache`, `sharedValue` reuses trees read before from the same bytes, the
    /// objects of new trees are built from those of the same keys before (`JSONObjectTemplates`), and short strings
    /// are the instances read before from the same bytes (`JSONShortStrings`).
    public init(_ buffer: UnsafeBufferPointer<UInt8>, sharing cache: JSONTreeCache? = nil) {
        parser = JSONByteParser(buffer, templates: cache?.templates, shortStrings: cache?.shortStrings)
        self.cache = cache
        parser.skipWhitespace()
    }

    /// A member's key, as the bytes between its quotes; valid while the buffer is.
    public struct Key {
        @usableFromInline let bytes: UnsafeBufferPointer<UInt8>

        /// Inlinable so a reader's chain of comparisons against its field names compiles to a few compares each.
        @inlinable
        public static func == (key: Key, name: StaticString) -> Bool {
            let count = name.utf8CodeUnitCount
            guard key.bytes.count == count else { return false }
            guard count > 0 else { return true }
            let bytes = key.bytes.baseAddress.unsafelyUnwrapped
            let name = name.utf8Start
            for index in 0..<count where bytes[index] != name[index] { return false }
            return true
        }

        /// The key as a string.
        public var string: String { String(decoding: bytes, as: UTF8.self) }
    }

    @inlinable func peek() -> UInt8? {
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

    /// Reads `literal` (punctuation and keys as a writer spells them) when the text goes on with exactly it: for
    /// readers that try the one layout the journal writes (canonical JSON) before reading members in any order,
    /// where finding and comparing each key cost more than the value. See `mark`.
    ///
    /// Inlinable, so the literal's length is known where it is called and the comparison is a few loads: a call
    /// here cost about 60 instructions, seven or eight times an event.
    @inlinable
    public mutating func skip(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard parser.count - parser.position >= count,
            memcmp(parser.base.unsafelyUnwrapped + parser.position, literal.utf8Start, count) == 0
        else { return false }
        parser.position += count
        parser.skipWhitespace()
        return true
    }

    /// Where the reader is, to come back to with `rewind(to:)` when a reader that tried one layout finds another.
    public struct Mark {
        let position: Int
        let fresh: Bool
    }

    public var mark: Mark { Mark(position: parser.position, fresh: fresh) }

    public mutating func rewind(to mark: Mark) {
        parser.position = mark.position
        fresh = mark.fresh
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

    /// Strings a reader expects again and again (kind names, event types), so reading one returns the instance kept
    /// here; found by a hash of the bytes, where going down the list cost more than making the string.
    public struct Vocabulary: Sendable {
        let words: [String]
        /// The words' UTF-8 bytes one after another: word `i` is `text[starts[i]..<starts[i + 1]]`.
        let text: [UInt8]
        let starts: [Int]
        /// Indices into `words` by `ByteHash` (a power of two many, open addressing); -1 marks an empty slot.
        let slots: [Int]

        public init(_ words: [String]) {
            self.words = words
            var text: [UInt8] = []
            var starts = [0]
            for word in words {
                text.append(contentsOf: word.utf8)
                starts.append(text.count)
            }
            var capacity = 8
            while capacity < words.count * 2 { capacity *= 2 }
            var slots = [Int](repeating: -1, count: capacity)
            for index in words.indices where starts[index + 1] > starts[index] {
                var slot = text.withUnsafeBufferPointer {
                    ByteHash.of($0.baseAddress! + starts[index], count: starts[index + 1] - starts[index])
                } & (capacity - 1)
                while slots[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
                slots[slot] = index
            }
            self.text = text
            self.starts = starts
            self.slots = slots
        }

        /// The index in `words` of the word spelled by these bytes; never that of the empty word.
        func index(_ start: UnsafePointer<UInt8>, count: Int) -> Int? {
            guard count > 0 else { return nil }
            return text.withUnsafeBufferPointer { text in
                starts.withUnsafeBufferPointer { starts in
                    slots.withUnsafeBufferPointer { slots in
                        let mask = slots.count - 1
                        var slot = ByteHash.of(start, count: count) & mask
                        while slots[slot] >= 0 {
                            let index = slots[slot]
                            if starts[index + 1] - starts[index] == count,
                                memcmp(text.baseAddress.unsafelyUnwrapped + starts[index], start, count) == 0
                            {
                                return index
                            }
                            slot = (slot + 1) & mask
                        }
                        return nil
                    }
                }
            }
        }

        /// The index among the words given of `string`, if it is one of them and not empty.
        public func index(of string: String) -> Int? {
            // The bytes where the string keeps them: `withUTF8` needs a copy of it to call, retained and released.
            if let found = string.utf8.withContiguousStorageIfAvailable({ bytes in
                bytes.baseAddress.flatMap { index($0, count: bytes.count) }
            }) {
                return found
            }
            var string = string
            return string.withUTF8 { bytes in bytes.baseAddress.flatMap { index($0, count: bytes.count) } }
        }
    }

    /// A string that is most likely a word of `vocabulary`: returns that instance when it is, so it is not made again.
    public mutating func string(oneOf vocabulary: Vocabulary) throws(JSONParseError) -> String {
        guard peek() == UInt8(ascii: "\"") else { throw parser.error("expected a string") }
        let start = parser.position + 1
        if let end = parser.plainStringEnd(from: start),
            let index = vocabulary.index(parser.base.unsafelyUnwrapped + start, count: end - start)
        {
            parser.position = end + 1
            parser.skipWhitespace()
            return vocabulary.words[index]
        }
        return try string()
    }

    /// The next string, and its bytes as the text holds them when it has no escapes (nil when it has), valid while
    /// the buffer is; with `vocabulary`, the instance kept there when it is one of its words. For a reader that
    /// derives something from the bytes (a hash) while they are at hand.
    public mutating func stringAndBytes(
        oneOf vocabulary: Vocabulary? = nil
    ) throws(JSONParseError) -> (string: String, bytes: UnsafeBufferPointer<UInt8>?) {
        guard peek() == UInt8(ascii: "\"") else { throw parser.error("expected a string") }
        let start = parser.position + 1
        guard let end = parser.plainStringEnd(from: start) else { return (try string(), nil) }
        let bytes = UnsafeBufferPointer(start: parser.base.unsafelyUnwrapped + start, count: end - start)
        let string =
            if let vocabulary, let index = vocabulary.index(bytes.baseAddress!, count: bytes.count) {
                vocabulary.words[index]
            } else {
                parser.plainString(from: start, to: end)
            }
        parser.position = end + 1
        parser.skipWhitespace()
        return (string, bytes)
    }

    /// An integer written without fraction or exponent.
    public mutating func int() throws(JSONParseError) -> Int64 {
        let start = parser.position
        // A few digits and then no fraction or exponent (stages, indices): read here, where the general number
        // reader cost more than the rest of the field.
        var end = start
        var small: Int64 = 0
        while end < parser.count, end - start < 18, case let digit = parser.byte(end) &- UInt8(ascii: "0"), digit < 10 {
            small = small * 10 + Int64(digit)
            end += 1
        }
        if end > start, end - start < 18, end - start == 1 || parser.byte(start) != UInt8(ascii: "0"),
            end == parser.count || ![UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(parser.byte(end))
        {
            parser.position = end
            parser.skipWhitespace()
            return small
        }
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
    ///
    /// Only objects and arrays are shared: they end at their closing bracket, so a remembered text that the
    /// payload begins with here is the whole value, matched without first scanning for its end.
    public mutating func sharedValue() throws(JSONParseError) -> JSON {
        try shared().tree
    }

    /// The elements of the next value, an array, each as `sharedValue` reads it; with a cache, the array itself is
    /// shared too, so an array read before costs one look-up rather than one for each element and a new array.
    public mutating func sharedElements() throws(JSONParseError) -> [JSON] {
        let start = parser.position
        let text = parser.base.unsafelyUnwrapped + start
        let available = parser.count - start
        if let cache, peek() == UInt8(ascii: "["), let (_, tree, count) = cache.entry(at: text, available: available),
            case .array(let elements) = tree
        {
            parser.position = start + count
            parser.skipWhitespace()
            return elements
        }
        var elements: [JSON] = []
        // Room for a few at once: growing from empty took two allocations for the usual two objects.
        elements.reserveCapacity(4)
        try beginArray()
        while try nextElement() { elements.append(try sharedValue()) }
        if let cache {
            // The array's text ends at its `]`, before the whitespace read after it.
            var end = parser.position
            while end > start, parser.byte(end - 1) != UInt8(ascii: "]") { end -= 1 }
            cache.remember(.array(elements), readFrom: UnsafeBufferPointer(start: text, count: end - start), available: available)
        }
        return elements
    }

    /// The next value as `decode` makes it from its tree, the same value as made before from the same bytes when
    /// the reader has a cache: for values that repeat and cost much to decode (a run's strategy). `decode` must
    /// depend on the tree alone.
    public mutating func sharedValue<Value>(decodedBy decode: (JSON) throws -> Value) throws -> Value {
        let (tree, entry) = try shared()
        guard let cache, let entry else { return try decode(tree) }
        if let value = cache.decoded(entry) as? Value { return value }
        let value = try decode(tree)
        cache.keep(decoded: value, entry)
        return value
    }

    /// The next value, an object or array, as `read` reads it; with a cache, the same value as read before from the
    /// same text, found by the text's first bytes and matched whole: for small values that repeat event after event
    /// and cost much more to read than to match (an object's key names the same run event after event). `read` must
    /// depend on the text alone.
    ///
    /// Inlinable, so it is made for `Value` where it is called: unspecialized, finding the type's metadata and
    /// casting the value out of an existential cost more than reading a key.
    @inlinable
    public mutating func sharedDecoded<Value>(_ read: (inout JSONPullReader) throws -> Value) throws -> Value {
        guard let cache, let opening = peek(), opening == UInt8(ascii: "{") || opening == UInt8(ascii: "[") else {
            return try read(&self)
        }
        let start = parser.position
        let text = parser.base.unsafelyUnwrapped + start
        let available = parser.count - start
        if let (box, count) = cache.decoded(at: text, available: available), let box = box as? JSONDecodedBox<Value> {
            parser.position = start + count
            parser.skipWhitespace()
            return box.value
        }
        let value = try read(&self)
        // The text ends at its closing bracket, before the whitespace read after it.
        var end = parser.position
        while end > start, parser.byte(end - 1) != UInt8(ascii: "}") && parser.byte(end - 1) != UInt8(ascii: "]") { end -= 1 }
        cache.remember(
            decoded: JSONDecodedBox(value), readFrom: UnsafeBufferPointer(start: text, count: end - start), available: available)
        return value
    }

    /// The next value, and its entry in the cache when it has one.
    private mutating func shared() throws(JSONParseError) -> (tree: JSON, entry: Int?) {
        guard let cache, let opening = peek(), opening == UInt8(ascii: "{") || opening == UInt8(ascii: "[") else {
            return (try value(), nil)
        }
        let start = parser.position
        let text = parser.base.unsafelyUnwrapped + start
        let available = parser.count - start
        if let (entry, tree, count) = cache.entry(at: text, available: available) {
            parser.position = start + count
            parser.skipWhitespace()
            return (tree, entry)
        }
        let tree = try parser.parseValue()
        let entry = cache.remember(tree, readFrom: UnsafeBufferPointer(start: text, count: parser.position - start), available: available)
        parser.skipWhitespace()
        return (tree, entry)
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
