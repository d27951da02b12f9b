/// Values read from a JSON tree as `JSONValueDecoder` decodes them, for the types the hub reads often enough that
/// the decoder's generic walk cost more than the rest of the work: each gives nil where the decoder would throw.
enum JSONTreeReading {
    static func string(_ value: JSON) -> String? {
        if case .string(let string) = value { string } else { nil }
    }

    /// An integer as the decoder reads one: a number that is whole and fits.
    static func integer<T: FixedWidthInteger>(_ value: JSON, as type: T.Type = T.self) -> T? {
        switch value {
        case .int(let integer): T(exactly: integer)
        case .double(let double) where double.rounded(.towardZero) == double: T(exactly: double)
        default: nil
        }
    }

    /// A member the decoder reads with `decodeIfPresent`: absent or null is `.some(nil)`, a value `read` reads is
    /// `.some(value)`, anything else nil.
    static func optional<T>(_ value: JSON?, _ read: (JSON) -> T?) -> T?? {
        switch value {
        case nil, .null?: .some(nil)
        case let value?: read(value).map { .some($0) }
        }
    }

    /// A `JSON?` member as the decoder reads it with `decodeIfPresent`: absent and null are both nil.
    static func present(_ value: JSON?) -> JSON? {
        if case .null? = value { nil } else { value }
    }

    static func array<T>(_ value: JSON, _ read: (JSON) -> T?) -> [T]? {
        guard case .array(let elements) = value else { return nil }
        var values: [T] = []
        values.reserveCapacity(elements.count)
        for element in elements {
            guard let value = read(element) else { return nil }
            values.append(value)
        }
        return values
    }

    static func stringMap(_ value: JSON) -> [String: String]? {
        guard case .object(let members) = value else { return nil }
        var map: [String: String] = [:]
        map.reserveCapacity(members.count)
        for (key, member) in members {
            guard case .string(let string) = member else { return nil }
            map[key] = string
        }
        return map
    }
}
