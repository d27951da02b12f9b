import FleetAPI
import Foundation

/// One line of an audit: what happened, when, by whom, and the journal seq it comes from.
public struct AuditLine: Sendable, Hashable {
    public var seq: Int64
    public var time: Date
    public var actor: String
    /// The object the event is about, as its journal stream names it: `Kind/name` or `Kind/namespace/name`.
    public var object: String
    /// What happened, in the past tense of the event (`ClusterUpdateSucceeded`, `Approved`, `Held`, ...).
    public var action: String
    public var detail: String
    /// For what a cluster held: when it stopped holding it; nil while it still does.
    public var until: Date?
    /// For an approval: the message on its Approved condition.
    public var message: String?
    /// For an approval and a run's initialization: SHA-256 of the canonical JSON of the run's
    /// `UpdateRunInitialized` payload, the frozen stage plan the approval was given for.
    public var plan: String?

    public init(
        seq: Int64, time: Date, actor: String, object: String, action: String, detail: String = "", until: Date? = nil,
        message: String? = nil, plan: String? = nil
    ) {
        self.seq = seq
        self.time = time
        self.actor = actor
        self.object = object
        self.action = action
        self.detail = detail
        self.until = until
        self.message = message
        self.plan = plan
    }
}

extension AuditLine {
    /// The line as the audit endpoint and `-o json|yaml` give it; times in RFC 3339.
    public var json: JSON {
        var json: JSON = [
            "seq": .int(seq), "time": .string(KubeTime.format(time)), "actor": .string(actor),
            "object": .string(object), "action": .string(action), "detail": .string(detail),
        ]
        if let until { json["until"] = .string(KubeTime.format(until)) }
        if let message { json["message"] = .string(message) }
        if let plan { json["plan"] = .string(plan) }
        return json
    }

    public init?(json: JSON) {
        guard let seq = json["seq"]?.intValue, let time = json["time"]?.stringValue.flatMap(KubeTime.parse),
            let actor = json["actor"]?.stringValue, let object = json["object"]?.stringValue,
            let action = json["action"]?.stringValue
        else { return nil }
        self.init(
            seq: seq, time: time, actor: actor, object: object, action: action, detail: json["detail"]?.stringValue ?? "",
            until: json["until"]?.stringValue.flatMap(KubeTime.parse), message: json["message"]?.stringValue,
            plan: json["plan"]?.stringValue)
    }

    /// Lines as a table: SEQ, TIME (FROM and UNTIL for what a cluster held), ACTOR, OBJECT, ACTION, DETAIL.
    public static func table(_ lines: [AuditLine], holdings: Bool) -> [[String]] {
        let header = holdings
            ? ["SEQ", "FROM", "UNTIL", "ACTOR", "PLACEMENT", "DETAIL"]
            : ["SEQ", "TIME", "ACTOR", "OBJECT", "ACTION", "DETAIL"]
        return [header] + lines.map { line in
            holdings
                ? [String(line.seq), KubeTime.format(line.time), line.until.map(KubeTime.format) ?? "-", line.actor, line.object, line.detail]
                : [String(line.seq), KubeTime.format(line.time), line.actor, line.object, line.action, line.detail]
        }
    }
}
