import Foundation

/// Why `KubeProtobuf.decode` rejected a request body.
public enum KubeProtobufError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The body does not start with `k8s\0`, so it is not a Kubernetes protobuf envelope at all.
    case badMagic
    /// The bytes break the protobuf wire format. `offset` counts from the first byte of the body, magic included.
    case malformed(offset: Int, reason: String)
    /// A well-formed envelope for a kind the decoder has no schema for. The description is written
    /// to be the message of a 415 reply, since JSON is the way every kind can be sent.
    case unsupportedKind(apiVersion: String, kind: String)

    public var description: String {
        switch self {
        case .badMagic: "the body is not Kubernetes protobuf: it does not start with the magic k8s\\0"
        case .malformed(let offset, let reason): "invalid protobuf body at byte \(offset): \(reason)"
        case .unsupportedKind(let apiVersion, let kind):
            "the protobuf body for kind \(kind) (\(apiVersion)) is not supported; send application/json"
        }
    }
}

/// Decodes the protobuf request bodies that kubectl 1.32's typed client sends for
/// `kubectl create namespace|configmap|secret|serviceaccount`.
///
/// kubectl does not retry a 415 as JSON, so these bodies must be accepted. Everything after the
/// decoder speaks JSON, so it produces the JSON object Kubernetes would show for the same object.
/// Only the few core/v1 kinds kubectl creates this way are described, in the schema tables below
/// (field numbers from `k8s.io/api/core/v1/generated.proto`). Fields a table does not name, such as
/// timestamps and managedFields, are skipped by wire type, as any protobuf reader would skip them.
public enum KubeProtobuf {
    /// The prefix of every Kubernetes protobuf body: "k8s" and a zero byte.
    static let magic: [UInt8] = [0x6B, 0x38, 0x73, 0x00]

    /// Decodes a whole body: magic, then a `runtime.Unknown` envelope {1 typeMeta, 2 raw,
    /// 3 contentEncoding, 4 contentType}. The object is in `raw`. kubectl leaves fields 3 and 4
    /// empty, so they are skipped.
    public static func decode(_ body: [UInt8]) throws(KubeProtobufError) -> JSON {
        guard body.starts(with: magic) else { throw .badMagic }
        var typeMeta: [String: JSON] = [:]
        var raw = body[body.endIndex...]
        var envelope = Reader(body[magic.count...])
        while let field = try envelope.next() {
            switch field.number {
            case 1: typeMeta = try decodeMessage(field.bytes(), [1: ("apiVersion", .string), 2: ("kind", .string)])
            case 2: raw = try field.bytes()
            default: continue
            }
        }
        let apiVersion = typeMeta["apiVersion"]?.stringValue ?? "v1"
        let kind = typeMeta["kind"]?.stringValue ?? ""
        guard let schema = apiVersion == "v1" ? kinds[kind] : groupKinds["\(apiVersion)/\(kind)"] else {
            throw .unsupportedKind(apiVersion: apiVersion, kind: kind)
        }
        var object = try decodeMessage(raw, schema)
        object["apiVersion"] = .string(apiVersion)
        object["kind"] = .string(kind)
        return .object(object)
    }

    /// Describes how a field becomes JSON. Each case follows the Go type behind the field, because
    /// the Go type decides when a value counts as unset. kubectl writes every non-pointer field,
    /// even an empty one.
    indirect enum FieldType: Sendable {
        /// A Go `string` with omitempty: "" is unset.
        case string
        /// A Go `[]byte`. Kubernetes JSON shows it base64-encoded, and an empty value is unset.
        case bytes
        /// A Go `int64` with omitempty: 0 is unset.
        case int
        /// A Go `*bool`. kubectl writes it only when set, so `false` is kept.
        case bool
        /// A Go struct. An empty message is unset.
        case message(Schema)
        /// A `map<string, V>`. On the wire, each entry is a repeated {1 key, 2 value} message.
        case map(FieldType)
        /// A list. Every element is kept, even "" or {}, because the list entry does exist.
        case repeated(FieldType)
    }

    /// Maps field numbers to JSON member names and types.
    typealias Schema = [Int: (name: String, type: FieldType)]

    static let objectMeta: Schema = [
        1: ("name", .string), 2: ("generateName", .string), 3: ("namespace", .string),
        5: ("uid", .string), 6: ("resourceVersion", .string), 7: ("generation", .int),
        11: ("labels", .map(.string)), 12: ("annotations", .map(.string)),
        13: ("ownerReferences", .repeated(.message(ownerReference))), 14: ("finalizers", .repeated(.string)),
    ]

    static let ownerReference: Schema = [
        1: ("kind", .string), 3: ("name", .string), 4: ("uid", .string), 5: ("apiVersion", .string),
        6: ("controller", .bool), 7: ("blockOwnerDeletion", .bool),
    ]

    static let objectReference: Schema = [
        1: ("kind", .string), 2: ("namespace", .string), 3: ("name", .string), 4: ("uid", .string),
        5: ("apiVersion", .string), 6: ("resourceVersion", .string), 7: ("fieldPath", .string),
    ]

    /// The schemas of the kinds `decode` accepts, keyed by kind. All of them are core `v1`.
    static let kinds: [String: Schema] = [
        "Namespace": [
            1: ("metadata", .message(objectMeta)),
            2: ("spec", .message([1: ("finalizers", .repeated(.string))])),
            3: ("status", .message([1: ("phase", .string)])),
        ],
        "ConfigMap": [
            1: ("metadata", .message(objectMeta)), 2: ("data", .map(.string)),
            3: ("binaryData", .map(.bytes)), 4: ("immutable", .bool),
        ],
        "Secret": [
            1: ("metadata", .message(objectMeta)), 2: ("data", .map(.bytes)), 3: ("type", .string),
            4: ("stringData", .map(.string)), 5: ("immutable", .bool),
        ],
        "ServiceAccount": [
            1: ("metadata", .message(objectMeta)), 2: ("secrets", .repeated(.message(objectReference))),
            3: ("imagePullSecrets", .repeated(.message([1: ("name", .string)]))),
            4: ("automountServiceAccountToken", .bool),
        ],
    ]

    /// The kinds of other groups kubectl's typed client sends as protobuf, keyed by `apiVersion/kind`: the
    /// bodies of `kubectl create role|clusterrole|rolebinding|clusterrolebinding`, `create token`, `auth can-i`
    /// and `auth whoami` (field numbers from `k8s.io/api/{rbac,authentication,authorization}/v1` `generated.proto`).
    static let groupKinds: [String: Schema] = {
        let resourceAttributes: Schema = [
            1: ("namespace", .string), 2: ("verb", .string), 3: ("group", .string), 4: ("version", .string),
            5: ("resource", .string), 6: ("subresource", .string), 7: ("name", .string),
        ]
        let nonResourceAttributes: Schema = [1: ("path", .string), 2: ("verb", .string)]
        let boundObjectReference: Schema = [1: ("kind", .string), 2: ("apiVersion", .string), 3: ("name", .string), 4: ("uid", .string)]
        let policyRule: Schema = [
            1: ("verbs", .repeated(.string)), 2: ("apiGroups", .repeated(.string)), 3: ("resources", .repeated(.string)),
            4: ("resourceNames", .repeated(.string)), 5: ("nonResourceURLs", .repeated(.string)),
        ]
        let labelSelector: Schema = [
            1: ("matchLabels", .map(.string)),
            2: ("matchExpressions", .repeated(.message([1: ("key", .string), 2: ("operator", .string), 3: ("values", .repeated(.string))]))),
        ]
        let binding: Schema = [
            1: ("metadata", .message(objectMeta)),
            2: ("subjects", .repeated(.message([1: ("kind", .string), 2: ("apiGroup", .string), 3: ("name", .string), 4: ("namespace", .string)]))),
            3: ("roleRef", .message([1: ("apiGroup", .string), 2: ("kind", .string), 3: ("name", .string)])),
        ]
        return [
            "rbac.authorization.k8s.io/v1/Role": [1: ("metadata", .message(objectMeta)), 2: ("rules", .repeated(.message(policyRule)))],
            "rbac.authorization.k8s.io/v1/ClusterRole": [
                1: ("metadata", .message(objectMeta)), 2: ("rules", .repeated(.message(policyRule))),
                3: ("aggregationRule", .message([1: ("clusterRoleSelectors", .repeated(.message(labelSelector)))])),
            ],
            "rbac.authorization.k8s.io/v1/RoleBinding": binding,
            "rbac.authorization.k8s.io/v1/ClusterRoleBinding": binding,
            "authentication.k8s.io/v1/TokenRequest": [
                1: ("metadata", .message(objectMeta)),
                2: ("spec", .message([
                    1: ("audiences", .repeated(.string)), 4: ("expirationSeconds", .int),
                    3: ("boundObjectRef", .message(boundObjectReference)),
                ])),
            ],
            "authentication.k8s.io/v1/SelfSubjectReview": [1: ("metadata", .message(objectMeta))],
            "authorization.k8s.io/v1/SelfSubjectAccessReview": [
                1: ("metadata", .message(objectMeta)),
                2: ("spec", .message([
                    1: ("resourceAttributes", .message(resourceAttributes)),
                    2: ("nonResourceAttributes", .message(nonResourceAttributes)),
                ])),
            ],
            "authorization.k8s.io/v1/SelfSubjectRulesReview": [
                1: ("metadata", .message(objectMeta)), 2: ("spec", .message([1: ("namespace", .string)])),
            ],
        ]
    }()

    /// Decodes one message into JSON members. A singular field that occurs twice keeps its last
    /// value, as in protobuf. Maps and lists collect all of their occurrences, in place: a body of a
    /// million two-byte list entries costs a million appends, not a copy of the list for each.
    ///
    /// Nesting is bounded by the schema: only the fields it names are decoded, and any other field, however
    /// deeply nested its bytes are, is skipped whole.
    static func decodeMessage(_ bytes: ArraySlice<UInt8>, _ schema: Schema) throws(KubeProtobufError) -> [String: JSON] {
        var object: [String: JSON] = [:]
        var lists: [String: [JSON]] = [:]
        var maps: [String: [String: JSON]] = [:]
        var reader = Reader(bytes)
        while let field = try reader.next() {
            guard let (name, type) = schema[field.number] else { continue }
            let value = try decode(field, as: type)
            switch type {
            case .repeated: lists[name, default: []].append(value)
            case .map: for (key, entry) in value.objectValue ?? [:] { maps[name, default: [:]][key] = entry }
            default: if value != "" && value != 0 && value != .emptyObject { object[name] = value }
            }
        }
        for (name, elements) in lists { object[name] = .array(elements) }
        for (name, members) in maps { object[name] = .object(members) }
        return object
    }

    /// Converts one occurrence of a field. A map entry comes back as a one-member object, and a
    /// list occurrence comes back as a single element.
    static func decode(_ field: Field, as type: FieldType) throws(KubeProtobufError) -> JSON {
        switch type {
        case .string: return .string(try field.string())
        case .bytes: return .string(Data(try field.bytes()).base64EncodedString())
        case .int: return .int(Int64(bitPattern: try field.varint()))
        case .bool: return .bool(try field.varint() != 0)
        case .message(let schema): return .object(try decodeMessage(field.bytes(), schema))
        case .repeated(let element): return try decode(field, as: element)
        case .map(let valueType):
            let entry = try decodeMessage(field.bytes(), [1: ("key", .string), 2: ("value", valueType)])
            return .object([entry["key"]?.stringValue ?? "": entry["value"] ?? ""])
        }
    }

    /// One field as read off the wire. Its `offset` is the position of its tag, used in errors.
    struct Field {
        /// The payload by wire type. The fixed 32- and 64-bit payloads are dropped because no
        /// decoded field uses them.
        enum Value { case varint(UInt64), bytes(ArraySlice<UInt8>), fixed }

        let number: Int
        let offset: Int
        let value: Value

        func varint() throws(KubeProtobufError) -> UInt64 {
            guard case .varint(let value) = value else { throw wrongWireType("varint") }
            return value
        }

        func bytes() throws(KubeProtobufError) -> ArraySlice<UInt8> {
            guard case .bytes(let bytes) = value else { throw wrongWireType("length-delimited") }
            return bytes
        }

        func string() throws(KubeProtobufError) -> String {
            guard let string = String(validating: try bytes(), as: UTF8.self) else {
                throw .malformed(offset: offset, reason: "field \(number) is not valid UTF-8")
            }
            return string
        }

        private func wrongWireType(_ expected: String) -> KubeProtobufError {
            .malformed(offset: offset, reason: "field \(number) should be \(expected) but has another wire type")
        }
    }

    /// A wire-format cursor over a slice of the body. Slices keep the body's indices, so every
    /// offset in an error is a position in the body exactly as it was received.
    struct Reader {
        private let bytes: ArraySlice<UInt8>
        private var index: Int

        init(_ bytes: ArraySlice<UInt8>) {
            self.bytes = bytes
            index = bytes.startIndex
        }

        /// The next field, or nil at the end of the message. Groups (wire types 3 and 4) are an
        /// error: Kubernetes never writes them.
        mutating func next() throws(KubeProtobufError) -> Field? {
            guard index < bytes.endIndex else { return nil }
            let start = index
            let tag = try readVarint()
            guard tag >> 3 > 0, tag >> 3 <= UInt64(Int32.max) else {
                throw .malformed(offset: start, reason: "field number \(tag >> 3) is out of range")
            }
            let value: Field.Value
            switch tag & 7 {
            case 0: value = .varint(try readVarint())
            case 1: _ = try take(8); value = .fixed
            case 2: value = .bytes(try take(Int(clamping: try readVarint())))
            case 5: _ = try take(4); value = .fixed
            default: throw .malformed(offset: start, reason: "unsupported wire type \(tag & 7)")
            }
            return Field(number: Int(tag >> 3), offset: start, value: value)
        }

        private mutating func take(_ count: Int) throws(KubeProtobufError) -> ArraySlice<UInt8> {
            let left = bytes.endIndex - index
            guard count <= left else {
                throw .malformed(offset: index, reason: "truncated: \(count) bytes needed, \(left) left")
            }
            defer { index += count }
            return bytes[index..<index + count]
        }

        private mutating func readVarint() throws(KubeProtobufError) -> UInt64 {
            let start = index
            var result: UInt64 = 0
            for shift in stride(from: UInt64(0), to: 64, by: 7) {
                guard index < bytes.endIndex else { throw .malformed(offset: start, reason: "truncated varint") }
                let byte = bytes[index]
                index += 1
                result |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return result }
            }
            throw .malformed(offset: start, reason: "varint longer than 10 bytes")
        }
    }
}
