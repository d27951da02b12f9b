extension YAML {
    /// `value` as `kubectl get -o yaml` prints it: `sigs.k8s.io/yaml` (JSON → go-yaml v2 values →
    /// go-yaml v2 emitter). Keys in go-yaml's order, 2-space indentation, sequences under a key not
    /// indented, empty collections as `{}`/`[]`, strings plain unless they would read back as
    /// something else, multi-line strings as `|` blocks, long plain strings folded at column 80.
    public static func emit(_ value: JSON) -> String {
        var emitter = GoYAMLEmitter()
        emitter.emitNode(value, root: true, sequence: false, mapping: false, simpleKey: false)
        emitter.writeIndent()  // document end
        return String(decoding: emitter.out, as: UTF8.self)
    }

    /// Several documents separated by `---` lines, as `kubectl get -o yaml` prints a list of objects
    /// given one by one.
    public static func emitDocuments(_ values: [JSON]) -> String {
        values.map { emit($0) }.joined(separator: "---\n")
    }
}

/// A port of the parts of go-yaml v2's `emitterc.go` (libyaml's emitter) that JSON values reach,
/// with the style choices of go-yaml v2's `encode.go`.
struct GoYAMLEmitter {
    enum Style {
        case plain, singleQuoted, doubleQuoted, literal
    }

    struct Analysis {
        var multiline = false
        var flowPlainAllowed = false
        var blockPlainAllowed = false
        var singleQuotedAllowed = false
        var blockAllowed = false
    }

    let bestIndent = 2
    let bestWidth = 80

    var out: [UInt8] = []
    var column = 0
    var indent = -1
    var indents: [Int] = []
    var whitespace = true
    var indention = true
    var flowLevel = 0

    var rootContext = false
    var sequenceContext = false
    var mappingContext = false
    var simpleKeyContext = false

    init() {
        out.reserveCapacity(1024)
    }

    // MARK: Nodes

    mutating func emitNode(_ value: JSON, root: Bool, sequence: Bool, mapping: Bool, simpleKey: Bool) {
        rootContext = root
        sequenceContext = sequence
        mappingContext = mapping
        simpleKeyContext = simpleKey
        switch value {
        case .null:
            emitScalar(Array("null".utf8), requested: .plain)
        case .bool(let b):
            emitScalar(Array((b ? "true" : "false").utf8), requested: .plain)
        case .int(let i):
            var digits: [UInt8] = []
            JSONWriter.appendInt(i, into: &digits)
            emitScalar(digits, requested: .plain)
        case .double(let d):
            emitScalar(Self.numberText(d), requested: .plain)
        case .string(let s):
            let bytes = Array(s.utf8)
            emitScalar(bytes, requested: Self.requestedStyle(s, bytes))
        case .array(let elements):
            if elements.isEmpty || flowLevel > 0 {
                emitEmptyFlow(open: UInt8(ascii: "["), close: UInt8(ascii: "]"))
            } else {
                emitBlockSequence(elements)
            }
        case .object(let members):
            if members.isEmpty || flowLevel > 0 {
                emitEmptyFlow(open: UInt8(ascii: "{"), close: UInt8(ascii: "}"))
            } else {
                emitBlockMapping(members)
            }
        }
    }

    /// The text go-yaml v2 prints for a JSON number that Go's `encoding/json` wrote as a float:
    /// `sigs.k8s.io/yaml` re-reads that text with go-yaml, so integral values print as integers and
    /// the rest with `strconv.FormatFloat(f, 'g', -1, 64)`.
    static func numberText(_ d: Double) -> [UInt8] {
        if d.isNaN { return Array(".nan".utf8) }
        if d.isInfinite { return Array((d < 0 ? "-.inf" : ".inf").utf8) }
        var json: [UInt8] = []
        GoFloat.appendJSON(d, into: &json)
        switch GoYAMLResolve.resolve(String(decoding: json, as: UTF8.self)) {
        case .int(let i):
            var digits: [UInt8] = []
            JSONWriter.appendInt(i, into: &digits)
            return digits
        case .bigInt:
            return json  // uint64 / big.Int print their decimal digits
        default:
            var text: [UInt8] = []
            GoFloat.appendG(GoFloat.digits(d), into: &text)
            return text
        }
    }

    /// go-yaml v2 `stringv`: literal for text with a newline, plain when the text would not
    /// resolve to another type, else double-quoted.
    static func requestedStyle(_ s: String, _ bytes: [UInt8]) -> Style {
        if bytes.contains(0x0A) { return .literal }
        if GoYAMLResolve.resolve(s) == .string && !GoYAMLResolve.isBase60Float(bytes) { return .plain }
        return .doubleQuoted
    }

    mutating func emitEmptyFlow(open: UInt8, close: UInt8) {
        writeIndicator([open], needWhitespace: true, isWhitespace: true, isIndention: false)
        increaseIndent(flow: true, indentless: false)
        flowLevel += 1
        flowLevel -= 1
        popIndent()
        writeIndicator([close], needWhitespace: false, isWhitespace: false, isIndention: false)
    }

    mutating func emitBlockSequence(_ elements: [JSON]) {
        increaseIndent(flow: false, indentless: mappingContext && !indention)
        for element in elements {
            writeIndent()
            writeIndicator([UInt8(ascii: "-")], needWhitespace: true, isWhitespace: false, isIndention: true)
            emitNode(element, root: false, sequence: true, mapping: false, simpleKey: false)
        }
        popIndent()
    }

    mutating func emitBlockMapping(_ members: [String: JSON]) {
        increaseIndent(flow: false, indentless: false)
        for key in Self.sortedKeys(members) {
            let value = members[key]!
            writeIndent()
            let keyBytes = Array(key.utf8)
            let analysis = Self.analyze(keyBytes)
            if !analysis.multiline && keyBytes.count <= 128 {
                emitNode(.string(key), root: false, sequence: false, mapping: true, simpleKey: true)
                writeIndicator([UInt8(ascii: ":")], needWhitespace: false, isWhitespace: false, isIndention: false)
            } else {
                writeIndicator([UInt8(ascii: "?")], needWhitespace: true, isWhitespace: false, isIndention: true)
                emitNode(.string(key), root: false, sequence: false, mapping: true, simpleKey: false)
                writeIndent()
                writeIndicator([UInt8(ascii: ":")], needWhitespace: true, isWhitespace: false, isIndention: true)
            }
            emitNode(value, root: false, sequence: false, mapping: true, simpleKey: false)
        }
        popIndent()
    }

    // MARK: Key order (go-yaml v2 sorter.go keyList.Less for string keys)

    static func sortedKeys(_ members: [String: JSON]) -> [String] {
        var keys = Array(members.keys)
        guard keys.count > 1 else { return keys }
        let scalars = Dictionary(uniqueKeysWithValues: keys.map { ($0, Array($0.unicodeScalars)) })
        keys.sort { goKeyLess(scalars[$0]!, scalars[$1]!) }
        return keys
    }

    static func isLetter(_ r: Unicode.Scalar) -> Bool {
        if r.isASCII {
            return (r.value >= 0x41 && r.value <= 0x5A) || (r.value >= 0x61 && r.value <= 0x7A)
        }
        switch r.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    static func isDigit(_ r: Unicode.Scalar) -> Bool {
        if r.isASCII { return r.value >= 0x30 && r.value <= 0x39 }
        return r.properties.generalCategory == .decimalNumber
    }

    static func goKeyLess(_ ar: [Unicode.Scalar], _ br: [Unicode.Scalar]) -> Bool {
        var i = 0
        while i < ar.count && i < br.count {
            if ar[i] == br[i] {
                i += 1
                continue
            }
            let al = isLetter(ar[i])
            let bl = isLetter(br[i])
            if al && bl { return ar[i].value < br[i].value }
            if al || bl { return bl }
            var an: Int64 = 0
            var bn: Int64 = 0
            if ar[i] == "0" || br[i] == "0" {
                var j = i - 1
                while j >= 0 && isDigit(ar[j]) {
                    if ar[j] != "0" {
                        an = 1
                        bn = 1
                        break
                    }
                    j -= 1
                }
            }
            var ai = i
            while ai < ar.count && isDigit(ar[ai]) {
                an = an &* 10 &+ (Int64(ar[ai].value) - 48)
                ai += 1
            }
            var bi = i
            while bi < br.count && isDigit(br[bi]) {
                bn = bn &* 10 &+ (Int64(br[bi].value) - 48)
                bi += 1
            }
            if an != bn { return an < bn }
            if ai != bi { return ai < bi }
            return ar[i].value < br[i].value
        }
        return ar.count < br.count
    }

    // MARK: Scalars

    mutating func emitScalar(_ value: [UInt8], requested: Style) {
        let analysis = Self.analyze(value)
        var style = requested
        if simpleKeyContext && analysis.multiline { style = .doubleQuoted }
        if style == .plain {
            if (flowLevel > 0 && !analysis.flowPlainAllowed) || (flowLevel == 0 && !analysis.blockPlainAllowed) {
                style = .singleQuoted
            }
            if value.isEmpty && (flowLevel > 0 || simpleKeyContext) { style = .singleQuoted }
        }
        if style == .singleQuoted && !analysis.singleQuotedAllowed { style = .doubleQuoted }
        if style == .literal && (!analysis.blockAllowed || flowLevel > 0 || simpleKeyContext) {
            style = .doubleQuoted
        }
        increaseIndent(flow: true, indentless: false)
        switch style {
        case .plain: writePlain(value, allowBreaks: !simpleKeyContext)
        case .singleQuoted: writeSingleQuoted(value, allowBreaks: !simpleKeyContext)
        case .doubleQuoted: writeDoubleQuoted(value, allowBreaks: !simpleKeyContext)
        case .literal: writeLiteral(value)
        }
        popIndent()
    }

    // Character classes (yamlprivateh.go).
    @inline(__always) static func width(_ b: UInt8) -> Int {
        if b & 0x80 == 0 { return 1 }
        if b & 0xE0 == 0xC0 { return 2 }
        if b & 0xF0 == 0xE0 { return 3 }
        if b & 0xF8 == 0xF0 { return 4 }
        return 1
    }
    @inline(__always) static func at(_ v: [UInt8], _ i: Int) -> UInt8 { i < v.count ? v[i] : 0 }
    @inline(__always) static func isSpace(_ v: [UInt8], _ i: Int) -> Bool { at(v, i) == 0x20 }
    @inline(__always) static func isBlank(_ v: [UInt8], _ i: Int) -> Bool { at(v, i) == 0x20 || at(v, i) == 0x09 }
    @inline(__always) static func isBreak(_ v: [UInt8], _ i: Int) -> Bool {
        let b = at(v, i)
        return b == 0x0D || b == 0x0A || (b == 0xC2 && at(v, i + 1) == 0x85)
            || (b == 0xE2 && at(v, i + 1) == 0x80 && (at(v, i + 2) == 0xA8 || at(v, i + 2) == 0xA9))
    }
    @inline(__always) static func isBlankOrBreakOrNul(_ v: [UInt8], _ i: Int) -> Bool {
        isBlank(v, i) || isBreak(v, i) || at(v, i) == 0
    }
    @inline(__always) static func isPrintable(_ v: [UInt8], _ i: Int) -> Bool {
        let b = at(v, i)
        let n = at(v, i + 1)
        return b == 0x0A || (b >= 0x20 && b <= 0x7E) || (b == 0xC2 && n >= 0xA0) || (b > 0xC2 && b < 0xED)
            || (b == 0xED && n < 0xA0) || b == 0xEE
            || (b == 0xEF && !(n == 0xBB && at(v, i + 2) == 0xBF)
                && !(n == 0xBF && (at(v, i + 2) == 0xBE || at(v, i + 2) == 0xBF)))
    }
    @inline(__always) static func isBOM(_ v: [UInt8], _ i: Int) -> Bool {
        at(v, i) == 0xEF && at(v, i + 1) == 0xBB && at(v, i + 2) == 0xBF
    }

    /// `yaml_emitter_analyze_scalar`.
    static func analyze(_ value: [UInt8]) -> Analysis {
        var a = Analysis()
        if value.isEmpty {
            a.multiline = false
            a.flowPlainAllowed = false
            a.blockPlainAllowed = true
            a.singleQuotedAllowed = true
            a.blockAllowed = false
            return a
        }
        var blockIndicators = false
        var flowIndicators = false
        var lineBreaks = false
        var specialCharacters = false
        var leadingSpace = false
        var leadingBreak = false
        var trailingSpace = false
        var trailingBreak = false
        var breakSpace = false
        var spaceBreak = false
        var previousSpace = false
        var previousBreak = false

        if value.count >= 3
            && ((value[0] == 0x2D && value[1] == 0x2D && value[2] == 0x2D)
                || (value[0] == 0x2E && value[1] == 0x2E && value[2] == 0x2E))
        {
            blockIndicators = true
            flowIndicators = true
        }
        var precededByWhitespace = true
        var i = 0
        while i < value.count {
            let w = width(value[i])
            let followedByWhitespace = i + w >= value.count || isBlank(value, i + w)
            let c = value[i]
            if i == 0 {
                switch c {
                case UInt8(ascii: "#"), UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"),
                    UInt8(ascii: "}"), UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"),
                    UInt8(ascii: ">"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"),
                    UInt8(ascii: "`"):
                    flowIndicators = true
                    blockIndicators = true
                case UInt8(ascii: "?"), UInt8(ascii: ":"):
                    flowIndicators = true
                    if followedByWhitespace { blockIndicators = true }
                case UInt8(ascii: "-"):
                    if followedByWhitespace {
                        flowIndicators = true
                        blockIndicators = true
                    }
                default:
                    break
                }
            } else {
                switch c {
                case UInt8(ascii: ","), UInt8(ascii: "?"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"),
                    UInt8(ascii: "}"):
                    flowIndicators = true
                case UInt8(ascii: ":"):
                    flowIndicators = true
                    if followedByWhitespace { blockIndicators = true }
                case UInt8(ascii: "#"):
                    if precededByWhitespace {
                        flowIndicators = true
                        blockIndicators = true
                    }
                default:
                    break
                }
            }
            if !isPrintable(value, i) {  // emitter.unicode is true for go-yaml's encoder
                specialCharacters = true
            }
            if isSpace(value, i) {
                if i == 0 { leadingSpace = true }
                if i + w == value.count { trailingSpace = true }
                if previousBreak { breakSpace = true }
                previousSpace = true
                previousBreak = false
            } else if isBreak(value, i) {
                lineBreaks = true
                if i == 0 { leadingBreak = true }
                if i + w == value.count { trailingBreak = true }
                if previousSpace { spaceBreak = true }
                previousSpace = false
                previousBreak = true
            } else {
                previousSpace = false
                previousBreak = false
            }
            precededByWhitespace = isBlankOrBreakOrNul(value, i)
            i += w
        }
        a.multiline = lineBreaks
        a.flowPlainAllowed = true
        a.blockPlainAllowed = true
        a.singleQuotedAllowed = true
        a.blockAllowed = true
        if leadingSpace || leadingBreak || trailingSpace || trailingBreak {
            a.flowPlainAllowed = false
            a.blockPlainAllowed = false
        }
        if trailingSpace { a.blockAllowed = false }
        if breakSpace {
            a.flowPlainAllowed = false
            a.blockPlainAllowed = false
            a.singleQuotedAllowed = false
        }
        if spaceBreak || specialCharacters {
            a.flowPlainAllowed = false
            a.blockPlainAllowed = false
            a.singleQuotedAllowed = false
            a.blockAllowed = false
        }
        if lineBreaks {
            a.flowPlainAllowed = false
            a.blockPlainAllowed = false
        }
        if flowIndicators { a.flowPlainAllowed = false }
        if blockIndicators { a.blockPlainAllowed = false }
        return a
    }

    // MARK: Writer primitives

    mutating func increaseIndent(flow: Bool, indentless: Bool) {
        indents.append(indent)
        if indent < 0 {
            indent = flow ? bestIndent : 0
        } else if !indentless {
            indent += bestIndent
        }
    }

    mutating func popIndent() {
        indent = indents.removeLast()
    }

    @inline(__always) mutating func put(_ b: UInt8) {
        out.append(b)
        column += 1
    }

    @inline(__always) mutating func putBreak() {
        out.append(0x0A)
        column = 0
    }

    /// Copies one (possibly multi-byte) character; the column advances by one.
    @inline(__always) mutating func write(_ v: [UInt8], _ i: inout Int) {
        let w = Self.width(v[i])
        let end = min(i + w, v.count)
        out.append(contentsOf: v[i..<end])
        column += 1
        i = end
    }

    mutating func writeAll(_ v: [UInt8]) {
        var i = 0
        while i < v.count { write(v, &i) }
    }

    mutating func writeBreak(_ v: [UInt8], _ i: inout Int) {
        if v[i] == 0x0A {
            putBreak()
            i += 1
        } else {
            write(v, &i)
            column = 0
        }
    }

    mutating func writeIndent() {
        let indent = max(self.indent, 0)
        if !indention || column > indent || (column == indent && !whitespace) {
            putBreak()
        }
        while column < indent { put(0x20) }
        whitespace = true
        indention = true
    }

    mutating func writeIndicator(_ indicator: [UInt8], needWhitespace: Bool, isWhitespace: Bool, isIndention: Bool) {
        if needWhitespace && !whitespace { put(0x20) }
        writeAll(indicator)
        whitespace = isWhitespace
        indention = indention && isIndention
    }

    mutating func writePlain(_ value: [UInt8], allowBreaks: Bool) {
        if !whitespace { put(0x20) }
        var spaces = false
        var breaks = false
        var i = 0
        while i < value.count {
            if Self.isSpace(value, i) {
                if allowBreaks && !spaces && column > bestWidth && !Self.isSpace(value, i + 1) {
                    writeIndent()
                    i += 1
                } else {
                    write(value, &i)
                }
                spaces = true
            } else if Self.isBreak(value, i) {
                if !breaks && value[i] == 0x0A { putBreak() }
                writeBreak(value, &i)
                indention = true
                breaks = true
            } else {
                if breaks { writeIndent() }
                write(value, &i)
                indention = false
                spaces = false
                breaks = false
            }
        }
        whitespace = false
        indention = false
    }

    mutating func writeSingleQuoted(_ value: [UInt8], allowBreaks: Bool) {
        writeIndicator([UInt8(ascii: "'")], needWhitespace: true, isWhitespace: false, isIndention: false)
        var spaces = false
        var breaks = false
        var i = 0
        while i < value.count {
            if Self.isSpace(value, i) {
                if allowBreaks && !spaces && column > bestWidth && i > 0 && i < value.count - 1
                    && !Self.isSpace(value, i + 1)
                {
                    writeIndent()
                    i += 1
                } else {
                    write(value, &i)
                }
                spaces = true
            } else if Self.isBreak(value, i) {
                if !breaks && value[i] == 0x0A { putBreak() }
                writeBreak(value, &i)
                indention = true
                breaks = true
            } else {
                if breaks { writeIndent() }
                if value[i] == UInt8(ascii: "'") { put(UInt8(ascii: "'")) }
                write(value, &i)
                indention = false
                spaces = false
                breaks = false
            }
        }
        writeIndicator([UInt8(ascii: "'")], needWhitespace: false, isWhitespace: false, isIndention: false)
        whitespace = false
        indention = false
    }

    private static let upperHex: [UInt8] = Array("0123456789ABCDEF".utf8)

    mutating func writeDoubleQuoted(_ value: [UInt8], allowBreaks: Bool) {
        var spaces = false
        writeIndicator([UInt8(ascii: "\"")], needWhitespace: true, isWhitespace: false, isIndention: false)
        var i = 0
        while i < value.count {
            if !Self.isPrintable(value, i) || Self.isBOM(value, i) || Self.isBreak(value, i)
                || value[i] == UInt8(ascii: "\"") || value[i] == UInt8(ascii: "\\")
            {
                var octet = value[i]
                var w: Int
                var v: UInt32
                if octet & 0x80 == 0 {
                    w = 1
                    v = UInt32(octet & 0x7F)
                } else if octet & 0xE0 == 0xC0 {
                    w = 2
                    v = UInt32(octet & 0x1F)
                } else if octet & 0xF0 == 0xE0 {
                    w = 3
                    v = UInt32(octet & 0x0F)
                } else {
                    w = 4
                    v = UInt32(octet & 0x07)
                }
                for k in 1..<max(w, 1) {
                    octet = Self.at(value, i + k)
                    v = (v << 6) + (UInt32(octet) & 0x3F)
                }
                i += w
                put(UInt8(ascii: "\\"))
                switch v {
                case 0x00: put(UInt8(ascii: "0"))
                case 0x07: put(UInt8(ascii: "a"))
                case 0x08: put(UInt8(ascii: "b"))
                case 0x09: put(UInt8(ascii: "t"))
                case 0x0A: put(UInt8(ascii: "n"))
                case 0x0B: put(UInt8(ascii: "v"))
                case 0x0C: put(UInt8(ascii: "f"))
                case 0x0D: put(UInt8(ascii: "r"))
                case 0x1B: put(UInt8(ascii: "e"))
                case 0x22: put(UInt8(ascii: "\""))
                case 0x5C: put(UInt8(ascii: "\\"))
                case 0x85: put(UInt8(ascii: "N"))
                case 0xA0: put(UInt8(ascii: "_"))
                case 0x2028: put(UInt8(ascii: "L"))
                case 0x2029: put(UInt8(ascii: "P"))
                default:
                    let digits: Int
                    if v <= 0xFF {
                        put(UInt8(ascii: "x"))
                        digits = 2
                    } else if v <= 0xFFFF {
                        put(UInt8(ascii: "u"))
                        digits = 4
                    } else {
                        put(UInt8(ascii: "U"))
                        digits = 8
                    }
                    var k = (digits - 1) * 4
                    while k >= 0 {
                        put(Self.upperHex[Int((v >> UInt32(k)) & 0x0F)])
                        k -= 4
                    }
                }
                spaces = false
            } else if Self.isSpace(value, i) {
                if allowBreaks && !spaces && column > bestWidth && i > 0 && i < value.count - 1 {
                    writeIndent()
                    if Self.isSpace(value, i + 1) { put(UInt8(ascii: "\\")) }
                    i += 1
                } else {
                    write(value, &i)
                }
                spaces = true
            } else {
                write(value, &i)
                spaces = false
            }
        }
        writeIndicator([UInt8(ascii: "\"")], needWhitespace: false, isWhitespace: false, isIndention: false)
        whitespace = false
        indention = false
    }

    mutating func writeBlockScalarHints(_ value: [UInt8]) {
        if Self.isSpace(value, 0) || Self.isBreak(value, 0) {
            writeIndicator([UInt8(48 + bestIndent)], needWhitespace: false, isWhitespace: false, isIndention: false)
        }
        var chomp: UInt8 = 0
        if value.isEmpty {
            chomp = UInt8(ascii: "-")
        } else {
            var i = value.count - 1
            while i > 0 && value[i] & 0xC0 == 0x80 { i -= 1 }
            if !Self.isBreak(value, i) {
                chomp = UInt8(ascii: "-")
            } else if i == 0 {
                chomp = UInt8(ascii: "+")
            } else {
                i -= 1
                while i > 0 && value[i] & 0xC0 == 0x80 { i -= 1 }
                if Self.isBreak(value, i) { chomp = UInt8(ascii: "+") }
            }
        }
        if chomp != 0 {
            writeIndicator([chomp], needWhitespace: false, isWhitespace: false, isIndention: false)
        }
    }

    mutating func writeLiteral(_ value: [UInt8]) {
        writeIndicator([UInt8(ascii: "|")], needWhitespace: true, isWhitespace: false, isIndention: false)
        writeBlockScalarHints(value)
        putBreak()
        indention = true
        whitespace = true
        var breaks = true
        var i = 0
        while i < value.count {
            if Self.isBreak(value, i) {
                writeBreak(value, &i)
                indention = true
                breaks = true
            } else {
                if breaks { writeIndent() }
                write(value, &i)
                indention = false
                breaks = false
            }
        }
    }
}
