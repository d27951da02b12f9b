import FleetAPI

extension Condition {
    /// The condition as `JSONValueEncoder` encodes it (`observedGeneration` left out when nil, the time in RFC 3339),
    /// built without the encoder's generic walk.
    var json: JSON {
        var members: [String: JSON] = [
            "type": .string(type), "status": .string(status.rawValue), "reason": .string(reason),
            "message": .string(message), "lastTransitionTime": .string(KubeTime.format(lastTransitionTime)),
        ]
        if let observedGeneration { members["observedGeneration"] = .int(observedGeneration) }
        return .object(members)
    }
}
