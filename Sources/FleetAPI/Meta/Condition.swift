import Foundation

/// `metav1.Condition`.
public struct Condition: Codable, Sendable, Hashable {
    public enum Status: String, Codable, Sendable {
        case `true` = "True"
        case `false` = "False"
        case unknown = "Unknown"
    }

    public var type: String
    public var status: Status
    public var observedGeneration: Int64?
    public var lastTransitionTime: Date
    public var reason: String
    public var message: String

    public init(
        type: String, status: Status, reason: String, message: String, observedGeneration: Int64?,
        lastTransitionTime: Date
    ) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.observedGeneration = observedGeneration
        self.lastTransitionTime = lastTransitionTime
    }
}

extension [Condition] {
    /// `meta.SetStatusCondition`: the transition time moves only when the status changes, which is what
    /// KubeFleet's TimedWait measures from.
    public mutating func set(_ condition: Condition) {
        guard let index = firstIndex(where: { $0.type == condition.type }) else {
            append(condition)
            return
        }
        var merged = condition
        if self[index].status == condition.status {
            merged.lastTransitionTime = self[index].lastTransitionTime
        }
        self[index] = merged
    }

    public subscript(type type: String) -> Condition? {
        first { $0.type == type }
    }

    /// True when the condition is `True` and, if a generation is given, observed at that generation.
    public func isTrue(_ type: String, atGeneration generation: Int64? = nil) -> Bool {
        guard let condition = self[type: type], condition.status == .true else { return false }
        guard let generation else { return true }
        return condition.observedGeneration == generation
    }
}

extension Condition {
    /// The condition as `JSONValueEncoder` encodes it (`observedGeneration` left out when nil, the time in RFC 3339),
    /// built without the encoder's generic walk.
    public var json: JSON {
        var members: [String: JSON] = [
            "type": .string(type), "status": .string(status.rawValue), "reason": .string(reason),
            "message": .string(message), "lastTransitionTime": .string(KubeTime.format(lastTransitionTime)),
        ]
        if let observedGeneration { members["observedGeneration"] = .int(observedGeneration) }
        return .object(members)
    }

    /// The condition `JSONValueDecoder` decodes from `json`, or nil where it would throw: read directly, as the hub
    /// reads an object's conditions as it folds and reconciles, and the decoder's generic walk cost more than the rest.
    public init?(json: JSON) {
        typealias Read = JSONTreeReading
        guard case .object(let members) = json, let type = members["type"].flatMap(Read.string),
            let status = members["status"].flatMap(Read.string).flatMap(Status.init(rawValue:)),
            let lastTransitionTime = members["lastTransitionTime"].flatMap(Read.string).flatMap(RFC3339.parse),
            let reason = members["reason"].flatMap(Read.string), let message = members["message"].flatMap(Read.string),
            let observedGeneration = Read.optional(members["observedGeneration"], { Read.integer($0, as: Int64.self) })
        else { return nil }
        self.init(
            type: type, status: status, reason: reason, message: message, observedGeneration: observedGeneration,
            lastTransitionTime: lastTransitionTime)
    }
}
