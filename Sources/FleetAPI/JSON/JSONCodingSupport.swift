import Foundation

/// A coding path kept as a persistent linked list, materialized into `[any CodingKey]` only when
/// someone asks (an error, or a type reading `codingPath`).
indirect enum JSONCodingPath {
    case root
    case key(any CodingKey, JSONCodingPath)
    case index(Int, JSONCodingPath)

    var keys: [any CodingKey] {
        var result: [any CodingKey] = []
        var node = self
        while true {
            switch node {
            case .root:
                return result.reversed()
            case .key(let key, let parent):
                result.append(key)
                node = parent
            case .index(let index, let parent):
                result.append(JSONCodingKey(index: index))
                node = parent
            }
        }
    }

    func appending(_ key: any CodingKey) -> JSONCodingPath { .key(key, self) }
}

/// The key type used for array indices, `super` and dictionary-ish access.
struct JSONCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.stringValue = "\(intValue)"
        self.intValue = intValue
    }

    init(index: Int) {
        self.stringValue = "Index \(index)"
        self.intValue = index
    }

    static let `super` = JSONCodingKey(stringValue: "super")
}

extension JSON {
    /// The JSON kind name used in decoding error messages: `string`, `number`, `boolean`, …
    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int, .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

// MARK: - RFC 3339 dates

/// RFC 3339 timestamps as Kubernetes writes them: UTC, whole seconds, `2025-07-22T21:28:08Z`.
enum RFC3339 {
    static func format(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let (year, month, day) = civil(fromDays: days)
        // Written into the string's own storage: through an array first, each timestamp cost two allocations, and
        // a list of runs formats several for each.
        guard year >= 0 && year <= 9999 else {
            return String(year)
                + String(unsafeUninitializedCapacity: 16) { writeAfterYear(month, day, secondOfDay, into: $0, at: 0) }
        }
        return String(unsafeUninitializedCapacity: 20) { out in
            out[0] = UInt8(48 + year / 1000)
            out[1] = UInt8(48 + (year / 100) % 10)
            out[2] = UInt8(48 + (year / 10) % 10)
            out[3] = UInt8(48 + year % 10)
            return writeAfterYear(month, day, secondOfDay, into: out, at: 4)
        }
    }

    /// Writes `-MM-DDTHH:MM:SSZ`, what follows a timestamp's year, from `start`; where it ends.
    private static func writeAfterYear(
        _ month: Int64, _ day: Int64, _ secondOfDay: Int64, into out: UnsafeMutableBufferPointer<UInt8>, at start: Int
    ) -> Int {
        var at = start
        func two(_ separator: Unicode.Scalar, _ value: Int64) {
            out[at] = UInt8(ascii: separator)
            out[at + 1] = UInt8(48 + value / 10)
            out[at + 2] = UInt8(48 + value % 10)
            at += 3
        }
        two("-", month)
        two("-", day)
        two("T", secondOfDay / 3600)
        two(":", secondOfDay % 3600 / 60)
        two(":", secondOfDay % 60)
        out[at] = UInt8(ascii: "Z")
        return at + 1
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` (also `t`/`z`/space separators).
    static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8)
        var i = 0
        func number(_ width: Int) -> Int64? {
            guard i + width <= b.count else { return nil }
            var v: Int64 = 0
            for k in 0..<width {
                let c = b[i + k]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int64(c - 48)
            }
            i += width
            return v
        }
        func expect(_ chars: UInt8...) -> Bool {
            guard i < b.count, chars.contains(b[i]) else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect(UInt8(ascii: "-")), let month = number(2), expect(UInt8(ascii: "-")),
            let day = number(2), expect(UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")),
            let hour = number(2), expect(UInt8(ascii: ":")), let minute = number(2), expect(UInt8(ascii: ":")),
            let second = number(2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour < 24, minute < 60,
            second < 61
        else { return nil }
        var fraction = 0.0
        if i < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
            i += 1
            var scale = 0.1
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                fraction += Double(b[i] - 48) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        var offset: Int64 = 0
        if expect(UInt8(ascii: "Z"), UInt8(ascii: "z")) {
            offset = 0
        } else if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign: Int64 = b[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = number(2), expect(UInt8(ascii: ":")), let om = number(2), oh < 24, om < 60 else {
                return nil
            }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    static func isLeap(_ year: Int64) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Howard Hinnant's days_from_civil.
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Howard Hinnant's civil_from_days.
    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

// MARK: - Error rendering

extension DecodingError {
    /// The failing field as a Kubernetes-style path: `spec.stages[0].afterStageTasks[1].waitTime`.
    /// Includes the missing key for `keyNotFound`. Empty for the top-level value.
    public var fieldPath: String {
        switch self {
        case .keyNotFound(let key, let context):
            return JSON.renderFieldPath(context.codingPath + [key])
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return JSON.renderFieldPath(context.codingPath)
        @unknown default:
            return ""
        }
    }

    /// What is wrong with the field: `expected string, got number`, `required value`, …
    public var reason: String {
        switch self {
        case .keyNotFound:
            return "required value"
        case .valueNotFound:
            return "required value"
        case .typeMismatch(let type, let context):
            if context.debugDescription.hasPrefix("expected ") { return context.debugDescription }
            return context.debugDescription.isEmpty ? "expected \(type)" : context.debugDescription
        case .dataCorrupted(let context):
            return context.debugDescription
        @unknown default:
            return "\(self)"
        }
    }
}

extension JSON {
    /// Renders a coding path as a field path: string keys joined by `.`, indices (and keys that
    /// are not identifier-like, e.g. `app.kubernetes.io/name`) in brackets.
    public static func renderFieldPath(_ path: [any CodingKey]) -> String {
        var out = ""
        for key in path {
            if let index = key.intValue {
                out += "[\(index)]"
                continue
            }
            let name = key.stringValue
            let plain =
                !name.isEmpty
                && name.utf8.allSatisfy { b in
                    (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
                        || b == 0x2D || b == 0x24
                }
            if plain {
                if !out.isEmpty { out += "." }
                out += name
            } else {
                out += "[\(name)]"
            }
        }
        return out
    }

    /// A one-line, user-facing description of a coding or parsing error:
    /// `spec.stages[0].name: required value`, `invalid JSON at byte 12: …`.
    public static func describe(_ error: any Error) -> String {
        switch error {
        case let error as DecodingError:
            let path = error.fieldPath
            return path.isEmpty ? error.reason : "\(path): \(error.reason)"
        case let error as EncodingError:
            switch error {
            case .invalidValue(_, let context):
                let path = renderFieldPath(context.codingPath)
                return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
            @unknown default:
                return "\(error)"
            }
        default:
            return "\(error)"
        }
    }
}
