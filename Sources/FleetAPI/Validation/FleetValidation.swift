/// The API-server side rules of KubeFleet's CRDs (OpenAPI schema and CEL), with the messages the real API
/// server gives. Pure: the caller passes the new object and, on update, the stored one.
public enum FleetValidation {
    /// Every rule `object` breaks as a `kind` object; `old` is the stored object on update.
    public static func validate(_ kind: ResourceKind, object: JSON, old: JSON?) -> [FieldError] {
        var errors = metadataErrors(kind, object)
        switch kind {
        case .clusterStagedUpdateRun, .stagedUpdateRun:
            errors += updateRunErrors(object, old: old) + runAnnotationErrors(object)
        case .clusterStagedUpdateStrategy, .stagedUpdateStrategy:
            errors += strategyErrors(object)
        case .clusterApprovalRequest, .approvalRequest:
            errors += approvalRequestErrors(object, old: old)
        case .clusterResourcePlacement, .resourcePlacement:
            errors += placementErrors(object, old: old)
        case .clusterResourceOverride, .resourceOverride:
            errors += overrideErrors(object)
        case .clusterResourcePlacementEviction:
            errors += evictionErrors(object, old: old)
        case .clusterResourcePlacementDisruptionBudget:
            errors += disruptionBudgetErrors(object)
        case .role, .clusterRole:
            errors += roleErrors(object, namespaced: kind == .role)
        case .roleBinding, .clusterRoleBinding:
            errors += bindingErrors(object, old: old, cluster: kind == .clusterRoleBinding)
        case .customResourceDefinition:
            errors += CustomResourceDefinition.validate(object)
        case .clusterResourceEnvelope, .resourceEnvelope:
            errors += envelopeErrors(kind, object)
        case .notificationSink:
            errors += notificationSinkErrors(object)
        default:
            break
        }
        return errors
    }

    static func metadataErrors(_ kind: ResourceKind, _ object: JSON) -> [FieldError] {
        guard let name = object[path: ["metadata", "name"]]?.stringValue, !name.isEmpty else {
            return [FieldError(field: "metadata.name", rule: "Required value: name or generateName is required")]
        }
        var errors: [FieldError] = []
        if kind.group == ResourceKind.rbacGroup {
            // Roles and bindings take any name that is a path segment, such as `system:basic-user`.
            errors += pathSegmentNameErrors(name)
        } else if !isDNSSubdomain(name) {
            errors.append(
                FieldError(
                    field: "metadata.name",
                    rule: "Invalid value: \"\(name)\": a lowercase RFC 1123 subdomain must consist of lower case "
                        + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"))
        }
        if kind == .clusterStagedUpdateRun || kind == .stagedUpdateRun, name.utf8.count >= 64 {
            errors.append(FieldError(field: "<nil>", rule: "Invalid value: \"object\": metadata.name max length is 63"))
        }
        let namespace = object[path: ["metadata", "namespace"]]?.stringValue ?? ""
        if kind.namespaced && namespace.isEmpty {
            errors.append(FieldError(field: "metadata.namespace", rule: "Required value"))
        }
        return errors
    }

    static func isDNSSubdomain(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        func alphanumeric(_ byte: UInt8) -> Bool { (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) }
        guard alphanumeric(bytes.first!), alphanumeric(bytes.last!) else { return false }
        return bytes.allSatisfy { alphanumeric($0) || $0 == 0x2D || $0 == 0x2E }
    }

    // MARK: Update runs (reference 1.2)

    static func updateRunErrors(_ object: JSON, old: JSON?) -> [FieldError] {
        let spec = object["spec"]
        guard let spec, spec.objectValue != nil else { return [FieldError(field: "spec", rule: "Required value")] }
        var errors: [FieldError] = []
        errors += requiredString(spec, "placementName", at: "spec.placementName", maxLength: 255)
        errors += requiredString(spec, "stagedRolloutStrategyName", at: "spec.stagedRolloutStrategyName")
        if let index = spec["resourceSnapshotIndex"], index.stringValue == nil, !index.isNull {
            errors.append(typeError("spec.resourceSnapshotIndex", index, expected: "string"))
        }
        if let state = spec["state"], !state.isNull {
            let allowed = UpdateRunSpec.State.allCases.map(\.rawValue)
            if let text = state.stringValue, !allowed.contains(text) {
                errors.append(unsupported("spec.state", text, allowed))
            } else if state.stringValue == nil {
                errors.append(typeError("spec.state", state, expected: "string"))
            }
        }
        guard let oldSpec = old?["spec"] else { return errors }
        for field in ["placementName", "resourceSnapshotIndex", "stagedRolloutStrategyName"]
        where (spec[field] ?? .null) != (oldSpec[field] ?? .null) {
            errors.append(
                FieldError(field: "spec.\(field)", rule: "Invalid value: \"string\": \(field) is immutable"))
        }
        let from = UpdateRunSpec.State(rawValue: oldSpec["state"]?.stringValue ?? "") ?? .run
        if let to = UpdateRunSpec.State(rawValue: spec["state"]?.stringValue ?? "Run"),
            !from.canTransition(to: to)
        {
            errors.append(
                FieldError(
                    field: "spec",
                    rule: "Invalid value: \"object\": invalid state transition: cannot transition from "
                        + "\(from.rawValue) to \(to.rawValue)"))
        }
        return errors
    }

    /// Flotilla's run annotations must hold values it understands.
    static func runAnnotationErrors(_ object: JSON) -> [FieldError] {
        let annotations = object[path: ["metadata", "annotations"]]?.objectValue ?? [:]
        var errors: [FieldError] = []
        for key in [FleetLabel.stuckThreshold, FleetLabel.progressDeadline, FleetLabel.minSuccessTime, FleetLabel.approvalTimeout] {
            if let text = annotations[key]?.stringValue, GoDuration(parsing: text).map({ $0.milliseconds <= 0 }) ?? true {
                errors.append(FieldError(
                    field: "metadata.annotations[\(key)]",
                    rule: "Invalid value: \"\(text)\": must be a positive duration such as 10m or 1h30m"))
            }
        }
        for (key, allowed) in [(FleetLabel.membership, ["Frozen", "Live"]), (FleetLabel.onFailure, ["Halt", "Rollback"])] {
            if let text = annotations[key]?.stringValue, !allowed.contains(text) {
                errors.append(unsupported("metadata.annotations[\(key)]", text, allowed))
            }
        }
        if let text = annotations[FleetLabel.fourEyes]?.stringValue, !["true", "false"].contains(text) {
            errors.append(unsupported("metadata.annotations[\(FleetLabel.fourEyes)]", text, ["true", "false"]))
        }
        if let text = annotations[FleetLabel.maxFailures]?.stringValue, FailureBudget(parsing: text) == nil {
            errors.append(FieldError(
                field: "metadata.annotations[\(FleetLabel.maxFailures)]",
                rule: "Invalid value: \"\(text)\": must be a count of clusters such as 2 or a percentage from 0% to 100% such as 25%"))
        }
        return errors
    }

    // MARK: Strategies (reference 1.4)

    static func strategyErrors(_ object: JSON) -> [FieldError] {
        guard let spec = object["spec"], spec.objectValue != nil else {
            return [FieldError(field: "spec", rule: "Required value")]
        }
        guard let stages = spec["stages"]?.arrayValue else {
            if let stages = spec["stages"], !stages.isNull {
                return [typeError("spec.stages", stages, expected: "array")]
            }
            return [FieldError(field: "spec.stages", rule: "Required value")]
        }
        var errors: [FieldError] = []
        if stages.count > 31 {
            errors.append(FieldError(field: "spec.stages", rule: "Too many: \(stages.count): must have at most 31 items"))
        }
        for (index, stage) in stages.enumerated() {
            errors += stageErrors(stage, at: "spec.stages[\(index)]")
        }
        return errors
    }

    static func stageErrors(_ stage: JSON, at path: String) -> [FieldError] {
        guard stage.objectValue != nil else { return [typeError(path, stage, expected: "object")] }
        var errors = requiredString(stage, "name", at: "\(path).name", maxLength: 63)
        if let name = stage["name"]?.stringValue, !name.isEmpty,
            !name.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) })
        {
            errors.append(
                FieldError(
                    field: "\(path).name",
                    rule: "Invalid value: \"\(name)\": \(path).name in body should match '^[a-z0-9]+$'"))
        }
        if let concurrency = stage["maxConcurrency"] {
            errors += maxConcurrencyErrors(concurrency, at: "\(path).maxConcurrency")
        }
        if let selector = stage["labelSelector"], !selector.isNull {
            do {
                errors += try selector.decode(LabelSelector.self).validationErrors(at: "\(path).labelSelector")
            } catch {
                errors.append(FieldError(field: "\(path).labelSelector", rule: "Invalid value: \(error)"))
            }
        }
        errors += taskListErrors(stage["afterStageTasks"], at: "\(path).afterStageTasks", maxItems: 2, before: false)
        errors += taskListErrors(stage["beforeStageTasks"], at: "\(path).beforeStageTasks", maxItems: 1, before: true)
        return errors
    }

    static func maxConcurrencyErrors(_ value: JSON, at path: String) -> [FieldError] {
        switch value {
        case .null:
            return []
        case .int(let number):
            return number >= 1 ? [] : [FieldError(field: path, rule: "Invalid value: \"integer\": maxConcurrency must be at least 1")]
        case .string(let text):
            return isPercentage(text)
                ? []
                : [FieldError(field: path, rule: "Invalid value: \"\(text)\": \(path) in body should match '^(100|[1-9][0-9]?)%$'")]
        default:
            return [typeError(path, value, expected: "integer or string")]
        }
    }

    static func isPercentage(_ text: String) -> Bool {
        guard text.hasSuffix("%"), let number = Int(text.dropLast()) else { return false }
        let digits = text.dropLast()
        return (1...100).contains(number) && !digits.hasPrefix("0") && !digits.hasPrefix("+")
    }

    static func taskListErrors(_ list: JSON?, at path: String, maxItems: Int, before: Bool) -> [FieldError] {
        guard let list, !list.isNull else { return [] }
        guard let tasks = list.arrayValue else { return [typeError(path, list, expected: "array")] }
        var errors: [FieldError] = []
        // Flotilla's gates come on top of KubeFleet's limit, so a stage may hold both kinds.
        let gates = [StageTask.TaskType.scheduleWindow, .metricGate].filter { gate in
            tasks.contains { $0["type"]?.stringValue == gate.rawValue }
        }.count
        if tasks.count > maxItems + gates {
            errors.append(FieldError(field: path, rule: "Too many: \(tasks.count): must have at most \(maxItems + gates) items"))
        }
        var approvalWithWait = false
        var waitWithoutTime = false
        var timedWaitBefore = false
        for (index, task) in tasks.enumerated() {
            let taskPath = "\(path)[\(index)]"
            guard let type = task["type"]?.stringValue else {
                errors.append(FieldError(field: "\(taskPath).type", rule: "Required value"))
                continue
            }
            guard let taskType = StageTask.TaskType(rawValue: type) else {
                errors.append(unsupported("\(taskPath).type", type, taskTypes))
                continue
            }
            errors += scheduleWindowErrors(task, type: taskType, before: before, at: taskPath)
            errors += metricGateErrors(task, type: taskType, at: taskPath)
            let waitTime = task["waitTime"].flatMap { $0.isNull ? nil : $0 }
            if let waitTime {
                if let text = waitTime.stringValue {
                    if text != "0", GoDuration(parsing: text) == nil {
                        errors.append(
                            FieldError(
                                field: "\(taskPath).waitTime",
                                rule: "Invalid value: \"\(text)\": \(taskPath).waitTime in body should match "
                                    + "'^0|([0-9]+(\\.[0-9]+)?(s|m|h))+$'"))
                    }
                } else {
                    errors.append(typeError("\(taskPath).waitTime", waitTime, expected: "string"))
                }
            }
            switch taskType {
            case .approval where waitTime != nil: approvalWithWait = true
            case .timedWait where before: timedWaitBefore = true
            case .timedWait where waitTime == nil: waitWithoutTime = true
            default: break
            }
        }
        if approvalWithWait {
            errors.append(
                FieldError(field: path, rule: "Invalid value: \"array\": AfterStageTaskType is Approval, waitTime is not allowed"))
        }
        if waitWithoutTime {
            errors.append(
                FieldError(field: path, rule: "Invalid value: \"array\": AfterStageTaskType is TimedWait, waitTime is required"))
        }
        if timedWaitBefore {
            errors.append(FieldError(field: path, rule: "Invalid value: \"array\": BeforeStageTaskType cannot be TimedWait"))
        }
        return errors
    }

    // MARK: Approval requests (reference 1.6)

    static func approvalRequestErrors(_ object: JSON, old: JSON?) -> [FieldError] {
        guard let spec = object["spec"], spec.objectValue != nil else {
            return [FieldError(field: "spec", rule: "Required value")]
        }
        var errors = requiredString(spec, "parentStageRollout", at: "spec.parentStageRollout")
        errors += requiredString(spec, "targetStage", at: "spec.targetStage")
        if let oldSpec = old?["spec"], oldSpec != spec {
            errors.append(FieldError(field: "spec", rule: "Invalid value: \"object\": The spec field is immutable"))
        }
        return errors
    }

    // MARK: Placements (reference 1.7)

    static func placementErrors(_ object: JSON, old: JSON?) -> [FieldError] {
        guard let spec = object["spec"], spec.objectValue != nil else {
            return [FieldError(field: "spec", rule: "Required value")]
        }
        var errors: [FieldError] = []
        if let selectors = spec["resourceSelectors"]?.arrayValue {
            if selectors.isEmpty {
                errors.append(FieldError(field: "spec.resourceSelectors", rule: "Invalid value: 0: spec.resourceSelectors in body should have at least 1 items"))
            }
            if selectors.count > 100 {
                errors.append(FieldError(field: "spec.resourceSelectors", rule: "Too many: \(selectors.count): must have at most 100 items"))
            }
            for (index, selector) in selectors.enumerated() {
                errors += requiredString(selector, "kind", at: "spec.resourceSelectors[\(index)].kind")
                errors += requiredString(selector, "version", at: "spec.resourceSelectors[\(index)].version")
                if selector["group"]?.stringValue == nil {
                    errors.append(FieldError(field: "spec.resourceSelectors[\(index)].group", rule: "Required value"))
                }
            }
        } else {
            errors.append(FieldError(field: "spec.resourceSelectors", rule: "Required value"))
        }
        if let type = spec[path: ["policy", "placementType"]]?.stringValue,
            PlacementPolicy.PlacementType(rawValue: type) == nil
        {
            errors.append(unsupported("spec.policy.placementType", type, ["PickAll", "PickN", "PickFixed"]))
        }
        errors += topologySpreadErrors(spec["policy"])
        if let type = spec[path: ["strategy", "type"]]?.stringValue,
            RolloutStrategy.StrategyType(rawValue: type) == nil
        {
            errors.append(unsupported("spec.strategy.type", type, ["RollingUpdate", "External"]))
        }
        if let limit = spec["revisionHistoryLimit"]?.intValue, limit < 1 || limit > 1000 {
            let bound = limit < 1 ? "greater than or equal to 1" : "less than or equal to 1000"
            errors.append(
                FieldError(
                    field: "spec.revisionHistoryLimit",
                    rule: "Invalid value: \(limit): spec.revisionHistoryLimit in body should be \(bound)"))
        }
        errors += rollingUpdateErrors(spec)
        if let oldType = old?[path: ["spec", "strategy", "type"]]?.stringValue, oldType == "External",
            spec[path: ["strategy", "type"]]?.stringValue != "External"
        {
            errors.append(
                FieldError(
                    field: "spec.strategy",
                    rule: "Invalid value: \"object\": cannot change rollout strategy type from External"))
        }
        if errors.isEmpty {
            do {
                _ = try spec.decode(PlacementSpec.self)
            } catch let error as DecodingError {
                errors.append(FieldError(field: "spec." + error.fieldPath, rule: "Invalid value: \(error.reason)"))
            } catch {
                errors.append(FieldError(field: "spec", rule: "Invalid value: \(error)"))
            }
        }
        return errors
    }

    /// The CRD's patterns and minimum for `strategy.rollingUpdate`, then KubeFleet's webhook: a rolling update's
    /// settings do not belong on an External placement, and counts are not negative.
    static func rollingUpdateErrors(_ spec: JSON) -> [FieldError] {
        guard let rollingUpdate = spec[path: ["strategy", "rollingUpdate"]] else { return [] }
        let base = "spec.strategy.rollingUpdate"
        guard rollingUpdate.objectValue != nil else { return [typeError(base, rollingUpdate, expected: "object")] }
        var errors: [FieldError] = []
        for field in ["maxUnavailable", "maxSurge"] {
            let path = "\(base).\(field)"
            switch rollingUpdate[field] {
            case nil, .null?: break
            case .int(let number)? where number < 0:
                errors.append(FieldError(field: path, rule: "Invalid value: \(number): \(field) must be greater than or equal to 0, got `\(number)`"))
            case .int?: break
            case .string(let text)?:
                if text.wholeMatch(of: /(100|[0-9]{1,2})%|[0-9]+/) == nil {
                    errors.append(
                        FieldError(field: path, rule: "Invalid value: \"\(text)\": \(path) in body should match '^((100|[0-9]{1,2})%|[0-9]+)$'"))
                }
            case let value?:
                errors.append(typeError(path, value, expected: "integer or string"))
            }
        }
        if let period = rollingUpdate["unavailablePeriodSeconds"], period != .null {
            let path = "\(base).unavailablePeriodSeconds"
            if let seconds = period.intValue {
                if seconds < 0 {
                    errors.append(FieldError(field: path, rule: "Invalid value: \(seconds): \(path) in body should be greater than or equal to 0"))
                }
            } else {
                errors.append(typeError(path, period, expected: "integer"))
            }
        }
        if spec[path: ["strategy", "type"]]?.stringValue == "External" {
            errors.append(FieldError(field: base, rule: "Invalid value: \"object\": rollingUpdateConifg is not valid for ExternalRollout strategy type"))
        }
        return errors
    }

    // MARK: Evictions and disruption budgets

    /// The eviction CRD's schema: both names required, at most 255 bytes, and immutable.
    static func evictionErrors(_ object: JSON, old: JSON?) -> [FieldError] {
        guard let spec = object["spec"], spec.objectValue != nil else { return [FieldError(field: "spec", rule: "Required value")] }
        var errors: [FieldError] = []
        for (field, title) in [("placementName", "PlacementName"), ("clusterName", "ClusterName")] {
            let path = "spec.\(field)"
            errors += requiredString(spec, field, at: path, maxLength: 255)
            if let before = old?[path: ["spec", field]], let after = spec[field], before != after {
                errors.append(FieldError(field: path, rule: "Invalid value: \"string\": The \(title) field is immutable"))
            }
        }
        return errors
    }

    /// The disruption budget CRD's schema and CEL: one of the two fields, each a count or a percentage.
    static func disruptionBudgetErrors(_ object: JSON) -> [FieldError] {
        guard let spec = object["spec"], spec.objectValue != nil else { return [FieldError(field: "spec", rule: "Required value")] }
        var errors: [FieldError] = []
        for field in ["maxUnavailable", "minAvailable"] {
            guard let value = spec[field], value != .null else { continue }
            let path = "spec.\(field)"
            let message = "If supplied value is String should match regex '^(100|[0-9]{1,2})%$' or If supplied value is Integer must be greater than or equal to 0"
            switch value {
            case .int(let number) where number >= 0: break
            case .string(let text) where text.wholeMatch(of: /(100|[0-9]{1,2})%/) != nil: break
            case .int: errors.append(FieldError(field: path, rule: "Invalid value: \"integer\": \(message)"))
            case .string: errors.append(FieldError(field: path, rule: "Invalid value: \"string\": \(message)"))
            default: errors.append(typeError(path, value, expected: "integer or string"))
            }
        }
        if spec["maxUnavailable"] != nil, spec["minAvailable"] != nil {
            errors.append(FieldError(field: "spec", rule: "Invalid value: \"object\": Both MaxUnavailable and MinAvailable cannot be specified"))
        }
        return errors
    }

    // MARK: Overrides

    /// KubeFleet's override webhook rules: at least one rule, JSON patches only where the type asks for them, and
    /// no patch of the fields that identify an object.
    static func overrideErrors(_ object: JSON) -> [FieldError] {
        guard let spec = object["spec"], spec.objectValue != nil else {
            return [FieldError(field: "spec", rule: "Required value")]
        }
        let override: OverrideSpec
        do {
            override = try spec.decode(OverrideSpec.self)
        } catch let error as DecodingError {
            return [FieldError(field: "spec." + error.fieldPath, rule: "Invalid value: \(error.reason)")]
        } catch {
            return [FieldError(field: "spec", rule: "Invalid value: \(error)")]
        }
        var errors: [FieldError] = []
        if override.selectors.isEmpty {
            let field = spec["resourceSelectors"] != nil ? "spec.resourceSelectors" : "spec.clusterResourceSelectors"
            errors.append(FieldError(field: field, rule: "Required value: at least one resource selector is needed"))
        }
        if override.policy.overrideRules.isEmpty {
            errors.append(FieldError(field: "spec.policy.overrideRules", rule: "Required value"))
        }
        for (index, rule) in override.policy.overrideRules.enumerated() {
            let path = "spec.policy.overrideRules[\(index)]"
            let patches = rule.jsonPatchOverrides ?? []
            switch rule.overrideType ?? .jsonPatch {
            case .delete where !patches.isEmpty:
                errors.append(FieldError(field: "\(path).jsonPatchOverrides", rule: "Forbidden: must be empty when overrideType is Delete"))
            case .jsonPatch where patches.isEmpty:
                errors.append(FieldError(field: "\(path).jsonPatchOverrides", rule: "Required value: when overrideType is JSONPatch"))
            default:
                break
            }
            for (position, patch) in patches.enumerated() {
                let field = "\(path).jsonPatchOverrides[\(position)]"
                if !["add", "remove", "replace"].contains(patch.op) {
                    errors.append(unsupported("\(field).op", patch.op, ["add", "remove", "replace"]))
                }
                let protected = ["/apiVersion", "/kind", "/status", "/metadata/name", "/metadata/namespace", "/metadata/uid"]
                if !patch.path.hasPrefix("/") || protected.contains(where: { patch.path == $0 || patch.path.hasPrefix($0 + "/") }) {
                    errors.append(FieldError(
                        field: "\(field).path",
                        rule: "Invalid value: \"\(patch.path)\": must be a JSON pointer outside apiVersion, kind, status and the object's identity"))
                }
                if patch.op != "remove" && patch.value == nil {
                    errors.append(FieldError(field: "\(field).value", rule: "Required value: when op is \(patch.op)"))
                }
            }
        }
        return errors
    }

    // MARK: Shared rule shapes

    static func requiredString(_ object: JSON, _ key: String, at path: String, maxLength: Int? = nil) -> [FieldError] {
        guard let value = object[key], !value.isNull else { return [FieldError(field: path, rule: "Required value")] }
        guard let text = value.stringValue else { return [typeError(path, value, expected: "string")] }
        if text.isEmpty { return [FieldError(field: path, rule: "Required value")] }
        if let maxLength, text.utf8.count > maxLength {
            return [FieldError(field: path, rule: "Too long: may not be more than \(maxLength) bytes")]
        }
        return []
    }

    static func typeError(_ path: String, _ value: JSON, expected: String) -> FieldError {
        FieldError(field: path, rule: "Invalid value: \"\(value.typeName)\": \(path) in body must be of type \(expected): \"\(value.typeName)\"")
    }

    static func unsupported(_ path: String, _ value: String, _ allowed: [String]) -> FieldError {
        let list = allowed.map { "\"\($0)\"" }.joined(separator: ", ")
        return FieldError(field: path, rule: "Unsupported value: \"\(value)\": supported values: \(list)")
    }
}

extension UpdateRunSpec.State {
    /// KubeFleet's transition matrix: Initialize→Run, Run⇄Stop, and any state to itself.
    public func canTransition(to next: Self) -> Bool {
        switch (self, next) {
        case (.initialize, .stop), (.run, .initialize), (.stop, .initialize): return false
        default: return true
        }
    }
}

extension JSON {
    /// The OpenAPI type name, as Kubernetes prints it in type errors.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}
