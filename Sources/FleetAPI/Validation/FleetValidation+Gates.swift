import Foundation

/// Flotilla's gate tasks in a strategy's stages, beside KubeFleet's TimedWait and Approval: each names the field
/// and the rule it breaks, as the CRD rules do.
extension FleetValidation {
    /// The task types a stage may hold, KubeFleet's first.
    static let taskTypes = ["TimedWait", "Approval", "ScheduleWindow", "MetricGate"]

    /// The errors of a `ScheduleWindow` task at `path` (`…beforeStageTasks[0]`), or of a window on another type.
    static func scheduleWindowErrors(_ task: JSON, type: StageTask.TaskType, before: Bool, at path: String) -> [FieldError] {
        let found = gate(task, "scheduleWindow", of: .scheduleWindow, type: type, at: path, needs: "its window")
        var errors = found.errors
        if type == .scheduleWindow, !before {
            errors.insert(FieldError(field: "\(path).type", rule: "Invalid value: \"ScheduleWindow\": only allowed in beforeStageTasks"), at: 0)
        }
        let at = "\(path).scheduleWindow"
        guard let window = found.object else { return errors }
        errors += requiredString(window, "schedule", at: "\(at).schedule")
        if let text = window["schedule"]?.stringValue, !text.isEmpty {
            do {
                _ = try CronSchedule(parsing: text)
            } catch {
                errors.append(FieldError(field: "\(at).schedule", rule: "Invalid value: \"\(text)\": \(error.description)"))
            }
        }
        errors += requiredString(window, "duration", at: "\(at).duration")
        if let text = window["duration"]?.stringValue, !text.isEmpty,
            GoDuration(parsing: text).map({ $0.milliseconds <= 0 }) ?? true
        {
            errors.append(FieldError(field: "\(at).duration", rule: "Invalid value: \"\(text)\": must be a positive duration such as 2h or 30m"))
        }
        if let zone = window["timeZone"], !zone.isNull {
            if let name = zone.stringValue {
                if TimeZone(identifier: name) == nil {
                    errors.append(FieldError(field: "\(at).timeZone", rule: "Invalid value: \"\(name)\": not a known IANA time zone such as Europe/Paris"))
                }
            } else {
                errors.append(typeError("\(at).timeZone", zone, expected: "string"))
            }
        }
        if let deny = window["deny"], !deny.isNull, deny.boolValue == nil {
            errors.append(typeError("\(at).deny", deny, expected: "boolean"))
        }
        return errors
    }

    /// The errors of a `MetricGate` task at `path`, or of a metric gate on another type.
    static func metricGateErrors(_ task: JSON, type: StageTask.TaskType, at path: String) -> [FieldError] {
        let found = gate(task, "metricGate", of: .metricGate, type: type, at: path, needs: "its gate")
        var errors = found.errors
        let at = "\(path).metricGate"
        guard let gate = found.object else { return errors }
        errors += requiredString(gate, "address", at: "\(at).address")
        if let address = gate["address"]?.stringValue, !address.isEmpty,
            !(address.hasPrefix("http://") || address.hasPrefix("https://")) || URL(string: address)?.host == nil
        {
            errors.append(FieldError(field: "\(at).address", rule: "Invalid value: \"\(address)\": must be an http or https URL such as http://prometheus:9090"))
        }
        errors += requiredString(gate, "query", at: "\(at).query")
        errors += requiredString(gate, "successCondition", at: "\(at).successCondition")
        if let text = gate["successCondition"]?.stringValue, !text.isEmpty {
            do {
                _ = try MetricCondition(parsing: text)
            } catch {
                errors.append(FieldError(field: "\(at).successCondition", rule: "Invalid value: \"\(text)\": \(error.description)"))
            }
        }
        if let interval = gate["interval"], !interval.isNull {
            if let text = interval.stringValue {
                if GoDuration(parsing: text).map({ $0.milliseconds <= 0 }) ?? true {
                    errors.append(FieldError(field: "\(at).interval", rule: "Invalid value: \"\(text)\": must be a positive duration such as 1m"))
                }
            } else {
                errors.append(typeError("\(at).interval", interval, expected: "string"))
            }
        }
        for (field, minimum) in [("count", Int64(1)), ("failureLimit", Int64(0))] {
            guard let value = gate[field], !value.isNull else { continue }
            guard case .int(let number) = value else {
                errors.append(typeError("\(at).\(field)", value, expected: "integer"))
                continue
            }
            if number < minimum || number > 1000 {
                errors.append(FieldError(field: "\(at).\(field)", rule: "Invalid value: \(number): must be from \(minimum) to 1000"))
            }
        }
        return errors
    }

    /// A gate task's own object (`field`, such as `metricGate`) at `path`: forbidden on another `type`, required on
    /// its own, where `waitTime` is not. The errors so far, and the object to check further when there is one.
    private static func gate(
        _ task: JSON, _ field: String, of gateType: StageTask.TaskType, type: StageTask.TaskType, at path: String,
        needs what: String
    ) -> (errors: [FieldError], object: JSON?) {
        let value = task[field].flatMap { $0.isNull ? nil : $0 }
        let at = "\(path).\(field)"
        guard type == gateType else {
            return (value == nil ? [] : [FieldError(field: at, rule: "Forbidden: only allowed when type is \(gateType.rawValue)")], nil)
        }
        var errors: [FieldError] = []
        if task["waitTime"].map({ !$0.isNull }) == true {
            errors.append(FieldError(field: "\(path).waitTime", rule: "Forbidden: not allowed when type is \(gateType.rawValue)"))
        }
        guard let value else { return (errors + [FieldError(field: at, rule: "Required value: a \(gateType.rawValue) task needs \(what)")], nil) }
        guard value.objectValue != nil else { return (errors + [typeError(at, value, expected: "object")], nil) }
        return (errors, value)
    }
}
