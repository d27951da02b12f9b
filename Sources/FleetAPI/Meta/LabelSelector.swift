/// `metav1.LabelSelector`.
public struct LabelSelector: Codable, Sendable, Hashable {
    public struct Requirement: Codable, Sendable, Hashable {
        public enum Operator: String, Codable, Sendable {
            case `in` = "In"
            case notIn = "NotIn"
            case exists = "Exists"
            case doesNotExist = "DoesNotExist"
        }

        public var key: String
        public var `operator`: Operator
        public var values: [String]?

        public init(key: String, operator: Operator, values: [String]? = nil) {
            self.key = key
            self.operator = `operator`
            self.values = values
        }
    }

    public var matchLabels: [String: String]?
    public var matchExpressions: [Requirement]?

    public init(matchLabels: [String: String]? = nil, matchExpressions: [Requirement]? = nil) {
        self.matchLabels = matchLabels
        self.matchExpressions = matchExpressions
    }

    /// An empty selector matches everything, as in Kubernetes.
    public func matches(_ labels: [String: String]) -> Bool {
        for (key, value) in matchLabels ?? [:] where labels[key] != value {
            return false
        }
        for requirement in matchExpressions ?? [] {
            let value = labels[requirement.key]
            let values = requirement.values ?? []
            switch requirement.operator {
            case .in: if value.map(values.contains) != true { return false }
            case .notIn: if let value, values.contains(value) { return false }
            case .exists: if value == nil { return false }
            case .doesNotExist: if value != nil { return false }
            }
        }
        return true
    }

    /// Problems with the selector itself, as Kubernetes reports them.
    public func validationErrors(at path: String) -> [FieldError] {
        var errors: [FieldError] = []
        for (index, requirement) in (matchExpressions ?? []).enumerated() {
            let field = "\(path).matchExpressions[\(index)].values"
            let count = requirement.values?.count ?? 0
            switch requirement.operator {
            case .in, .notIn:
                if count == 0 {
                    errors.append(FieldError(field: field, rule: "must be specified when `operator` is 'In' or 'NotIn'"))
                }
            case .exists, .doesNotExist:
                if count > 0 {
                    errors.append(
                        FieldError(field: field, rule: "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
                }
            }
        }
        return errors
    }
}

extension LabelSelector {
    /// The selector `JSONValueDecoder` decodes from `json`, or nil where it would throw.
    init?(json: JSON) {
        typealias Read = JSONTreeReading
        guard case .object(let members) = json, let matchLabels = Read.optional(members["matchLabels"], Read.stringMap),
            let matchExpressions = Read.optional(members["matchExpressions"], { Read.array($0, Requirement.init(json:)) })
        else { return nil }
        self.init(matchLabels: matchLabels, matchExpressions: matchExpressions)
    }
}

extension LabelSelector.Requirement {
    init?(json: JSON) {
        typealias Read = JSONTreeReading
        guard case .object(let members) = json, let key = members["key"].flatMap(Read.string),
            let `operator` = members["operator"].flatMap(Read.string).flatMap(Operator.init(rawValue:)),
            let values = Read.optional(members["values"], { Read.array($0, Read.string) })
        else { return nil }
        self.init(key: key, operator: `operator`, values: values)
    }
}
