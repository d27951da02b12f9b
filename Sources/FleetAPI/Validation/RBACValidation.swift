/// The API server's rules for roles and bindings (`pkg/apis/rbac/validation`), with its messages.
extension FleetValidation {
    static func roleErrors(_ object: JSON, namespaced: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        for (index, rule) in (object["rules"]?.arrayValue ?? []).enumerated() {
            let path = "rules[\(index)]"
            func strings(_ key: String) -> [String] { rule[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
            if strings("verbs").isEmpty {
                errors.append(FieldError(field: "\(path).verbs", rule: "Required value: verbs must contain at least one value"))
            }
            let urls = strings("nonResourceURLs")
            if namespaced && !urls.isEmpty {
                errors.append(FieldError(
                    field: "\(path).nonResourceURLs",
                    rule: "Invalid value: \(goList(urls)): namespaced rules cannot apply to non-resource URLs"))
            }
            if !urls.isEmpty && (!strings("apiGroups").isEmpty || !strings("resources").isEmpty) {
                errors.append(FieldError(
                    field: "\(path).nonResourceURLs", rule: "Invalid value: \(goList(urls)): rules cannot apply to both regular resources and non-resource URLs"))
            } else if urls.isEmpty {
                if strings("apiGroups").isEmpty {
                    errors.append(FieldError(field: "\(path).apiGroups", rule: "Required value: resource rules must supply at least one api group"))
                }
                if strings("resources").isEmpty {
                    errors.append(FieldError(field: "\(path).resources", rule: "Required value: resource rules must supply at least one resource"))
                }
            }
        }
        return errors
    }

    static func bindingErrors(_ object: JSON, old: JSON?, cluster: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        let roleRef = object["roleRef"] ?? .emptyObject
        let group = roleRef["apiGroup"]?.stringValue ?? ""
        if group != ResourceKind.rbacGroup {
            errors.append(unsupported("roleRef.apiGroup", group, [ResourceKind.rbacGroup]))
        }
        let kinds = cluster ? ["ClusterRole"] : ["Role", "ClusterRole"]
        let kind = roleRef["kind"]?.stringValue ?? ""
        if !kinds.contains(kind) { errors.append(unsupported("roleRef.kind", kind, kinds)) }
        if (roleRef["name"]?.stringValue ?? "").isEmpty { errors.append(FieldError(field: "roleRef.name", rule: "Required value")) }
        for (index, subject) in (object["subjects"]?.arrayValue ?? []).enumerated() {
            let path = "subjects[\(index)]"
            let subjectKind = subject["kind"]?.stringValue ?? ""
            if (subject["name"]?.stringValue ?? "").isEmpty { errors.append(FieldError(field: "\(path).name", rule: "Required value")) }
            switch subjectKind {
            case "ServiceAccount":
                if cluster && (subject["namespace"]?.stringValue ?? "").isEmpty {
                    errors.append(FieldError(field: "\(path).namespace", rule: "Required value"))
                }
            case "User", "Group":
                // An empty apiGroup is the API server's default for users and groups.
                let subjectGroup = subject["apiGroup"]?.stringValue ?? ResourceKind.rbacGroup
                if !subjectGroup.isEmpty && subjectGroup != ResourceKind.rbacGroup {
                    errors.append(unsupported("\(path).apiGroup", subjectGroup, [ResourceKind.rbacGroup]))
                }
            default:
                errors.append(unsupported("\(path).kind", subjectKind, ["ServiceAccount", "User", "Group"]))
            }
        }
        if let old, let previous = old["roleRef"], previous != roleRef {
            let shown = "rbac.RoleRef{APIGroup:\"\(group)\", Kind:\"\(kind)\", Name:\"\(roleRef["name"]?.stringValue ?? "")\"}"
            errors.append(FieldError(field: "roleRef", rule: "Invalid value: \(shown): cannot change roleRef"))
        }
        return errors
    }

    /// `path.IsValidPathSegmentName`, the only rule RBAC names follow.
    static func pathSegmentNameErrors(_ name: String) -> [FieldError] {
        var rules: [String] = []
        if name == "." || name == ".." { rules.append("may not be '\(name)'") }
        for character in ["/", "%"] where name.contains(character) { rules.append("may not contain '\(character)'") }
        return rules.map { FieldError(field: "metadata.name", rule: "Invalid value: \"\(name)\": \($0)") }
    }

    /// Go's `%v` of a string slice, as field errors print one: `[]string{"/a", "/b"}`.
    private static func goList(_ values: [String]) -> String {
        "[]string{" + values.map { "\"\($0)\"" }.joined(separator: ", ") + "}"
    }
}
