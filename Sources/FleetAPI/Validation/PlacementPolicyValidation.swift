/// The rules KubeFleet's placement CRD puts on `spec.policy`'s topology spread constraints: the OpenAPI schema
/// of each constraint and the CEL rules that keep them to PickN.
extension FleetValidation {
    static func topologySpreadErrors(_ policy: JSON?) -> [FieldError] {
        guard let policy, let constraints = policy["topologySpreadConstraints"], !constraints.isNull else { return [] }
        let path = "spec.policy.topologySpreadConstraints"
        guard let list = constraints.arrayValue else { return [typeError(path, constraints, expected: "array")] }
        // The CRD defaults placementType to PickAll before its CEL rules run.
        switch policy["placementType"]?.stringValue ?? "PickAll" {
        case "PickAll":
            return [FieldError(field: "spec.policy", rule: "Invalid value: \"object\": clusterNames, numberOfClusters, and topologySpreadConstraints cannot be set when placementType is PickAll")]
        case "PickFixed":
            return [FieldError(field: "spec.policy", rule: "Invalid value: \"object\": affinity, numberOfClusters, topologySpreadConstraints, and tolerations cannot be set when placementType is PickFixed")]
        default:
            break
        }
        var errors: [FieldError] = []
        for (index, constraint) in list.enumerated() {
            let at = "\(path)[\(index)]"
            guard constraint.objectValue != nil else {
                errors.append(typeError(at, constraint, expected: "object"))
                continue
            }
            errors += requiredString(constraint, "topologyKey", at: "\(at).topologyKey")
            if let maxSkew = constraint["maxSkew"], !maxSkew.isNull {
                if let value = maxSkew.intValue {
                    if value < 1 {
                        errors.append(FieldError(
                            field: "\(at).maxSkew",
                            rule: "Invalid value: \(value): \(at).maxSkew in body should be greater than or equal to 1"))
                    }
                } else {
                    errors.append(typeError("\(at).maxSkew", maxSkew, expected: "integer"))
                }
            }
            if let action = constraint["whenUnsatisfiable"], !action.isNull {
                if let text = action.stringValue {
                    if !["DoNotSchedule", "ScheduleAnyway"].contains(text) {
                        errors.append(unsupported("\(at).whenUnsatisfiable", text, ["DoNotSchedule", "ScheduleAnyway"]))
                    }
                } else {
                    errors.append(typeError("\(at).whenUnsatisfiable", action, expected: "string"))
                }
            }
        }
        return errors
    }
}
