/// The OpenAPI v3 property trees of every kind the hub serves. One table feeds both the documents kubectl
/// reads (`explain`, server-side validation discovery) and strict field validation, so the two cannot disagree.
enum KindSchemas {
    /// The schema of `kind` at `version`, or nil when the hub does not serve that pair.
    static func schema(for kind: ResourceKind, version: String) -> JSON? {
        built["\(kind.group)/\(version)/\(kind.kind)"]
    }

    /// The `components.schemas` key Kubernetes uses: `io.k8s.api.<group>.<v>.<Kind>` for built-in kinds, the
    /// reversed group for custom resources (`io.kubernetes-fleet.placement.v1beta1.ClusterStagedUpdateRun`).
    static func componentName(_ kind: ResourceKind, version: String, suffix: String = "") -> String {
        let prefix =
            isBuiltIn(kind)
            ? "io.k8s.api.\(kind.group.isEmpty ? "core" : String(kind.group.prefix { $0 != "." }))"
            : kind.group.split(separator: ".").reversed().joined(separator: ".")
        return "\(prefix).\(version).\(kind.kind)\(suffix)"
    }

    /// The `<Kind>List` a list call answers with.
    static func listSchema(_ kind: ResourceKind, version: String) -> JSON {
        var schema = object(
            "A page of \(kind.kind) objects.", required: ["items"],
            [
                "apiVersion": string("The versioned schema of the list."),
                "kind": string("Always \(kind.kind)List."),
                "metadata": ref(listMeta, "Version of the collection and paging token."),
                "items": array("The objects.", of: ref(componentName(kind, version: version), "One object.")),
            ])
        schema["x-kubernetes-group-version-kind"] = [
            groupVersionKind(kind, version: version, kindName: "\(kind.kind)List")
        ]
        return schema
    }

    private static let built: [String: JSON] = Dictionary(
        uniqueKeysWithValues: ResourceKind.all.flatMap { kind in
            kind.versions.map { version in ("\(kind.group)/\(version)/\(kind.kind)", build(kind, version: version)) }
        })

    private static func build(_ kind: ResourceKind, version: String) -> JSON {
        let (description, required, fields) =
            kind.group == ResourceKind.rbacGroup ? rbacFields(kind) : isBuiltIn(kind) ? coreFields(kind) : fleetFields(kind)
        var properties = fields
        properties["apiVersion"] = string("The versioned schema this object follows, as `group/version`.")
        properties["kind"] = string("The REST kind of this object, in CamelCase.")
        properties["metadata"] = ref(objectMeta, "Name, namespace, labels, annotations and server-set bookkeeping.")
        var schema = object(description, required: required, properties)
        schema["x-kubernetes-group-version-kind"] = [groupVersionKind(kind, version: version)]
        return schema
    }

    /// Only built-in kinds accept strategic merge patches.
    static func isBuiltIn(_ kind: ResourceKind) -> Bool { kind.isBuiltIn }

    /// The `x-kubernetes-group-version-kind` entry kubectl matches objects against.
    static func groupVersionKind(_ kind: ResourceKind, version: String, kindName: String? = nil) -> JSON {
        ["group": .string(kind.group), "version": .string(version), "kind": .string(kindName ?? kind.kind)]
    }
}

// MARK: Building blocks

extension KindSchemas {
    static let objectMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
    static let listMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"
    static let condition = "io.k8s.apimachinery.pkg.apis.meta.v1.Condition"
    static let labelSelector = "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector"
    static let ownerReference = "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference"
    static let intOrStringType = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"

    static func object(_ description: String, required: [String] = [], _ properties: [String: JSON]) -> JSON {
        var schema: JSON = ["type": "object", "description": .string(description), "properties": .object(properties)]
        if !required.isEmpty { schema["required"] = .array(required.map(JSON.string)) }
        return schema
    }

    static func string(
        _ description: String, enum values: [String] = [], pattern: String? = nil, maxLength: Int64? = nil,
        format: String? = nil
    ) -> JSON {
        var schema: JSON = ["type": "string", "description": .string(description)]
        if !values.isEmpty { schema["enum"] = .array(values.map(JSON.string)) }
        if let pattern { schema["pattern"] = .string(pattern) }
        if let maxLength { schema["maxLength"] = .int(maxLength) }
        if let format { schema["format"] = .string(format) }
        return schema
    }

    static func time(_ description: String) -> JSON {
        string(description, format: "date-time")
    }

    static func integer(
        _ description: String, format: String = "int32", minimum: Int64? = nil, maximum: Int64? = nil
    ) -> JSON {
        var schema: JSON = ["type": "integer", "format": .string(format), "description": .string(description)]
        if let minimum { schema["minimum"] = .int(minimum) }
        if let maximum { schema["maximum"] = .int(maximum) }
        return schema
    }

    static func boolean(_ description: String) -> JSON {
        ["type": "boolean", "description": .string(description)]
    }

    static func array(_ description: String, of items: JSON, minItems: Int64? = nil, maxItems: Int64? = nil) -> JSON {
        var schema: JSON = ["type": "array", "description": .string(description), "items": items]
        if let minItems { schema["minItems"] = .int(minItems) }
        if let maxItems { schema["maxItems"] = .int(maxItems) }
        return schema
    }

    static func strings(_ description: String, maxItems: Int64? = nil) -> JSON {
        array(description, of: ["type": "string"], maxItems: maxItems)
    }

    /// A map with free keys (labels, `data`): its keys are never unknown fields.
    static func map(_ description: String, of values: JSON = ["type": "string"]) -> JSON {
        ["type": "object", "description": .string(description), "additionalProperties": values]
    }

    /// An object kept as sent: embedded manifests and sub-trees Flotilla does not model.
    static func preserved(_ description: String, _ properties: [String: JSON] = [:]) -> JSON {
        var schema =
            properties.isEmpty
            ? ["type": "object", "description": .string(description)] : object(description, properties)
        schema["x-kubernetes-preserve-unknown-fields"] = true
        return schema
    }

    /// Referencing the shared IntOrString component makes `kubectl explain` print `<IntOrString>`.
    static func intOrString(_ description: String, pattern: String? = nil) -> JSON {
        var schema = ref(intOrStringType, description)
        schema["x-kubernetes-int-or-string"] = true
        if let pattern { schema["pattern"] = .string(pattern) }
        return schema
    }

    /// A field typed by a shared component. `allOf` keeps the field's own description next to the reference,
    /// which a bare `$ref` would hide (OpenAPI 3.0 ignores siblings of `$ref`).
    static func ref(_ component: String, _ description: String) -> JSON {
        ["allOf": [["$ref": .string("#/components/schemas/\(component)")]], "description": .string(description)]
    }

    /// `metav1.Condition` lists, merged by `type` as in KubeFleet's CRDs.
    static func conditions(_ description: String) -> JSON {
        var schema = array(description, of: ref(condition, "One observed condition."))
        schema["x-kubernetes-list-type"] = "map"
        schema["x-kubernetes-list-map-keys"] = ["type"]
        schema["x-kubernetes-patch-strategy"] = "merge"
        schema["x-kubernetes-patch-merge-key"] = "type"
        return schema
    }
}
