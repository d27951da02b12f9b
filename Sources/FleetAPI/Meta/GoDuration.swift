/// A `metav1.Duration`: parsed from Go's `time.ParseDuration` syntax restricted to the h/m/s units KubeFleet's
/// CRD pattern allows, and printed the way Go prints it (`1m` becomes `1m0s`).
public struct GoDuration: Sendable, Hashable, Codable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    /// KubeFleet's `waitTime` pattern: one or more `<number><unit>` with h, m or s, decimals allowed, no
    /// leading zeros.
    public init?(parsing text: String) {
        var total = 0.0
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            let integerPart = number.split(separator: ".", omittingEmptySubsequences: false).first ?? ""
            if integerPart.isEmpty || (integerPart.count > 1 && integerPart.first == "0") { return nil }
            rest = rest.dropFirst(number.count)
            guard let unit = rest.first else { return nil }
            switch unit {
            case "h": total += value * 3_600_000
            case "m": total += value * 60_000
            case "s": total += value * 1_000
            default: return nil
            }
            rest = rest.dropFirst()
        }
        self.milliseconds = Int64(total.rounded())
    }

    public var description: String {
        if milliseconds == 0 { return "0s" }
        var rest = abs(milliseconds)
        var text = milliseconds < 0 ? "-" : ""
        let hours = rest / 3_600_000
        rest %= 3_600_000
        let minutes = rest / 60_000
        rest %= 60_000
        if hours > 0 { text += "\(hours)h" }
        if hours > 0 || minutes > 0 { text += "\(minutes)m" }
        let seconds = rest / 1000
        let fraction = rest % 1000
        if fraction == 0 {
            text += "\(seconds)s"
        } else {
            var digits = String(fraction)
            digits = String(repeating: "0", count: 3 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "\(seconds).\(digits)s"
        }
        return text
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = GoDuration(parsing: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "invalid duration \"\(text)\": use h, m and s units, e.g. 1h30m")
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
