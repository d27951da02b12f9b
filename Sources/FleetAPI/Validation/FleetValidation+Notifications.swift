extension FleetValidation {
    /// A sink needs an http(s) URL and at least one event Flotilla sends.
    static func notificationSinkErrors(_ object: JSON) -> [FieldError] {
        guard let spec = object["spec"], spec.objectValue != nil else { return [FieldError(field: "spec", rule: "Required value")] }
        var errors: [FieldError] = []
        if let url = spec["url"]?.stringValue {
            if !(url.hasPrefix("http://") || url.hasPrefix("https://")) || url.count <= "https://".count {
                errors.append(FieldError(field: "spec.url", rule: "Invalid value: \"\(url)\": must be an http:// or https:// URL"))
            }
        } else {
            errors.append(FieldError(field: "spec.url", rule: "Required value"))
        }
        let allowed = NotificationSinkSpec.Event.allCases.map(\.rawValue)
        guard let events = spec["events"]?.arrayValue, !events.isEmpty else {
            return errors + [FieldError(field: "spec.events", rule: "Required value: name at least one of \(allowed.joined(separator: ", "))")]
        }
        for (index, event) in events.enumerated() {
            let name = event.stringValue ?? event.serializedString()
            if !allowed.contains(name) { errors.append(unsupported("spec.events[\(index)]", name, allowed)) }
        }
        return errors
    }
}
