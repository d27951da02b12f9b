/// go-yaml v2's implicit scalar resolution (`resolve.go`), as Kubernetes' `sigs.k8s.io/yaml` uses it.
enum GoYAMLResolve {
    enum Kind: Equatable {
        case null
        case bool(Bool)
        case int(Int64)
        /// An integer outside `Int64` (go-yaml: `uint64` or `*big.Int`); approximated.
        case bigInt(Double)
        case float(Double)
        /// Looks like a timestamp; decoding into `interface{}` keeps the text as a string.
        case timestamp
        case string
    }

    private static let specials: [String: Kind] = {
        var map: [String: Kind] = [:]
        for s in ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"] { map[s] = .bool(true) }
        for s in ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"] { map[s] = .bool(false) }
        for s in ["", "~", "null", "Null", "NULL"] { map[s] = .null }
        for s in [".nan", ".NaN", ".NAN"] { map[s] = .float(.nan) }
        for s in [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"] { map[s] = .float(.infinity) }
        for s in ["-.inf", "-.Inf", "-.INF"] { map[s] = .float(-.infinity) }
        return map
    }()

    /// `resolve("", s)` for a plain (unquoted, untagged) scalar.
    static func resolve(_ s: String) -> Kind {
        let bytes = Array(s.utf8)
        guard let first = bytes.first else { return .null }
        let hint: UInt8
        switch first {
        case UInt8(ascii: "+"), UInt8(ascii: "-"): hint = UInt8(ascii: "S")
        case UInt8(ascii: "0")...UInt8(ascii: "9"): hint = UInt8(ascii: "D")
        case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"),
            UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"),
            UInt8(ascii: "~"):
            hint = UInt8(ascii: "M")
        case UInt8(ascii: "."): hint = UInt8(ascii: ".")
        default: return .string
        }
        if let special = specials[s] { return special }
        switch hint {
        case UInt8(ascii: "M"):
            return .string
        case UInt8(ascii: "."):
            if let value = goParseFloat(bytes) { return .float(value) }
            return .string
        default:
            if isTimestamp(bytes) { return .timestamp }
            let plain = bytes.filter { $0 != UInt8(ascii: "_") }
            var lastErrorIsRange = false
            switch parseInt(plain, allowSign: true) {
            case .value(let magnitude, let negative):
                if negative {
                    if magnitude <= UInt64(Int64.max) { return .int(-Int64(magnitude)) }
                    if magnitude == UInt64(Int64.max) + 1 { return .int(Int64.min) }
                } else if magnitude <= UInt64(Int64.max) {
                    return .int(Int64(magnitude))
                }
                // ParseInt: range error. ParseUint (no sign allowed) decides what error remains.
                if plain.first == UInt8(ascii: "+") || plain.first == UInt8(ascii: "-") {
                    lastErrorIsRange = false
                } else {
                    return .bigInt(Double(magnitude))
                }
            case .range:
                lastErrorIsRange = !(plain.first == UInt8(ascii: "+") || plain.first == UInt8(ascii: "-"))
            case .syntax:
                lastErrorIsRange = false
            }
            if matchesYAMLFloat(plain), let value = Double(String(decoding: plain, as: UTF8.self)), value.isFinite {
                return .float(value)
            }
            if lastErrorIsRange, let big = bigInteger(plain) { return .bigInt(big) }
            return .string
        }
    }

    enum IntParse {
        case value(UInt64, negative: Bool)
        case range
        case syntax
    }

    /// Go's `strconv.ParseInt(s, 0, 64)` syntax (sign, `0x`/`0o`/`0b` prefixes, leading-0 octal),
    /// returning the magnitude; `.range` when it does not fit in `UInt64`.
    static func parseInt(_ s: [UInt8], allowSign: Bool) -> IntParse {
        var i = 0
        var negative = false
        if allowSign, i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
            negative = s[i] == UInt8(ascii: "-")
            i += 1
        }
        guard i < s.count else { return .syntax }
        var base: UInt64 = 10
        if s[i] == UInt8(ascii: "0") {
            let rest = s.count - i
            if rest >= 3, s[i + 1] | 0x20 == UInt8(ascii: "b") {
                base = 2
                i += 2
            } else if rest >= 3, s[i + 1] | 0x20 == UInt8(ascii: "o") {
                base = 8
                i += 2
            } else if rest >= 3, s[i + 1] | 0x20 == UInt8(ascii: "x") {
                base = 16
                i += 2
            } else {
                base = 8
                i += 1
            }
        }
        var value: UInt64 = 0
        while i < s.count {
            let c = s[i]
            let d: UInt64
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt64(c - 48)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): d = UInt64(c - 87)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): d = UInt64(c - 55)
            default: return .syntax
            }
            if d >= base { return .syntax }
            let (m, o1) = value.multipliedReportingOverflow(by: base)
            let (a, o2) = m.addingReportingOverflow(d)
            if o1 || o2 {
                // Go returns the range error right here, without looking at the rest.
                return .range
            }
            value = a
            i += 1
        }
        return .value(value, negative: negative)
    }

    /// `big.Int.SetString(s, 0)`: any syntactically valid integer, approximated as a Double.
    static func bigInteger(_ s: [UInt8]) -> Double? {
        var i = 0
        var negative = false
        if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
            negative = s[i] == UInt8(ascii: "-")
            i += 1
        }
        guard i < s.count else { return nil }
        var base = 10.0
        if s[i] == UInt8(ascii: "0"), s.count - i >= 2 {
            switch s[i + 1] | 0x20 {
            case UInt8(ascii: "b"): base = 2; i += 2
            case UInt8(ascii: "o"): base = 8; i += 2
            case UInt8(ascii: "x"): base = 16; i += 2
            default: base = 8; i += 1
            }
        }
        guard i < s.count else { return base == 8 ? 0 : nil }
        var value = 0.0
        while i < s.count {
            let c = s[i]
            let d: Double
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = Double(c - 48)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): d = Double(c - 87)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): d = Double(c - 55)
            default: return nil
            }
            if d >= base { return nil }
            value = value * base + d
            i += 1
        }
        return negative ? -value : value
    }

    /// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
    static func matchesYAMLFloat(_ s: [UInt8]) -> Bool {
        var i = 0
        func isDigit(_ j: Int) -> Bool { j < s.count && s[j] >= 48 && s[j] <= 57 }
        if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { i += 1 }
        if i < s.count, s[i] == UInt8(ascii: ".") {
            i += 1
            guard isDigit(i) else { return false }
            while isDigit(i) { i += 1 }
        } else {
            guard isDigit(i) else { return false }
            while isDigit(i) { i += 1 }
            if i < s.count, s[i] == UInt8(ascii: ".") {
                i += 1
                while isDigit(i) { i += 1 }
            }
        }
        if i < s.count, s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E") {
            i += 1
            if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { i += 1 }
            guard isDigit(i) else { return false }
            while isDigit(i) { i += 1 }
        }
        return i == s.count
    }

    /// Go's `strconv.ParseFloat(s, 64)` for a string starting with `.` (decimal digits, optional
    /// exponent, `_` only between digits); nil on syntax error or overflow.
    static func goParseFloat(_ s: [UInt8]) -> Double? {
        var i = 0
        var sawDigits = false
        func isDigit(_ j: Int) -> Bool { j < s.count && s[j] >= 48 && s[j] <= 57 }
        var sawDot = false
        while i < s.count {
            let c = s[i]
            if c == UInt8(ascii: "_") {
                i += 1
                continue
            }
            if c == UInt8(ascii: ".") {
                if sawDot { break }
                sawDot = true
                i += 1
                continue
            }
            if isDigit(i) {
                sawDigits = true
                i += 1
                continue
            }
            break
        }
        guard sawDigits else { return nil }
        if i < s.count, s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E") {
            i += 1
            if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { i += 1 }
            var expDigits = false
            while i < s.count, isDigit(i) || s[i] == UInt8(ascii: "_") {
                if s[i] != UInt8(ascii: "_") { expDigits = true }
                i += 1
            }
            guard expDigits else { return nil }
        }
        guard i == s.count, underscoreOK(s) else { return nil }
        let text = String(decoding: s.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// Go's `underscoreOK`: underscores only between digits.
    static func underscoreOK(_ s: [UInt8]) -> Bool {
        var saw: UInt8 = UInt8(ascii: "^")
        for c in s {
            if c >= 48 && c <= 57 {
                saw = UInt8(ascii: "0")
                continue
            }
            if c == UInt8(ascii: "_") {
                if saw != UInt8(ascii: "0") { return false }
                saw = UInt8(ascii: "_")
                continue
            }
            if saw == UInt8(ascii: "_") { return false }
            saw = UInt8(ascii: "!")
        }
        return saw != UInt8(ascii: "_")
    }

    /// go-yaml v2 `parseTimestamp`: `2006-1-2T15:4:5.999999999Z07:00` (also `t`),
    /// `2006-1-2 15:4:5.999999999` and `2006-1-2`, with Go's `time.Parse` range checks.
    static func isTimestamp(_ s: [UInt8]) -> Bool {
        var i = 0
        func isDigit(_ j: Int) -> Bool { j < s.count && s[j] >= 48 && s[j] <= 57 }
        // Year: exactly four digits followed by '-'.
        while isDigit(i) { i += 1 }
        guard i == 4, i < s.count, s[i] == UInt8(ascii: "-") else { return false }
        let year = s[0..<4].reduce(0) { $0 * 10 + Int($1 - 48) }
        i += 1
        func number() -> Int? {  // Go getnum(value, false): one or two digits
            guard isDigit(i) else { return nil }
            var v = Int(s[i] - 48)
            i += 1
            if isDigit(i) {
                v = v * 10 + Int(s[i] - 48)
                i += 1
            }
            return v
        }
        guard let month = number(), (1...12).contains(month), i < s.count, s[i] == UInt8(ascii: "-") else {
            return false
        }
        i += 1
        guard let day = number() else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard day >= 1, day <= daysInMonth else { return false }
        if i == s.count { return true }
        let separator = s[i]
        guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " ") else {
            return false
        }
        i += 1
        guard let hour = number(), hour < 24, i < s.count, s[i] == UInt8(ascii: ":") else { return false }
        i += 1
        guard let minute = number(), minute < 60, i < s.count, s[i] == UInt8(ascii: ":") else { return false }
        i += 1
        guard let second = number(), second < 60 else { return false }
        if i + 1 < s.count, s[i] == UInt8(ascii: ".") || s[i] == UInt8(ascii: ","), isDigit(i + 1) {
            i += 1
            while isDigit(i) { i += 1 }
        }
        if separator == UInt8(ascii: " ") { return i == s.count }
        guard i < s.count else { return false }
        if s[i] == UInt8(ascii: "Z") { return i + 1 == s.count }
        guard s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-"), s.count - i == 6, s[i + 3] == UInt8(ascii: ":"),
            isDigit(i + 1), isDigit(i + 2), isDigit(i + 4), isDigit(i + 5)
        else { return false }
        let offsetHour = Int(s[i + 1] - 48) * 10 + Int(s[i + 2] - 48)
        let offsetMinute = Int(s[i + 4] - 48) * 10 + Int(s[i + 5] - 48)
        return offsetHour <= 24 && offsetMinute <= 60
    }

    /// go-yaml v2 `isBase60Float`: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`
    static func isBase60Float(_ s: [UInt8]) -> Bool {
        guard let first = s.first,
            first == UInt8(ascii: "+") || first == UInt8(ascii: "-") || (first >= 48 && first <= 57),
            s.contains(UInt8(ascii: ":"))
        else { return false }
        var i = 0
        func isDigit(_ j: Int) -> Bool { j < s.count && s[j] >= 48 && s[j] <= 57 }
        if s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { i += 1 }
        guard isDigit(i) else { return false }
        i += 1
        while i < s.count, isDigit(i) || s[i] == UInt8(ascii: "_") { i += 1 }
        var groups = 0
        while i < s.count, s[i] == UInt8(ascii: ":") {
            i += 1
            // [0-5]?[0-9]
            if isDigit(i), isDigit(i + 1), s[i] <= UInt8(ascii: "5") {
                i += 2
            } else if isDigit(i) {
                i += 1
            } else {
                return false
            }
            groups += 1
        }
        guard groups > 0 else { return false }
        if i < s.count, s[i] == UInt8(ascii: ".") {
            i += 1
            while i < s.count, isDigit(i) || s[i] == UInt8(ascii: "_") { i += 1 }
        }
        return i == s.count
    }
}
