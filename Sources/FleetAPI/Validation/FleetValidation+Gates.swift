import Foundation

/// Flotilla's gate tasks in a strategy's stages, beside KubeFleet's TimedWait and Approval: each names the field
/// and the rule it breaks, as the CRD rules do.
extension FleetValidation {
    /// The task types a stage may hold, KubeFleet's first.
    static let taskTypes = ["TimedWait", "Approval", "ScheduleWindow"]

    /// The errors of a `ScheduleWindow` task at `path` (`…beforeStageTasks[0]`), or of a window on another type.
    static func scheduleWindowErrors(_ task: JSON, type: StageTask.TaskType, before: Bool, at path: String) -> [FieldError] {
        let window = task["scheduleWindow"].flatMap { $0.isNull ? nil : $0 }
        guard type == .scheduleWindow else {
            return window == nil ? [] : [FieldError(field: "\(path).scheduleWindow", rule: "Forbidden: only allowed when type is ScheduleWindow")]
        }
        var errors: [FieldError] = []
        if !before {
            errors.append(FieldError(field: "\(path).type", rule: "Invalid value: \"ScheduleWindow\": only allowed in beforeStageTasks"))
        }
        if task["waitTime"].map({ !$0.isNull }) == true {
            errors.append(FieldError(field: "\(path).waitTime", rule: "Forbidden: not allowed when type is ScheduleWindow"))
        }
        let at = "\(path).scheduleWindow"
        guard let window else { return errors + [FieldError(field: at, rule: "Required value: a ScheduleWindow task needs its window")] }
        guard window.objectValue != nil else { return errors + [typeError(at, window, expected: "object")] }
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
}
