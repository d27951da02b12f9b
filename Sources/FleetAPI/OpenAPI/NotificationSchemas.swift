/// Flotilla's own kinds, documented for `kubectl explain` as KubeFleet's are.
extension KindSchemas {
    static func notificationSinkFields() -> (String, [String], [String: JSON]) {
        let events = NotificationSinkSpec.Event.allCases.map(\.rawValue)
        return (
            "Where the hub POSTs rollout events: each matching event once, in journal order, as JSON carrying its journal "
                + "seq; retried with exponential backoff, never blocking a rollout.", ["spec"],
            [
                "spec": object(
                    "The receiver and the events it wants.", required: ["url", "events"],
                    [
                        "url": string("The http:// or https:// URL each event is POSTed to."),
                        "events": array(
                            "The events to deliver: \(events.joined(separator: ", ")).",
                            of: string("One event name.", enum: events), minItems: 1),
                    ]),
                "status": object(
                    "What the hub has delivered.",
                    [
                        "position": integer("Every matching event up to this journal seq is delivered.", format: "int64"),
                        "deliveredCount": integer("Events delivered.", format: "int64"),
                        "lastDeliveredSeq": integer("The journal seq of the last event delivered.", format: "int64"),
                        "lastDeliveredTime": time("When the last event was delivered."),
                        "failedAttempts": integer("Failed attempts in a row at the next event.", format: "int64"),
                        "lastError": string("Why the last attempt failed."),
                        "lastErrorTime": time("When the last attempt failed."),
                    ]),
            ]
        )
    }
}
