/// A CRD's `openAPIV3Schema` as the API server uses it: checked for being structural when the CRD is written,
/// then used to prune and validate every custom object, with kube-openapi's messages.
public enum CustomSchema {
    static let preserveUnknown = "x-kubernetes-preserve-unknown-fields"
    static let intOrString = "x-kubernetes-int-or-string"
    static let embeddedResource = "x-kubernetes-embedded-resource"
    private static let types: Set<String> = ["object", "array", "string", "integer", "number", "boolean"]

    /// The schema a served kind publishes and validates against: the CRD's own, with `apiVersion`, `kind` and
    /// `metadata` declared at the root as the API server adds them.
    public static func served(_ schema: JSON, kind: ResourceKind, version: String) -> JSON {
        var served = schema
        served[path: ["properties", "apiVersion"]] = KindSchemas.string("APIVersion defines the versioned schema of this representation of an object.")
        served[path: ["properties", "kind"]] = KindSchemas.string("Kind is a string value representing the REST resource this object represents.")
        served[path: ["properties", "metadata"]] = KindSchemas.ref(KindSchemas.objectMeta, "Standard object's metadata.")
        served["x-kubernetes-group-version-kind"] = [KindSchemas.groupVersionKind(kind, version: version)]
        return served
    }

    /// The ways `schema` is not structural: a missing `type` where one is needed, an unknown type, or
    /// `properties` beside `additionalProperties`.
    static func structuralErrors(_ schema: JSON, path: String) -> [FieldError] {
        var errors: [FieldError] = []
        if schema["type"]?.stringValue != "object" {
            errors.append(
                schema["type"] == nil
                    ? FieldError(field: "\(path).type", rule: "Required value: must not be empty at the root")
                    : FieldError(field: "\(path).type", rule: "Invalid value: \(CustomResourceDefinition.goValue(schema["type"])): must be object at the root"))
        }
        if schema["additionalProperties"] != nil {
            errors.append(FieldError(field: "\(path).additionalProperties", rule: "Forbidden: must not be used at the root"))
        }
        collectStructural(schema, path: path, root: true, into: &errors)
        return errors
    }

    private static func collectStructural(_ schema: JSON, path: String, root: Bool, into errors: inout [FieldError]) {
        let exempt = schema[intOrString]?.boolValue == true || schema[preserveUnknown]?.boolValue == true
        if let type = schema["type"]?.stringValue, !types.contains(type) {
            errors.append(FieldError(
                field: "\(path).type",
                rule: "Unsupported value: \(GoQuote.quote(type)): supported values: \"array\", \"boolean\", \"integer\", \"number\", \"object\", \"string\""))
        } else if schema["type"] == nil && !exempt && !root {
            errors.append(FieldError(field: "\(path).type", rule: "Required value: must not be empty for specified object fields"))
        }
        if schema["properties"] != nil && schema["additionalProperties"]?.objectValue != nil {
            errors.append(FieldError(field: "\(path).additionalProperties", rule: "Forbidden: additionalProperties and properties are mutual exclusive"))
        }
        for (name, property) in (schema["properties"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            collectStructural(property, path: "\(path).properties[\(name)]", root: false, into: &errors)
        }
        if let items = schema["items"], items.objectValue != nil {
            collectStructural(items, path: "\(path).items", root: false, into: &errors)
        }
        if let values = schema["additionalProperties"], values.objectValue != nil {
            collectStructural(values, path: "\(path).additionalProperties", root: false, into: &errors)
        }
    }

    /// `object` without the fields its schema does not declare, as the API server prunes on every write.
    /// `apiVersion`, `kind` and `metadata` at the root (and in embedded resources) are ObjectMeta's business.
    public static func prune(_ object: JSON, schema: JSON) -> JSON {
        prune(object, schema: schema, keepingMeta: true)
    }

    private static func prune(_ value: JSON, schema: JSON, keepingMeta: Bool) -> JSON {
        switch value {
        case .object(var members):
            let properties = schema["properties"]?.objectValue
            let values = schema["additionalProperties"].flatMap { $0.objectValue == nil ? nil : $0 }
            let preserve = schema[preserveUnknown]?.boolValue == true
            let embedded = schema[embeddedResource]?.boolValue == true
            for (key, member) in members {
                if (keepingMeta || embedded) && ["apiVersion", "kind", "metadata"].contains(key) { continue }
                if let declared = properties?[key] ?? values {
                    members[key] = prune(member, schema: declared, keepingMeta: false)
                } else if !preserve && !(properties == nil && values == nil && schema["additionalProperties"]?.boolValue == true) {
                    members[key] = nil
                }
            }
            return .object(members)
        case .array(let elements):
            guard let items = schema["items"] else { return value }
            return .array(elements.map { prune($0, schema: items, keepingMeta: false) })
        default:
            return value
        }
    }

    /// Every rule of the schema that `object` breaks, as the API server's 422 lists them.
    public static func validate(_ object: JSON, schema: JSON) -> [FieldError] {
        var errors: [FieldError] = []
        for (key, member) in (object.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) where !["apiVersion", "kind", "metadata"].contains(key) {
            if let declared = schema[path: ["properties", key]] { check(member, schema: declared, path: key, into: &errors) }
        }
        for name in required(schema) where object[name] == nil {
            errors.append(FieldError(field: name, rule: "Required value"))
        }
        return errors
    }

    private static func required(_ schema: JSON) -> [String] {
        schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    private static func check(_ value: JSON, schema: JSON, path: String, into errors: inout [FieldError]) {
        if value == .null {
            if schema["nullable"]?.boolValue != true && schema["type"] != nil {
                errors.append(FleetValidation.typeError(path, value, expected: schema["type"]?.stringValue ?? ""))
            }
            return
        }
        if let type = schema["type"]?.stringValue, !matches(value, type: type, schema: schema) {
            errors.append(FleetValidation.typeError(path, value, expected: type))
            return
        }
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) {
            let list = allowed.map { CustomResourceDefinition.goValue($0) }.joined(separator: ", ")
            errors.append(FieldError(field: path, rule: "Unsupported value: \(CustomResourceDefinition.goValue(value)): supported values: \(list)"))
        }
        switch value {
        case .int, .double:
            checkBounds(value, schema: schema, path: path, into: &errors)
        case .string(let text):
            if let maximum = schema["maxLength"]?.intValue, text.count > maximum {
                errors.append(FieldError(field: path, rule: "Too long: may not be more than \(maximum) bytes"))
            }
            if let minimum = schema["minLength"]?.intValue, text.count < minimum {
                errors.append(FieldError(field: path, rule: "Invalid value: \(GoQuote.quote(text)): \(path) in body should be at least \(minimum) chars long"))
            }
            if let pattern = schema["pattern"]?.stringValue, let regex = try? Regex(pattern), (try? regex.firstMatch(in: text)) == nil {
                errors.append(FieldError(field: path, rule: "Invalid value: \(GoQuote.quote(text)): \(path) in body should match '\(pattern)'"))
            }
        case .array(let elements):
            if let maximum = schema["maxItems"]?.intValue, elements.count > maximum {
                errors.append(FieldError(field: path, rule: "Too many: \(elements.count): must have at most \(maximum) items"))
            }
            if let minimum = schema["minItems"]?.intValue, elements.count < minimum {
                errors.append(FieldError(field: path, rule: "Invalid value: \(elements.count): \(path) in body should have at least \(minimum) items"))
            }
            if let items = schema["items"] {
                for (index, element) in elements.enumerated() { check(element, schema: items, path: "\(path)[\(index)]", into: &errors) }
            }
        case .object(let members):
            let properties = schema["properties"]?.objectValue
            let values = schema["additionalProperties"].flatMap { $0.objectValue == nil ? nil : $0 }
            for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                if let declared = properties?[key] ?? values { check(member, schema: declared, path: "\(path).\(key)", into: &errors) }
            }
            for name in required(schema) where members[name] == nil {
                errors.append(FieldError(field: "\(path).\(name)", rule: "Required value"))
            }
        default:
            break
        }
    }

    private static func checkBounds(_ value: JSON, schema: JSON, path: String, into errors: inout [FieldError]) {
        let number = numeric(value) ?? 0
        let shown = CustomResourceDefinition.goValue(value)
        if let maximum = schema["maximum"], let limit = numeric(maximum) {
            let exclusive = schema["exclusiveMaximum"]?.boolValue == true
            if exclusive ? number >= limit : number > limit {
                let bound = exclusive ? "less than" : "less than or equal to"
                errors.append(FieldError(field: path, rule: "Invalid value: \(shown): \(path) in body should be \(bound) \(CustomResourceDefinition.goValue(maximum))"))
            }
        }
        if let minimum = schema["minimum"], let limit = numeric(minimum) {
            let exclusive = schema["exclusiveMinimum"]?.boolValue == true
            if exclusive ? number <= limit : number < limit {
                let bound = exclusive ? "greater than" : "greater than or equal to"
                errors.append(FieldError(field: path, rule: "Invalid value: \(shown): \(path) in body should be \(bound) \(CustomResourceDefinition.goValue(minimum))"))
            }
        }
    }

    private static func numeric(_ value: JSON) -> Double? {
        switch value {
        case .int(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }

    private static func matches(_ value: JSON, type: String, schema: JSON) -> Bool {
        if schema[intOrString]?.boolValue == true, case .string = value { return true }
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("integer", .int), ("boolean", .bool): return true
        case ("number", .int), ("number", .double): return true
        default: return false
        }
    }
}
