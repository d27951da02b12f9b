/// One `additionalPrinterColumns` entry of a CRD version.
public struct CustomColumn: Sendable, Hashable {
    public var name: String
    /// `integer`, `number`, `string`, `boolean` or `date`.
    public var type: String
    public var format: String
    /// A simple JSONPath such as `.spec.replicas`.
    public var jsonPath: String
    /// 0 shows by default; more only with `-o wide`.
    public var priority: Int
    public var description: String

    public init(name: String, type: String, format: String = "", jsonPath: String, priority: Int = 0, description: String = "") {
        self.name = name
        self.type = type
        self.format = format
        self.jsonPath = jsonPath
        self.priority = priority
        self.description = description
    }
}

extension ResourceKind {
    public static let apiextensionsGroup = "apiextensions.k8s.io"
    public static let customResourceDefinition = ResourceKind(
        group: apiextensionsGroup, versions: ["v1"], kind: "CustomResourceDefinition", plural: "customresourcedefinitions",
        shortNames: ["crd", "crds"], namespaced: false, hasStatus: true)
}

/// A kind that an established CustomResourceDefinition defines, as the hub serves it: its names as the
/// definition's status accepted them, its served versions with their schemas and columns.
public struct CustomKind: Sendable, Hashable {
    public struct Version: Sendable, Hashable {
        public var name: String
        public var storage: Bool
        /// `schema.openAPIV3Schema`.
        public var schema: JSON
        public var hasStatus: Bool
        public var columns: [CustomColumn]
    }

    /// The CRD's name, `<plural>.<group>`.
    public var definition: String
    public var kind: ResourceKind
    /// The served versions, preferred first (kube-aware order: `v1` before `v1beta1` before `v1alpha1`).
    public var versions: [Version]

    public func version(_ name: String) -> Version? { versions.first { $0.name == name } }

    /// The kind a CRD defines once its names are accepted and it is established; nil before that.
    public init?(definition json: JSON) {
        guard CustomResourceDefinition.condition(json, "Established") == "True",
            let group = json[path: ["spec", "group"]]?.stringValue,
            let accepted = json[path: ["status", "acceptedNames"]], let kindName = accepted["kind"]?.stringValue,
            let plural = accepted["plural"]?.stringValue
        else { return nil }
        let served: [Version] = (json[path: ["spec", "versions"]]?.arrayValue ?? []).compactMap { version in
            guard let name = version["name"]?.stringValue, version["served"]?.boolValue == true else { return nil }
            let columns = (version["additionalPrinterColumns"]?.arrayValue ?? []).compactMap { column -> CustomColumn? in
                guard let name = column["name"]?.stringValue, let path = column["jsonPath"]?.stringValue else { return nil }
                return CustomColumn(
                    name: name, type: column["type"]?.stringValue ?? "string", format: column["format"]?.stringValue ?? "",
                    jsonPath: path, priority: Int(column["priority"]?.intValue ?? 0),
                    description: column["description"]?.stringValue
                        ?? "Custom resource definition column (in JSONPath format): \(path)")
            }
            return Version(
                name: name, storage: version["storage"]?.boolValue == true,
                schema: version[path: ["schema", "openAPIV3Schema"]] ?? ["type": "object"],
                hasStatus: version[path: ["subresources", "status"]] != nil, columns: columns)
        }
        let ordered = served.sorted { APIVersionOrder.precedes($0.name, $1.name) }
        guard let preferred = ordered.first else { return nil }
        definition = json[path: ["metadata", "name"]]?.stringValue ?? "\(plural).\(group)"
        versions = ordered
        kind = ResourceKind(
            group: group, versions: ordered.map(\.name), kind: kindName, plural: plural,
            shortNames: accepted["shortNames"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            namespaced: json[path: ["spec", "scope"]]?.stringValue != "Cluster", hasStatus: preferred.hasStatus,
            categories: accepted["categories"]?.arrayValue?.compactMap(\.stringValue) ?? [], isCustom: true,
            customColumns: preferred.columns)
    }
}

/// What the API server's CRD controllers decide, as pure functions: the names a definition may use, and the
/// status that says so.
public enum CustomResourceDefinition {
    /// The status of a condition of a CRD object, or nil.
    public static func condition(_ json: JSON, _ type: String) -> String? {
        json[path: ["status", "conditions"]]?.arrayValue?.first { $0["type"]?.stringValue == type }?["status"]?.stringValue
    }

    /// The names `spec.names` asks for, as `status.acceptedNames` would list them.
    public static func requestedNames(_ json: JSON) -> JSON {
        let names = json[path: ["spec", "names"]] ?? .emptyObject
        let kind = names["kind"]?.stringValue ?? ""
        var accepted: JSON = [
            "plural": names["plural"] ?? "", "kind": .string(kind),
            "singular": .string(names["singular"]?.stringValue ?? kind.lowercased()),
            "listKind": .string(names["listKind"]?.stringValue ?? "\(kind)List"),
        ]
        if let shortNames = names["shortNames"] { accepted["shortNames"] = shortNames }
        if let categories = names["categories"] { accepted["categories"] = categories }
        return accepted
    }

    /// The first name `json` asks for that `taken` (the kinds served in its group by anything else) already
    /// uses, as the naming controller reports it: the condition's reason and message. Nil when none conflicts.
    public static func conflict(_ json: JSON, taken: [ResourceKind]) -> (reason: String, message: String)? {
        let names = requestedNames(json)
        let plural = names["plural"]?.stringValue ?? ""
        let singular = names["singular"]?.stringValue ?? ""
        let kind = names["kind"]?.stringValue ?? ""
        let shortNames = names["shortNames"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let usedNames = Set(taken.flatMap { [$0.plural, $0.singular] + $0.shortNames })
        if usedNames.contains(plural) { return ("PluralConflict", "\"\(plural)\" is already in use") }
        if usedNames.contains(singular) { return ("SingularConflict", "\"\(singular)\" is already in use") }
        if let short = shortNames.first(where: usedNames.contains) { return ("ShortNamesConflict", "\"\(short)\" is already in use") }
        if taken.contains(where: { $0.kind == kind }) { return ("KindConflict", "\"\(kind)\" is already in use") }
        if taken.contains(where: { "\($0.kind)List" == "\(kind)List" }) {
            return ("ListKindConflict", "\"\(kind)List\" is already in use")
        }
        return nil
    }

    /// Validates a CRD as `apiextensions.k8s.io/v1` does, in its words.
    public static func validate(_ json: JSON) -> [FieldError] {
        var errors: [FieldError] = []
        let group = json[path: ["spec", "group"]]?.stringValue ?? ""
        let names = json[path: ["spec", "names"]] ?? .emptyObject
        let plural = names["plural"]?.stringValue ?? ""
        let name = json[path: ["metadata", "name"]]?.stringValue ?? ""
        if name != "\(plural).\(group)" {
            errors.append(FieldError(field: "metadata.name", rule: "Invalid value: \(GoQuote.quote(name)): must be spec.names.plural+\".\"+spec.group"))
        }
        if group.isEmpty {
            errors.append(FieldError(field: "spec.group", rule: "Required value"))
        } else if !group.contains(".") {
            errors.append(FieldError(field: "spec.group", rule: "Invalid value: \(GoQuote.quote(group)): should be a domain with at least one dot"))
        }
        for field in ["plural", "kind"] where (names[field]?.stringValue ?? "").isEmpty {
            errors.append(FieldError(field: "spec.names.\(field)", rule: "Required value"))
        }
        if !plural.isEmpty && !isDNSLabel(plural) {
            errors.append(FieldError(field: "spec.names.plural", rule: "Invalid value: \(GoQuote.quote(plural)): a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"))
        }
        let scope = json[path: ["spec", "scope"]]?.stringValue ?? ""
        if scope != "Cluster" && scope != "Namespaced" {
            errors.append(FieldError(
                field: "spec.scope",
                rule: scope.isEmpty ? "Required value" : "Unsupported value: \(GoQuote.quote(scope)): supported values: \"Cluster\", \"Namespaced\""))
        }
        let versions = json[path: ["spec", "versions"]]?.arrayValue ?? []
        if versions.isEmpty { errors.append(FieldError(field: "spec.versions", rule: "Invalid value: null: must have exactly one version marked as storage version")) }
        var seen: Set<String> = []
        for (index, version) in versions.enumerated() {
            let path = "spec.versions[\(index)]"
            let versionName = version["name"]?.stringValue ?? ""
            if versionName.isEmpty {
                errors.append(FieldError(field: "\(path).name", rule: "Required value"))
            } else if !seen.insert(versionName).inserted {
                errors.append(FieldError(field: "\(path).name", rule: "Duplicate value: \(GoQuote.quote(versionName))"))
            }
            guard let schema = version[path: ["schema", "openAPIV3Schema"]] else {
                errors.append(FieldError(field: "\(path).schema.openAPIV3Schema", rule: "Required value: schemas are required"))
                continue
            }
            errors += CustomSchema.structuralErrors(schema, path: "\(path).schema.openAPIV3Schema")
        }
        if !versions.isEmpty && versions.filter({ $0["storage"]?.boolValue == true }).count != 1 {
            errors.append(FieldError(field: "spec.versions", rule: "Invalid value: \(goValue(json[path: ["spec", "versions"]])): must have exactly one version marked as storage version"))
        }
        if json[path: ["spec", "preserveUnknownFields"]]?.boolValue == true {
            errors.append(FieldError(field: "spec.preserveUnknownFields", rule: "Invalid value: true: must be false in order to use defaults in the schema"))
        }
        return errors
    }

    private static func isDNSLabel(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last, text.count <= 63 else { return false }
        let allowed = text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        return allowed && first != "-" && last != "-"
    }

    /// How field errors print a value that is not a plain string.
    static func goValue(_ value: JSON?) -> String {
        switch value {
        case .string(let text)?: GoQuote.quote(text)
        case .int(let number)?: String(number)
        case .bool(let flag)?: String(flag)
        case .double(let number)?: String(number)
        case nil, .null?: "null"
        default: GoQuote.quote(value!.serializedString())
        }
    }
}

/// Kubernetes orders API versions by maturity: GA before beta before alpha, higher numbers first, and
/// versions of any other shape last in alphabetical order.
enum APIVersionOrder {
    private static func parse(_ version: String) -> (major: Int, level: Int, minor: Int)? {
        guard version.hasPrefix("v") else { return nil }
        let rest = version.dropFirst()
        let digits = rest.prefix { $0.isNumber }
        guard let major = Int(digits), major > 0 else { return nil }
        let tail = rest.dropFirst(digits.count)
        if tail.isEmpty { return (major, 2, 0) }
        for (word, level) in [("beta", 1), ("alpha", 0)] where tail.hasPrefix(word) {
            guard let minor = Int(tail.dropFirst(word.count)), minor > 0 else { return nil }
            return (major, level, minor)
        }
        return nil
    }

    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        switch (parse(lhs), parse(rhs)) {
        case let (l?, r?):
            if l.level != r.level { return l.level > r.level }
            if l.major != r.major { return l.major > r.major }
            return l.minor > r.minor
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return lhs < rhs
        }
    }
}
