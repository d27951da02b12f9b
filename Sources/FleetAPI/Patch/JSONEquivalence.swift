extension JSON {
    /// Equality as JSON means it, for RFC 6902 `test`, merge keys and primitive sets: numbers compare
    /// by value, so `1` matches `1.0` although the parser keeps them as different cases.
    func isEquivalent(to other: JSON) -> Bool {
        switch (self, other) {
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)):
            return Double(a) == b
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.isEquivalent(to: $1) }
        case (.object(let a), .object(let b)):
            return a.count == b.count
                && a.allSatisfy { key, value in b[key].map { value.isEquivalent(to: $0) } ?? false }
        default:
            return self == other
        }
    }
}
