/// A JSON value: the one shape every Kubernetes object, patch and event payload takes in Flotilla.
///
/// Objects are unordered; every serializer writes keys sorted, so equal values always have
/// equal bytes (the journal's hash chain and the resource hash rely on that).
public enum JSON: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSON])
    case object([String: JSON])
}

extension JSON {
    public static let emptyObject = JSON.object([:])

    public var objectValue: [String: JSON]? {
        if case .object(let value) = self { return value }
        return nil
    }

    public var arrayValue: [JSON]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var intValue: Int64? {
        switch self {
        case .int(let value): return value
        case .double(let value) where value.rounded() == value && abs(value) < 9.0e15: return Int64(value)
        default: return nil
        }
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The member `key` of an object; `nil` for a missing member or a value that is not an object.
    /// Setting `nil` removes the member; setting on a non-object turns it into an object.
    public subscript(key: String) -> JSON? {
        get { objectValue?[key] }
        set {
            var members = takeMembers()
            members[key] = newValue
            self = .object(members)
        }
    }

    /// The members of an object (none for any other value), leaving `.null` behind: the members are then the only
    /// reference to their storage, so changing them does not copy the whole object.
    private mutating func takeMembers() -> [String: JSON] {
        guard case .object(let members) = self else { return [:] }
        self = .null
        return members
    }

    /// The value at a path of object keys, creating intermediate objects when set.
    public subscript(path path: [String]) -> JSON? {
        get {
            var current: JSON? = self
            for key in path { current = current?[key] }
            return current
        }
        set {
            set(newValue, at: path[...])
        }
    }

    /// Sets the value at `path` in place, each object on the way changed where it is rather than copied out and
    /// back: touching one field of an object costs that field, not the object.
    private mutating func set(_ value: JSON?, at path: ArraySlice<String>) {
        guard let first = path.first else {
            self = value ?? .null
            return
        }
        var members = takeMembers()
        if path.count == 1 {
            members[first] = value
        } else {
            members[first, default: .emptyObject].set(value, at: path.dropFirst())
        }
        self = .object(members)
    }
}

extension JSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
    public init(floatLiteral value: Double) { self = .double(value) }
}
