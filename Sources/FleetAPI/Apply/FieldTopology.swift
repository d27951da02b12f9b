/// How server-side apply sees the shape of one kind's fields: which lists are atomic, sets, or maps keyed by some
/// of their items' fields, and which maps are owned whole. Built-in kinds take their lists from the API types'
/// patch merge keys (`listMapKeys` where they differ: ports by port and protocol); custom kinds from their schema's
/// `x-kubernetes-list-type`, `x-kubernetes-list-map-keys` and `x-kubernetes-map-type`, atomic when unmarked.
public struct FieldTopology: Sendable {
    public enum Shape: Sendable, Equatable {
        /// A map merged and owned key by key.
        case granular
        /// A list or map replaced and owned whole.
        case atomic
        /// A list of scalars, owned item by item.
        case set
        /// A list of objects identified by these fields.
        case map(keys: [String])
    }

    private enum Source: Sendable {
        /// A built-in kind: shapes by dotted field path, list items adding no segment.
        case table([String: Shape], path: String)
        /// A custom kind: the node of its structural schema at this place; nil where the schema says nothing.
        case schema(JSON?)
    }

    private let source: Source

    /// A built-in kind's shapes; a kind not known here gets only ObjectMeta's.
    public static func builtIn(kind: String) -> FieldTopology {
        FieldTopology(source: .table(shapes[kind] ?? metadataShapes, path: ""))
    }

    /// A custom kind's shapes, from its served schema; `metadata` is ObjectMeta's.
    public static func schema(_ schema: JSON?) -> FieldTopology {
        FieldTopology(source: .schema(schema))
    }

    /// The shape of the field `name` below this place.
    public func field(_ name: String) -> FieldTopology {
        switch source {
        case .table(let table, let path):
            return FieldTopology(source: .table(table, path: path.isEmpty ? name : "\(path).\(name)"))
        case .schema(let schema):
            if schema?["x-kubernetes-group-version-kind"] != nil, name == "metadata" {
                return FieldTopology(source: .table(Self.metadataShapes, path: "metadata"))
            }
            if let property = schema?["properties"]?[name] { return FieldTopology(source: .schema(property)) }
            let values = schema?["additionalProperties"]
            return FieldTopology(source: .schema(values?.objectValue != nil ? values : JSON?.none))
        }
    }

    /// The shape of a list's items.
    public var items: FieldTopology {
        switch source {
        case .table: self
        case .schema(let schema): FieldTopology(source: .schema(schema?["items"]))
        }
    }

    /// How the list or map here merges and is owned.
    public func shape(of value: JSON) -> Shape {
        switch source {
        case .table(let table, let path):
            // A list's items share its path: an object there is an item, merged field by field.
            let shape = table[path]
            if value.arrayValue != nil { return shape ?? .atomic }
            return shape == .atomic ? .atomic : .granular
        case .schema(let schema):
            if value.arrayValue != nil {
                switch schema?["x-kubernetes-list-type"]?.stringValue {
                case "set": return .set
                case "map": return .map(keys: schema?["x-kubernetes-list-map-keys"]?.arrayValue?.compactMap(\.stringValue) ?? [])
                default: return .atomic
                }
            }
            return schema?["x-kubernetes-map-type"]?.stringValue == "atomic" ? .atomic : .granular
        }
    }

    /// The value a key field takes when an item leaves it out: its default (a port's `protocol` is `TCP`).
    public func keyDefault(_ field: String) -> JSON? {
        switch source {
        case .table: field == "protocol" ? JSON.string("TCP") : JSON?.none
        case .schema(let schema): schema?["items"]?["properties"]?[field]?["default"]
        }
    }

    static let metadataShapes: [String: Shape] = shapesOf(MergeList.objectMeta(at: "metadata"))

    /// The built-in kinds' lists, from the same patch merge keys strategic merge patch uses; where the API types'
    /// `listMapKeys` name more fields than `patchMergeKey`, those; and the label selectors owned whole.
    static let shapes: [String: [String: Shape]] = MergeList.builtIn.mapValues(shapesOf).merging(
        [
            "Service": ["spec.ports": .map(keys: ["port", "protocol"])],
            "Deployment": ["spec.selector": .atomic], "StatefulSet": ["spec.selector": .atomic],
            "DaemonSet": ["spec.selector": .atomic], "Job": ["spec.selector": .atomic],
        ]
    ) { $0.merging($1) { $1 } }

    private static func shapesOf(_ lists: [String: MergeList]) -> [String: Shape] {
        var shapes: [String: Shape] = [:]
        for (path, list) in lists {
            switch list {
            case .primitives: shapes[path] = .set
            case .byKey(let key):
                shapes[path] = path.hasSuffix("containers.ports") || path.hasSuffix("Containers.ports")
                    ? .map(keys: ["containerPort", "protocol"]) : .map(keys: [key])
            }
        }
        return shapes
    }
}
