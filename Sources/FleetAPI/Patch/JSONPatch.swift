/// RFC 6902 JSON patch (`application/json-patch+json`, `kubectl patch --type=json`).
///
/// The whole patch is decoded before anything runs, and the operations run on a copy, so a failing
/// operation leaves the caller's document as it was (RFC 6902 §5: all or nothing). Failure messages
/// use the wording of the json-patch library the Kubernetes API server uses.
public enum JSONPatch {
    public static func apply(_ operations: JSON, to target: JSON) throws(PatchError) -> JSON {
        guard case .array(let items) = operations else {
            throw .malformed("invalid JSON patch: expected an array of operations")
        }
        var decoded: [Operation] = []
        for (index, item) in items.enumerated() {
            decoded.append(try Operation(item, index: index))
        }
        var document = target
        for (index, operation) in decoded.enumerated() {
            do throws(Failure) {
                try operation.apply(to: &document)
            } catch {
                throw .operationFailed(index: index, message: error.message)
            }
        }
        return document
    }
}

/// An RFC 6901 pointer: `/`-separated reference tokens with `~1` for `/` and `~0` for `~`.
private struct Pointer: Equatable {
    let text: String
    let tokens: [String]

    init?(_ text: String) {
        self.text = text
        guard !text.isEmpty else {
            tokens = []
            return
        }
        guard text.hasPrefix("/") else { return nil }
        var tokens: [String] = []
        for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            var token = ""
            var escaped = false
            for character in raw {
                if escaped {
                    switch character {
                    case "0": token.append("~")
                    case "1": token.append("/")
                    default: return nil
                    }
                    escaped = false
                } else if character == "~" {
                    escaped = true
                } else {
                    token.append(character)
                }
            }
            if escaped { return nil }
            tokens.append(token)
        }
        self.tokens = tokens
    }

    /// A proper prefix of `other`: the RFC forbids moving a value into one of its own children.
    func isProperPrefix(of other: Pointer) -> Bool {
        tokens.count < other.tokens.count && other.tokens.starts(with: tokens)
    }
}

/// Where a pointer stopped resolving: a missing parent, a missing last member, or a bad array index.
private enum Miss: Error {
    case path, key, index
}

/// An operation that failed, with the message the API server returns for it.
private struct Failure: Error {
    let message: String

    init(_ op: String, _ miss: Miss, _ pointer: Pointer, from: Bool = false) {
        let what =
            switch miss {
            case .path: from ? "doc is missing from path" : "doc is missing path"
            case .key: from ? "doc is missing from key" : "doc is missing key"
            case .index: "invalid index referenced"
            }
        message = "jsonpatch \(op) operation does not apply: \(what): \(pointer.text)"
    }

    init(message: String) {
        self.message = message
    }
}

private enum Operation {
    case add(Pointer, JSON)
    case remove(Pointer)
    case replace(Pointer, JSON)
    case move(from: Pointer, to: Pointer)
    case copy(from: Pointer, to: Pointer)
    case test(Pointer, JSON)

    init(_ item: JSON, index: Int) throws(PatchError) {
        guard case .object(let members) = item else {
            throw .malformed("invalid JSON patch: operation \(index) is not an object")
        }
        guard let op = members["op"]?.stringValue else {
            throw .malformed("invalid JSON patch: operation \(index) has no \"op\"")
        }
        func pointer(_ member: String) throws(PatchError) -> Pointer {
            guard let text = members[member]?.stringValue else {
                throw .malformed("invalid JSON patch: \(op) operation \(index) has no \"\(member)\"")
            }
            guard let pointer = Pointer(text) else {
                throw .malformed("invalid JSON patch: \(op) operation \(index) has an invalid JSON pointer: \(text)")
            }
            return pointer
        }
        func value() throws(PatchError) -> JSON {
            guard let value = members["value"] else {
                throw .malformed("invalid JSON patch: \(op) operation \(index) has no \"value\"")
            }
            return value
        }
        switch op {
        case "add": self = .add(try pointer("path"), try value())
        case "remove": self = .remove(try pointer("path"))
        case "replace": self = .replace(try pointer("path"), try value())
        case "move": self = .move(from: try pointer("from"), to: try pointer("path"))
        case "copy": self = .copy(from: try pointer("from"), to: try pointer("path"))
        case "test": self = .test(try pointer("path"), try value())
        default: throw .malformed("invalid JSON patch: operation \(index) has unknown op \"\(op)\"")
        }
    }

    func apply(to document: inout JSON) throws(Failure) {
        switch self {
        case .add(let path, let value):
            try Self.attempt("add", path) { () throws(Miss) in try Self.add(value, at: path, in: &document) }
        case .remove(let path):
            guard !path.tokens.isEmpty else {
                throw Failure(message: "jsonpatch remove operation does not apply: cannot remove the whole document")
            }
            _ = try Self.attempt("remove", path) { () throws(Miss) in try Self.remove(path, in: &document) }
        case .replace(let path, let value):
            try Self.attempt("replace", path) { () throws(Miss) in try Self.replace(path, with: value, in: &document) }
        case .move(let from, let path):
            guard from != path else { return }
            guard !from.isProperPrefix(of: path) else {
                throw Failure(
                    message: "jsonpatch move operation does not apply: cannot move \(from.text) into its own child "
                        + path.text)
            }
            let value = try Self.attempt("move", from, from: true) { () throws(Miss) in
                try Self.remove(from, in: &document)
            }
            try Self.attempt("move", path) { () throws(Miss) in try Self.add(value, at: path, in: &document) }
        case .copy(let from, let path):
            let value = try Self.attempt("copy", from, from: true) { () throws(Miss) in
                try Self.value(at: from, in: document)
            }
            try Self.attempt("copy", path) { () throws(Miss) in try Self.add(value, at: path, in: &document) }
        case .test(let path, let expected):
            let actual = try Self.attempt("test", path) { () throws(Miss) in try Self.value(at: path, in: document) }
            guard actual.isEquivalent(to: expected) else { throw Failure(message: "testing value \(path.text) failed") }
        }
    }

    /// Runs `body`, turning a pointer that did not resolve into the failure message for `op`.
    private static func attempt<T>(
        _ op: String, _ pointer: Pointer, from: Bool = false, _ body: () throws(Miss) -> T
    ) throws(Failure) -> T {
        do throws(Miss) {
            return try body()
        } catch {
            throw Failure(op, error, pointer, from: from)
        }
    }

    /// RFC 6901 array index: `0` or digits without a leading zero, so `01` and `-1` refer to nothing.
    private static func arrayIndex(_ token: String) -> Int? {
        guard !token.isEmpty, token.allSatisfy(\.isASCII), token.allSatisfy(\.isNumber),
            token == "0" || !token.hasPrefix("0")
        else { return nil }
        return Int(token)
    }

    private static func value(at pointer: Pointer, in document: JSON) throws(Miss) -> JSON {
        var current = document
        for (position, token) in pointer.tokens.enumerated() {
            let isLast = position == pointer.tokens.count - 1
            switch current {
            case .object(let members):
                guard let next = members[token] else { throw isLast ? .key : .path }
                current = next
            case .array(let items):
                guard let index = arrayIndex(token), index < items.count else { throw isLast ? .index : .path }
                current = items[index]
            default:
                throw .path
            }
        }
        return current
    }

    /// Runs `body` on the container holding the pointer's last token, writing the changed container back.
    private static func modifyParent(
        of tokens: ArraySlice<String>, in document: inout JSON, _ body: (inout JSON, String) throws(Miss) -> Void
    ) throws(Miss) {
        guard let token = tokens.first else { return }
        if tokens.count == 1 {
            try body(&document, token)
            return
        }
        switch document {
        case .object(var members):
            guard var child = members[token] else { throw .path }
            try modifyParent(of: tokens.dropFirst(), in: &child, body)
            members[token] = child
            document = .object(members)
        case .array(var items):
            guard let index = arrayIndex(token), index < items.count else { throw .path }
            try modifyParent(of: tokens.dropFirst(), in: &items[index], body)
            document = .array(items)
        default:
            throw .path
        }
    }

    private static func add(_ value: JSON, at pointer: Pointer, in document: inout JSON) throws(Miss) {
        guard !pointer.tokens.isEmpty else {
            document = value
            return
        }
        try modifyParent(of: pointer.tokens[...], in: &document) { parent, token throws(Miss) in
            switch parent {
            case .object(var members):
                members[token] = value
                parent = .object(members)
            case .array(var items):
                if token == "-" {
                    items.append(value)
                } else {
                    guard let index = arrayIndex(token), index <= items.count else { throw .index }
                    items.insert(value, at: index)
                }
                parent = .array(items)
            default:
                throw .path
            }
        }
    }

    private static func remove(_ pointer: Pointer, in document: inout JSON) throws(Miss) -> JSON {
        precondition(!pointer.tokens.isEmpty, "callers refuse to remove the whole document")
        var removed = JSON.null
        try modifyParent(of: pointer.tokens[...], in: &document) { parent, token throws(Miss) in
            switch parent {
            case .object(var members):
                guard let value = members.removeValue(forKey: token) else { throw .key }
                removed = value
                parent = .object(members)
            case .array(var items):
                guard let index = arrayIndex(token), index < items.count else { throw .index }
                removed = items.remove(at: index)
                parent = .array(items)
            default:
                throw .path
            }
        }
        return removed
    }

    private static func replace(_ pointer: Pointer, with value: JSON, in document: inout JSON) throws(Miss) {
        guard !pointer.tokens.isEmpty else {
            document = value
            return
        }
        try modifyParent(of: pointer.tokens[...], in: &document) { parent, token throws(Miss) in
            switch parent {
            case .object(var members):
                guard members.keys.contains(token) else { throw .key }
                members[token] = value
                parent = .object(members)
            case .array(var items):
                guard let index = arrayIndex(token), index < items.count else { throw .index }
                items[index] = value
                parent = .array(items)
            default:
                throw .path
            }
        }
    }
}
