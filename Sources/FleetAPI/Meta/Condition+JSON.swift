/// Conditions as JSON without going through `Codable`: a table of runs renders every row's conditions, and the
/// encoder's generic path costs more than the rest of the row.
extension Condition {
    /// The condition exactly as `JSON(encoding:)` renders it.
    public var json: JSON {
        var object: [String: JSON] = [
            "type": .string(type), "status": .string(status.rawValue),
            "lastTransitionTime": .string(RFC3339.format(lastTransitionTime)), "reason": .string(reason),
            "message": .string(message),
        ]
        if let observedGeneration {
            object["observedGeneration"] = .int(observedGeneration)
        }
        return .object(object)
    }
}
