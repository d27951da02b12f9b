/// Why a byte sequence is not JSON, and where: `offset` is the 0-based byte offset of the problem.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var offset: Int
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "invalid JSON at byte \(offset): \(message)" }
}

extension JSON {
    /// The deepest nesting of arrays and objects `parse` (and `YAML.parse`) accepts. The API server's decoder
    /// allows 10000 on Go's growing stacks; here every later step (validation, patches, hashing, rendering)
    /// walks a value recursively on a fixed stack, so the bound is one those steps always survive.
    public static let maximumNestingDepth = 512

    /// Parses one RFC 8259 JSON text. Integers without fraction or exponent that fit in `Int64`
    /// become `.int`, every other number `.double`. Duplicate object keys: the last one wins.
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSON {
        try bytes.withUnsafeBufferPointer { (buffer) throws(JSONParseError) -> JSON in
            try parse(buffer)
        }
    }

    public static func parse(_ text: String) throws(JSONParseError) -> JSON {
        var text = text
        let result: Result<JSON, JSONParseError> = text.withUTF8 { buffer in
            do throws(JSONParseError) {
                return .success(try parse(buffer))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    public static func parse(_ text: Substring) throws(JSONParseError) -> JSON {
        try parse(String(text))
    }

    /// Parses any byte sequence (`Data`, `ArraySlice<UInt8>`, …), without copying when it is contiguous.
    public static func parse(_ bytes: some Sequence<UInt8>) throws(JSONParseError) -> JSON {
        let result: Result<JSON, JSONParseError>? = bytes.withContiguousStorageIfAvailable { buffer in
            do throws(JSONParseError) {
                return .success(try parse(buffer))
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let value)?: return value
        case .failure(let error)?: throw error
        case nil: return try parse(Array(bytes))
        }
    }

    public static func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSON {
        var parser = JSONByteParser(buffer)
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.position < parser.count {
            throw parser.error("unexpected \(parser.describeByte(parser.position)) after the JSON value")
        }
        return value
    }

    public static func parse(_ buffer: UnsafeRawBufferPointer) throws(JSONParseError) -> JSON {
        try parse(buffer.bindMemory(to: UInt8.self))
    }
}

/// `@usableFromInline` where `JSONPullReader`'s inlinable readers reach it.
@usableFromInline struct JSONByteParser {
    @usableFromInline let base: UnsafePointer<UInt8>?
    @usableFromInline let count: Int
    @usableFromInline var position = 0
    var depth = 0
    var scratch: [UInt8] = []
    /// Members and elements of the containers being parsed, so each finished container is built
    /// once at its exact size (no dictionary rehashing while growing).
    var keyStack: [String] = []
    var valueStack: [JSON] = []
    /// With `templates`, objects' keys are kept as where they are in the text, not as strings.
    let templates: JSONObjectTemplates?
    var keySpans: [Span] = []
    /// With `shortStrings`, a string short enough is the instance read before from the same bytes; the
    /// `JSONTreeCache` of the reader that made this parser holds it.
    let shortStrings: JSONShortStrings?

    /// Where a key's bytes are in the text.
    struct Span {
        let start: Int
        let count: Int
    }

    init(_ buffer: UnsafeBufferPointer<UInt8>, templates: JSONObjectTemplates? = nil, shortStrings: JSONShortStrings? = nil) {
        base = buffer.baseAddress
        count = buffer.count
        self.templates = templates
        self.shortStrings = shortStrings
    }

    @inlinable @inline(__always) func byte(_ index: Int) -> UInt8 { base.unsafelyUnwrapped[index] }

    func error(_ message: String, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(offset: offset ?? position, message: message)
    }

    /// Where, from `index` on, the first quote, backslash or control character is (`JSONSpecialBytes`): the
    /// string's bytes before it need no look one by one. Most of a resource's text is strings, and a byte at a time
    /// was most of reading them.
    @inline(__always) func plainRun(from index: Int) -> Int {
        JSONSpecialBytes.plainRun(base.unsafelyUnwrapped, from: index, count: count)
    }

    /// Where the string whose first byte is at `start` ends (its closing quote), when it has no escape or control
    /// character: its bytes are then its UTF-8 as they are.
    func plainStringEnd(from start: Int) -> Int? {
        var end = plainRun(from: start)
        while end < count {
            let b = byte(end)
            if b == UInt8(ascii: "\"") { return end }
            guard b != UInt8(ascii: "\\"), b >= 0x20 else { return nil }
            end += 1
        }
        return nil
    }

    func describeByte(_ index: Int) -> String {
        guard index < count else { return "end of input" }
        let b = byte(index)
        if b >= 0x21 && b < 0x7F { return "character '\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x\(String(b, radix: 16, uppercase: true))"
    }

    @inlinable @inline(__always) mutating func skipWhitespace() {
        while position < count {
            let b = byte(position)
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 {
                position += 1
            } else {
                return
            }
        }
    }

    mutating func parseValue() throws(JSONParseError) -> JSON {
        guard position < count else { throw error("unexpected end of input, expected a value") }
        switch byte(position) {
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "{"):
            return try parseObject()
        case UInt8(ascii: "["):
            return try parseArray()
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        default:
            throw error("unexpected \(describeByte(position)), expected a value")
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let n = literal.utf8CodeUnitCount
        let p = literal.utf8Start
        for i in 0..<n {
            guard position + i < count else {
                throw error("unexpected end of input in literal '\(literal)'", at: position + i)
            }
            if byte(position + i) != p[i] {
                throw error("invalid literal, expected '\(literal)'", at: position)
            }
        }
        position += n
    }

    mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > JSON.maximumNestingDepth {
            throw error("exceeded max depth of \(JSON.maximumNestingDepth)")
        }
        // Room for a few containers' members at once: growing the stacks from empty took five allocations each
        // per parser, and replay makes a parser per event.
        if valueStack.capacity == 0 {
            if templates == nil { keyStack.reserveCapacity(32) } else { keySpans.reserveCapacity(32) }
            valueStack.reserveCapacity(32)
        }
    }

    mutating func parseObject() throws(JSONParseError) -> JSON {
        try enter()
        position += 1  // {
        skipWhitespace()
        if position < count, byte(position) == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return .object([:])
        }
        if let templates, let object = try parseMembers(using: templates) { return object }
        let keyBase = keyStack.count
        let valueBase = valueStack.count
        while true {
            guard position < count else { throw error("unexpected end of input in object, expected a string key") }
            guard byte(position) == UInt8(ascii: "\"") else {
                throw error("unexpected \(describeByte(position)), expected a string key")
            }
            let key = try parseString()
            skipWhitespace()
            guard position < count, byte(position) == UInt8(ascii: ":") else {
                throw error("unexpected \(describeByte(position)), expected ':' after object key")
            }
            position += 1
            skipWhitespace()
            let value = try parseValue()
            keyStack.append(key)
            valueStack.append(value)
            skipWhitespace()
            guard position < count else { throw error("unexpected end of input in object, expected ',' or '}'") }
            let b = byte(position)
            position += 1
            if b == UInt8(ascii: ",") {
                skipWhitespace()
                continue
            }
            if b == UInt8(ascii: "}") { break }
            throw error("unexpected \(describeByte(position - 1)), expected ',' or '}' in object", at: position - 1)
        }
        depth -= 1
        let n = keyStack.count - keyBase
        var members = [String: JSON](minimumCapacity: n)
        for i in 0..<n {
            members[keyStack[keyBase + i]] = valueStack[valueBase + i]
        }
        // One at a time: `removeLast(_:)` goes through the generic range replacement, some 250 instructions a call.
        for _ in 0..<n {
            keyStack.removeLast()
            valueStack.removeLast()
        }
        return .object(members)
    }

    /// The members of the object whose first key is next, through `templates`; nil, with the parser where it was,
    /// when a key is escaped or the object is not well formed, for the general path to read (or report) it.
    private mutating func parseMembers(using templates: JSONObjectTemplates) throws(JSONParseError) -> JSON? {
        let first = position
        let spanBase = keySpans.count
        let valueBase = valueStack.count
        var closed = false
        while position < count, byte(position) == UInt8(ascii: "\"") {
            let start = position + 1
            guard let end = plainStringEnd(from: start) else { break }
            position = end + 1
            skipWhitespace()
            guard position < count, byte(position) == UInt8(ascii: ":") else { break }
            position += 1
            skipWhitespace()
            let value = try parseValue()
            keySpans.append(Span(start: start, count: end - start))
            valueStack.append(value)
            skipWhitespace()
            guard position < count else { break }
            let b = byte(position)
            position += 1
            if b == UInt8(ascii: ",") {
                skipWhitespace()
                continue
            }
            closed = b == UInt8(ascii: "}")
            break
        }
        let object: JSON? = closed
            ? templates.object(keys: keySpans[spanBase...], in: base.unsafelyUnwrapped, values: valueStack[valueBase...])
            : nil
        for _ in spanBase..<keySpans.count { keySpans.removeLast() }
        for _ in valueBase..<valueStack.count { valueStack.removeLast() }
        guard let object else {
            position = first
            return nil
        }
        depth -= 1
        return object
    }

    mutating func parseArray() throws(JSONParseError) -> JSON {
        try enter()
        position += 1  // [
        skipWhitespace()
        if position < count, byte(position) == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return .array([])
        }
        let base = valueStack.count
        while true {
            let value = try parseValue()
            valueStack.append(value)
            skipWhitespace()
            guard position < count else { throw error("unexpected end of input in array, expected ',' or ']'") }
            let b = byte(position)
            position += 1
            if b == UInt8(ascii: ",") {
                skipWhitespace()
                continue
            }
            if b == UInt8(ascii: "]") { break }
            throw error("unexpected \(describeByte(position - 1)), expected ',' or ']' in array", at: position - 1)
        }
        depth -= 1
        let elements = Array(valueStack[base...])
        for _ in base..<valueStack.count { valueStack.removeLast() }
        return .array(elements)
    }

    /// The string of the bytes from `start` to `end`, which hold no escape or control character.
    func plainString(from start: Int, to end: Int) -> String {
        // Empty namespaces are in most object keys; the literal costs nothing to make.
        guard end > start else { return "" }
        let length = end - start
        if let shortStrings, length <= JSONShortStrings.longest {
            return shortStrings.string(base.unsafelyUnwrapped + start, count: length, available: count - start)
        }
        return String(decoding: UnsafeBufferPointer(start: base.unsafelyUnwrapped + start, count: length), as: UTF8.self)
    }

    mutating func parseString() throws(JSONParseError) -> String {
        let open = position
        position += 1  // opening quote
        let start = position
        // Fast path: no escapes.
        position = plainRun(from: position)
        while position < count {
            let b = byte(position)
            if b == UInt8(ascii: "\"") {
                let text = plainString(from: start, to: position)
                position += 1
                return text
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw error("control character 0x\(String(b, radix: 16)) in string must be escaped") }
            position += 1
        }
        guard position < count else { throw error("unterminated string", at: open) }
        // Slow path: copy what we have, then decode escapes.
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: base.unsafelyUnwrapped + start, count: position - start))
        while position < count {
            // The plain bytes up to the next escape eight at a time, as the fast path does: a message that quotes a
            // name is mostly plain bytes, and appending them one by one was most of reading it.
            let run = plainRun(from: position)
            if run > position {
                scratch.append(contentsOf: UnsafeBufferPointer(start: base.unsafelyUnwrapped + position, count: run - position))
                position = run
                continue
            }
            let b = byte(position)
            if b == UInt8(ascii: "\"") {
                position += 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if b < 0x20 { throw error("control character 0x\(String(b, radix: 16)) in string must be escaped") }
            if b != UInt8(ascii: "\\") {
                scratch.append(b)
                position += 1
                continue
            }
            let escapeStart = position
            position += 1
            guard position < count else { break }
            let e = byte(position)
            position += 1
            switch e {
            case UInt8(ascii: "\""): scratch.append(0x22)
            case UInt8(ascii: "\\"): scratch.append(0x5C)
            case UInt8(ascii: "/"): scratch.append(0x2F)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try parseHex4(escapeStart)
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    // High surrogate: pair it with a following \uDC00-\uDFFF, else U+FFFD (as Go does).
                    if position + 6 <= count, byte(position) == UInt8(ascii: "\\"), byte(position + 1) == UInt8(ascii: "u") {
                        let save = position
                        position += 2
                        let low = try parseHex4(save)
                        if low >= 0xDC00 && low < 0xE000 {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            position = save
                            scalar = 0xFFFD
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    scalar = 0xFFFD
                }
                appendUTF8(scalar)
            default:
                throw error("invalid escape sequence '\\\(describeEscape(e))' in string", at: escapeStart)
            }
        }
        throw error("unterminated string", at: open)
    }

    func describeEscape(_ b: UInt8) -> String {
        b >= 0x21 && b < 0x7F ? String(Character(Unicode.Scalar(b))) : "0x\(String(b, radix: 16))"
    }

    mutating func parseHex4(_ escapeStart: Int) throws(JSONParseError) -> UInt32 {
        guard position + 4 <= count else { throw error("truncated \\u escape in string", at: escapeStart) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = byte(position)
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - 48)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - 87)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - 55)
            default: throw error("invalid \\u escape in string: expected 4 hex digits", at: escapeStart)
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | (scalar >> 6)))
            scratch.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | (scalar >> 12)))
            scratch.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            scratch.append(UInt8(0xF0 | (scalar >> 18)))
            scratch.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            scratch.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    mutating func parseNumber() throws(JSONParseError) -> JSON {
        let start = position
        var negative = false
        if byte(position) == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        guard position < count else { throw error("unexpected end of input in number") }
        var value: Int64 = 0  // accumulated negatively so Int64.min fits
        var overflow = false
        let first = byte(position)
        if first == UInt8(ascii: "0") {
            position += 1
            if position < count, byte(position) >= UInt8(ascii: "0"), byte(position) <= UInt8(ascii: "9") {
                throw error("invalid number: leading zeros are not allowed", at: start)
            }
        } else if first >= UInt8(ascii: "1") && first <= UInt8(ascii: "9") {
            while position < count {
                let b = byte(position)
                guard b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") else { break }
                if !overflow {
                    let (m, o1) = value.multipliedReportingOverflow(by: 10)
                    let (s, o2) = m.subtractingReportingOverflow(Int64(b - 48))
                    if o1 || o2 { overflow = true } else { value = s }
                }
                position += 1
            }
        } else {
            throw error("invalid number: expected a digit after '-'", at: position)
        }
        var isInteger = true
        if position < count, byte(position) == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            let digitsStart = position
            while position < count, byte(position) >= UInt8(ascii: "0"), byte(position) <= UInt8(ascii: "9") {
                position += 1
            }
            if position == digitsStart { throw error("invalid number: expected a digit after '.'") }
        }
        if position < count, byte(position) == UInt8(ascii: "e") || byte(position) == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if position < count, byte(position) == UInt8(ascii: "+") || byte(position) == UInt8(ascii: "-") {
                position += 1
            }
            let digitsStart = position
            while position < count, byte(position) >= UInt8(ascii: "0"), byte(position) <= UInt8(ascii: "9") {
                position += 1
            }
            if position == digitsStart { throw error("invalid number: expected a digit in the exponent") }
        }
        if isInteger && !overflow {
            if negative { return .int(value) }
            if value != Int64.min { return .int(-value) }
        }
        let text = String(
            decoding: UnsafeBufferPointer(start: base.unsafelyUnwrapped + start, count: position - start),
            as: UTF8.self)
        guard let double = Double(text) else { throw error("invalid number '\(text)'", at: start) }
        return .double(double)
    }
}
