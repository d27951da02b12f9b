import Foundation
import Yams

/// A YAML problem, with the 1-based line and column it was found at.
public struct YAMLError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        line > 0 ? "yaml: line \(line), column \(column): \(message)" : "yaml: \(message)"
    }
}

/// YAML in and out, the way Kubernetes tooling does it: scalars resolve as `sigs.k8s.io/yaml`
/// (go-yaml v2) resolves them when decoding into `interface{}`, and `emit` prints exactly what
/// `kubectl get -o yaml` prints.
public enum YAML {
    /// Every document of a `---`-separated stream, skipping empty (and `null`) documents.
    public static func parseDocuments(_ text: String) throws -> [JSON] {
        var documents: [JSON] = []
        try forEachDocument(text) { value in
            if !value.isNull { documents.append(value) }
        }
        return documents
    }

    /// The single non-empty document of `text`; throws when there are none or several.
    public static func parse(_ text: String) throws -> JSON {
        let documents = try parseDocuments(text)
        guard documents.count == 1 else {
            throw YAMLError(
                line: 0, column: 0, message: "expected exactly one YAML document, found \(documents.count)")
        }
        return documents[0]
    }

    /// Yams resolves (and caches, in the shared `Tag`) the tags of mapping keys while checking for
    /// duplicates; this resolver marks untagged plain scalars instead of turning them into `!!str`,
    /// so go-yaml's own resolution can still tell `1` from `"1"` and `!!str 1`.
    static let plainTag = Tag.Name(rawValue: "tag:flotilla,2025:plain")
    // swiftlint:disable:next force_try
    static let plainMarkingResolver = try! Resolver.basic.appending(plainTag, "^")

    static func forEachDocument(_ text: String, _ body: (JSON) throws -> Void) throws {
        do {
            try YAMLAliasProbe.check(text)
            let parser = try Parser(yaml: text, resolver: plainMarkingResolver, constructor: .default, encoding: .utf8)
            while let node = try parser.nextRoot() {
                var converter = YAMLNodeConverter()
                try body(try converter.convert(node))
            }
        } catch let error as YamlError {
            throw YAMLError(error)
        }
    }
}

extension YAMLError {
    init(_ error: YamlError) {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            // libyaml stops at 1000 levels, in its own words; the converter's bound is lower, so say that one.
            if problem.hasPrefix("Maximum nesting level reached") {
                self.init(line: mark.line, column: mark.column, message: "exceeded max depth of \(JSON.maximumNestingDepth)")
                return
            }
            var message = problem
            if let context {
                message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
            }
            self.init(line: mark.line, column: mark.column, message: message)
        case .duplicatedKeysInMapping(let duplicates, let context):
            self.init(
                line: context.mark.line, column: context.mark.column,
                message: "duplicate key\(duplicates.count == 1 ? "" : "s") in mapping: "
                    + duplicates.map { "\"\($0)\"" }.joined(separator: ", "))
        case .reader(let problem, let offset, _, _):
            self.init(line: 0, column: 0, message: offset.map { "\(problem) at character \($0)" } ?? problem)
        default:
            self.init(line: 0, column: 0, message: "\(error)")
        }
    }
}

/// Node → JSON, with go-yaml v2 scalar resolution, merge keys, `sigs.k8s.io/yaml` key stringification, and
/// go-yaml's bound on alias expansion counted node by node as go-yaml counts it.
struct YAMLNodeConverter {
    var budget = YAMLAliasBudget()
    /// How many aliases the node being converted lies inside.
    var aliasDepth = 0
    /// Each anchored node met so far, by anchor and position. Yams composes an alias as its anchored node, so
    /// meeting that node again is meeting an alias.
    var anchored: Set<String> = []
    var depth = 0

    static let tagPrefix = "tag:yaml.org,2002:"

    mutating func convert(_ node: Node) throws -> JSON {
        let alias = try enter(node)
        defer { if alias { aliasDepth -= 1 } }
        switch node {
        case .scalar(let scalar):
            return try convertScalar(scalar)
        case .sequence(let sequence):
            try descend(node)
            defer { depth -= 1 }
            var elements: [JSON] = []
            elements.reserveCapacity(sequence.count)
            for child in sequence {
                elements.append(try convert(child))
            }
            return .array(elements)
        case .mapping(let mapping):
            try descend(node)
            defer { depth -= 1 }
            var members: [String: JSON] = [:]
            try fill(&members, from: mapping)
            return .object(members)
        case .alias(let alias):
            throw error(at: node, "unknown anchor '\(alias.anchor)' referenced")
        }
    }

    /// Counts the decode of `node` (and, when it is an alias, of its target again, inside the alias); true when
    /// it is an alias, which the caller leaves by lowering `aliasDepth` once the node is converted.
    mutating func enter(_ node: Node) throws -> Bool {
        budget.add(1, aliased: aliasDepth > 0 ? 1 : 0)
        var alias = false
        if let anchor = node.anchor, let mark = node.mark {
            alias = !anchored.insert("\(anchor.rawValue)@\(mark.line):\(mark.column)").inserted
        }
        if alias {
            aliasDepth += 1
            budget.add(1, aliased: 1)
        }
        if budget.isExceeded {
            if alias { aliasDepth -= 1 }
            throw error(at: node, YAMLAliasBudget.message)
        }
        return alias
    }

    /// The JSON parser's depth bound, for the same reason: every later step walks the value recursively.
    mutating func descend(_ node: Node) throws {
        depth += 1
        if depth > JSON.maximumNestingDepth {
            throw error(at: node, "exceeded max depth of \(JSON.maximumNestingDepth)")
        }
    }

    mutating func fill(_ members: inout [String: JSON], from mapping: Node.Mapping) throws {
        for (keyNode, valueNode) in mapping {
            if let scalar = keyNode.scalar, scalar.string == "<<",
                Self.isImplicit(scalar) || scalar.tag.rawValue == Self.tagPrefix + "merge"
            {
                try merge(&members, valueNode)
                continue
            }
            let key = try keyString(keyNode)
            members[key] = try convert(valueNode)
        }
    }

    /// go-yaml v2 `merge`: a mapping, or a sequence of mappings where earlier ones win.
    mutating func merge(_ members: inout [String: JSON], _ value: Node) throws {
        let alias = try enter(value)
        defer { if alias { aliasDepth -= 1 } }
        switch value {
        case .mapping(let mapping):
            try fill(&members, from: mapping)
        case .sequence(let sequence):
            for item in sequence.reversed() {
                let itemAlias = try enter(item)
                defer { if itemAlias { aliasDepth -= 1 } }
                guard case .mapping(let mapping) = item else {
                    throw error(at: item, "map merge requires map or sequence of maps as the value")
                }
                try fill(&members, from: mapping)
            }
        default:
            throw error(at: value, "map merge requires map or sequence of maps as the value")
        }
    }

    /// Mapping keys become strings the way `sigs.k8s.io/yaml` converts them.
    mutating func keyString(_ node: Node) throws -> String {
        let alias = try enter(node)
        defer { if alias { aliasDepth -= 1 } }
        guard case .scalar(let scalar) = node else {
            throw error(at: node, "unsupported map key: a \(node.isMapping ? "mapping" : "sequence") cannot be a key")
        }
        switch try convertScalar(scalar) {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .double(let d):
            if Self.isImplicit(scalar), case .bigInt = GoYAMLResolve.resolve(scalar.string) {
                return scalar.string
            }
            switch GoFloat.formatG(d, float32: true) {
            case "+Inf": return ".inf"
            case "-Inf": return "-.inf"
            case "NaN": return ".nan"
            case let s: return s
            }
        case .null:
            throw error(at: node, "unsupported map key: null")
        default:
            throw error(at: node, "unsupported map key")
        }
    }

    /// A plain scalar without an explicit tag (its tag is implicit, or our marker once Yams resolved it).
    static func isImplicit(_ scalar: Node.Scalar) -> Bool {
        let tag = scalar.tag.rawValue
        return tag.isEmpty || tag == YAML.plainTag.rawValue
    }

    func convertScalar(_ scalar: Node.Scalar) throws -> JSON {
        let tag = scalar.tag.rawValue
        let text = scalar.string
        if Self.isImplicit(scalar) {
            return Self.json(for: GoYAMLResolve.resolve(text), text)
        }
        switch tag {
        case Self.tagPrefix + "str", "!":
            return .string(text)
        case Self.tagPrefix + "binary":
            let compact = text.filter { !$0.isWhitespace }
            guard let data = Data(base64Encoded: compact) else {
                throw error(at: scalar.mark, "!!binary value contains invalid base64 data")
            }
            return .string(String(decoding: data, as: UTF8.self))
        case Self.tagPrefix + "null":
            guard case .null = GoYAMLResolve.resolve(text) else { throw mismatch(scalar, "!!null") }
            return .null
        case Self.tagPrefix + "bool":
            guard case .bool(let b) = GoYAMLResolve.resolve(text) else { throw mismatch(scalar, "!!bool") }
            return .bool(b)
        case Self.tagPrefix + "int":
            switch GoYAMLResolve.resolve(text) {
            case .int(let i): return .int(i)
            case .bigInt(let d): return .double(d)
            default: throw mismatch(scalar, "!!int")
            }
        case Self.tagPrefix + "float":
            switch GoYAMLResolve.resolve(text) {
            case .int(let i): return .double(Double(i))
            case .bigInt(let d), .float(let d): return .double(d)
            default: throw mismatch(scalar, "!!float")
            }
        case Self.tagPrefix + "timestamp":
            guard GoYAMLResolve.isTimestamp(Array(text.utf8)) else { throw mismatch(scalar, "!!timestamp") }
            return .string(text)
        default:
            // Tags go-yaml cannot resolve (local `!foo` tags, …) leave the text as it is.
            return .string(text)
        }
    }

    static func json(for kind: GoYAMLResolve.Kind, _ text: String) -> JSON {
        switch kind {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .bigInt(let d), .float(let d): return .double(d)
        case .timestamp, .string: return .string(text)
        }
    }

    func mismatch(_ scalar: Node.Scalar, _ tag: String) -> YAMLError {
        let found: String
        switch GoYAMLResolve.resolve(scalar.string) {
        case .null: found = "!!null"
        case .bool: found = "!!bool"
        case .int, .bigInt: found = "!!int"
        case .float: found = "!!float"
        case .timestamp: found = "!!timestamp"
        case .string: found = "!!str"
        }
        return error(at: scalar.mark, "cannot decode \(found) `\(scalar.string)` as a \(tag)")
    }

    func error(at node: Node, _ message: String) -> YAMLError { error(at: node.mark, message) }

    func error(at mark: Mark?, _ message: String) -> YAMLError {
        YAMLError(line: mark?.line ?? 0, column: mark?.column ?? 0, message: message)
    }
}

extension Node {
    fileprivate var isMapping: Bool {
        if case .mapping = self { return true }
        return false
    }
}
