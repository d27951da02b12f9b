/// A set of field paths, as server-side apply records who owns what: a tree whose edges are the path elements of
/// `fieldsV1` (`f:<field>`, `k:<key fields as JSON>`, `v:<value as JSON>`, `i:<index>`), each node marking whether
/// the path ending there is itself in the set.
///
/// The members are leaves (scalars, atomic lists and maps, empty objects) and list items; a map or struct on the way
/// to them is not a member by itself. `fieldsV1` writes a member with members below it as `".": {}`.
public struct FieldSet: Sendable, Hashable {
    /// Whether the path to this node is in the set.
    var isMember = false
    var children: [String: FieldSet] = [:]

    public init() {}

    public init(_ paths: [[String]]) {
        for path in paths { insert(path) }
    }

    public var isEmpty: Bool { !isMember && children.isEmpty }

    public mutating func insert(_ path: [String]) { insert(path[...]) }

    private mutating func insert(_ path: ArraySlice<String>) {
        guard let first = path.first else {
            isMember = true
            return
        }
        children[first, default: FieldSet()].insert(path.dropFirst())
    }

    public func contains(_ path: [String]) -> Bool { node(at: path)?.isMember ?? false }

    /// Whether the set holds `path` or anything below it.
    public func containsAnything(at path: [String]) -> Bool { node(at: path).map { !$0.isEmpty } ?? false }

    private func node(at path: [String]) -> FieldSet? {
        var current = self
        for element in path {
            guard let next = current.children[element] else { return nil }
            current = next
        }
        return current
    }

    /// Whether `path` is a member with no members below it: a value owned whole.
    public func isLeaf(_ path: [String]) -> Bool {
        guard let node = node(at: path) else { return false }
        return node.isMember && node.children.isEmpty
    }

    public func union(_ other: FieldSet) -> FieldSet {
        var result = self
        result.isMember = isMember || other.isMember
        for (element, child) in other.children {
            result.children[element] = result.children[element].map { $0.union(child) } ?? child
        }
        return result
    }

    public func subtracting(_ other: FieldSet) -> FieldSet {
        var result = FieldSet()
        result.isMember = isMember && !other.isMember
        for (element, child) in children {
            let rest = other.children[element].map { child.subtracting($0) } ?? child
            if !rest.isEmpty { result.children[element] = rest }
        }
        return result
    }

    public func intersection(_ other: FieldSet) -> FieldSet {
        var result = FieldSet()
        result.isMember = isMember && other.isMember
        for (element, child) in children {
            guard let theirs = other.children[element] else { continue }
            let both = child.intersection(theirs)
            if !both.isEmpty { result.children[element] = both }
        }
        return result
    }

    /// Every member path, in the encoded elements' order (a parent before its children).
    public var members: [[String]] {
        var paths: [[String]] = []
        collect(into: &paths, prefix: [])
        return paths
    }

    private func collect(into paths: inout [[String]], prefix: [String]) {
        if isMember { paths.append(prefix) }
        for element in children.keys.sorted() { children[element]!.collect(into: &paths, prefix: prefix + [element]) }
    }
}

extension FieldSet {
    /// Reads a `fieldsV1` object; anything that is not one reads as the empty set.
    public init(fieldsV1: JSON) {
        for (element, child) in fieldsV1.objectValue ?? [:] {
            if element == "." {
                isMember = true
            } else {
                var node = FieldSet(fieldsV1: child)
                if child.objectValue?.isEmpty ?? true { node.isMember = true }
                children[element] = node
            }
        }
    }

    /// The `fieldsV1` encoding: a leaf member is `{}`, a member with members below it carries `".": {}`.
    public var fieldsV1: JSON {
        var object: [String: JSON] = [:]
        for (element, child) in children {
            var encoded = child.fieldsV1.objectValue ?? [:]
            if child.isMember && !child.children.isEmpty { encoded["."] = .emptyObject }
            object[element] = .object(encoded)
        }
        return .object(object)
    }

    /// A path as the API server prints it in conflicts: `.spec.template.spec.containers[name="nginx"].image`,
    /// `.metadata.finalizers[="x"]`, `[0]`.
    public static func describe(_ path: [String]) -> String {
        path.map { element in
            let body = String(element.dropFirst(2))
            switch element.prefix(2) {
            case "f:": return "." + body
            case "v:": return "[=\(body)]"
            case "i:": return "[\(body)]"
            default:
                guard let keys = try? JSON.parse(body).objectValue else { return "[\(body)]" }
                return "[" + keys.keys.sorted().map { "\($0)=\(keys[$0]!.serializedString())" }.joined(separator: ",") + "]"
            }
        }.joined()
    }
}
