/// Go's `strconv` float formatting, rebuilt on Swift's shortest round-trip digits.
///
/// Swift's `description` of a `Double`/`Float` yields the shortest digit string that round-trips
/// (the same digits Go's `strconv.FormatFloat(f, _, -1, bits)` picks); these helpers re-lay those
/// digits out the way Go's `'e'`, `'f'` and `'g'` verbs and `encoding/json` do.
enum GoFloat {
    /// Shortest decimal digits: value = 0.d₁d₂…dₙ × 10^pointPosition (Go's `decimalSlice.dp`).
    struct Digits {
        var digits: [UInt8] = []  // ASCII digits without leading or trailing zeros; empty for zero
        var pointPosition = 0
        var negative = false
    }

    /// Parses Swift's shortest `description` ("1.0", "1e-07", "-1.2345e+16", "0.001") into digits.
    static func digits(fromDescription text: String) -> Digits {
        var result = Digits()
        var all: [UInt8] = []
        all.reserveCapacity(24)
        var integerDigits = 0
        var seenPoint = false
        var exponent = 0
        var exponentNegative = false
        var inExponent = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "-"):
                if inExponent { exponentNegative = true } else { result.negative = true }
            case UInt8(ascii: "+"):
                break
            case UInt8(ascii: "."):
                seenPoint = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                inExponent = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if inExponent {
                    exponent = exponent * 10 + Int(byte - 48)
                } else {
                    all.append(byte)
                    if !seenPoint { integerDigits += 1 }
                }
            default:
                break
            }
        }
        if exponentNegative { exponent = -exponent }
        var point = integerDigits + exponent
        var start = 0
        while start < all.count, all[start] == UInt8(ascii: "0") {
            start += 1
            point -= 1
        }
        var end = all.count
        while end > start, all[end - 1] == UInt8(ascii: "0") { end -= 1 }
        if start == end {
            result.digits = []
            result.pointPosition = 0
        } else {
            result.digits = Array(all[start..<end])
            result.pointPosition = point
        }
        return result
    }

    static func digits(_ value: Double) -> Digits { digits(fromDescription: value.description) }
    static func digits(_ value: Float) -> Digits { digits(fromDescription: value.description) }

    /// `%e` with the shortest digits (Go `fmtE` with `prec = nd - 1`).
    static func appendE(_ d: Digits, into out: inout [UInt8]) {
        if d.negative { out.append(UInt8(ascii: "-")) }
        let first = d.digits.first ?? UInt8(ascii: "0")
        out.append(first)
        if d.digits.count > 1 {
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: d.digits[1...])
        }
        out.append(UInt8(ascii: "e"))
        var exp = d.digits.isEmpty ? 0 : d.pointPosition - 1
        if exp < 0 {
            out.append(UInt8(ascii: "-"))
            exp = -exp
        } else {
            out.append(UInt8(ascii: "+"))
        }
        if exp < 10 {
            out.append(UInt8(ascii: "0"))
            out.append(UInt8(48 + exp))
        } else if exp < 100 {
            out.append(UInt8(48 + exp / 10))
            out.append(UInt8(48 + exp % 10))
        } else {
            out.append(UInt8(48 + exp / 100))
            out.append(UInt8(48 + (exp / 10) % 10))
            out.append(UInt8(48 + exp % 10))
        }
    }

    /// `%f` with the shortest digits (Go `fmtF` with `prec = max(nd - dp, 0)`).
    static func appendF(_ d: Digits, into out: inout [UInt8]) {
        if d.negative { out.append(UInt8(ascii: "-")) }
        let nd = d.digits.count
        let dp = d.pointPosition
        if dp > 0 {
            let m = min(nd, dp)
            out.append(contentsOf: d.digits[0..<m])
            if m < dp {
                for _ in m..<dp { out.append(UInt8(ascii: "0")) }
            }
        } else {
            out.append(UInt8(ascii: "0"))
        }
        let prec = max(nd - dp, 0)
        if prec > 0 {
            out.append(UInt8(ascii: "."))
            for i in 1...prec {
                let j = dp + i - 1
                out.append(j >= 0 && j < nd ? d.digits[j] : UInt8(ascii: "0"))
            }
        }
    }

    /// `strconv.FormatFloat(f, 'g', -1, bits)`, including Go's `+Inf`/`-Inf`/`NaN` spellings.
    static func formatG(_ value: Double, float32: Bool = false) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        let d = float32 ? digits(Float(value)) : digits(value)
        var out: [UInt8] = []
        appendG(d, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func appendG(_ d: Digits, into out: inout [UInt8]) {
        // Shortest %g: %e when the exponent is < -4 or >= 6 (Go uses eprec = 6 for shortest).
        let exp = d.pointPosition - 1
        if !d.digits.isEmpty && (exp < -4 || exp >= 6) {
            appendE(d, into: &out)
        } else {
            var f = d
            if f.digits.isEmpty { f.pointPosition = 0 }
            appendF(f, into: &out)
        }
    }

    /// Go `encoding/json`'s float64 text: `%f` unless |f| < 1e-6 or |f| >= 1e21, then `%e` with
    /// the exponent's leading zero dropped (`1e-07` → `1e-7`). Non-finite values become `null`.
    static func appendJSON(_ value: Double, into out: inout [UInt8]) {
        guard value.isFinite else {
            out.append(contentsOf: [110, 117, 108, 108])  // null
            return
        }
        if value == value.rounded(.towardZero), abs(value) < 9_007_199_254_740_992 {
            JSONWriter.appendInt(Int64(value), into: &out)
            if value == 0, value.sign == .minus {
                // Go prints -0 as "-0".
                out.removeLast()
                out.append(contentsOf: [UInt8(ascii: "-"), UInt8(ascii: "0")])
            }
            return
        }
        let magnitude = abs(value)
        let d = digits(value)
        if magnitude < 1e-6 || magnitude >= 1e21 {
            let start = out.count
            appendE(d, into: &out)
            let n = out.count - start
            if n >= 4, out[out.count - 4] == UInt8(ascii: "e"), out[out.count - 3] == UInt8(ascii: "-"),
                out[out.count - 2] == UInt8(ascii: "0")
            {
                out[out.count - 2] = out[out.count - 1]
                out.removeLast()
            }
        } else {
            appendF(d, into: &out)
        }
    }

    static func jsonText(_ value: Double) -> String {
        var out: [UInt8] = []
        appendJSON(value, into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
