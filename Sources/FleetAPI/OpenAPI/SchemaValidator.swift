/// Strict field validation, kubectl's default (`?fieldValidation=Strict`): the API server refuses fields its
/// schema does not declare, so a typo such as `spec.placemntName` fails loudly instead of being dropped.
public enum SchemaValidator {
    /// The fields of `object` that the schema of `kind` at `version` does not declare, as the API server names
    /// them (`spec.stages[0].foo`), in key order. Keys of maps (labels, `data`) and anything under a subtree
    /// kept as sent (embedded manifests, `affinity`) are never unknown. Empty for an unserved kind or version.
    public static func unknownFields(in object: JSON, kind: ResourceKind, version: String, registry: KindRegistry = KindRegistry()) -> [String] {
        guard let schema = registry.schema(for: kind, version: version) else { return [] }
        var unknown: [String] = []
        collect(object, schema: schema, path: "", into: &unknown)
        return unknown
    }

    private static func collect(_ value: JSON, schema: JSON, path: String, into unknown: inout [String]) {
        let schema = resolved(schema)
        switch value {
        case .object(let members):
            let properties = schema["properties"]?.objectValue
            let values = schema["additionalProperties"].flatMap { $0.objectValue == nil ? nil : $0 }
            let strict = properties != nil && schema["x-kubernetes-preserve-unknown-fields"]?.boolValue != true
            for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                let field = path.isEmpty ? key : "\(path).\(key)"
                if let declared = properties?[key] ?? values {
                    collect(member, schema: declared, path: field, into: &unknown)
                } else if strict {
                    unknown.append(field)
                }
            }
        case .array(let elements):
            guard let items = schema["items"] else { return }
            for (index, element) in elements.enumerated() {
                collect(element, schema: items, path: "\(path)[\(index)]", into: &unknown)
            }
        default:
            return
        }
    }

    /// Follows a field's `allOf: [{$ref}]` to the shared `meta/v1` component it names.
    private static func resolved(_ schema: JSON) -> JSON {
        let target = schema["allOf"]?.arrayValue?.first ?? schema
        guard let ref = target["$ref"]?.stringValue else { return target }
        return KindSchemas.meta[String(ref.split(separator: "/").last ?? "")] ?? target
    }
}
