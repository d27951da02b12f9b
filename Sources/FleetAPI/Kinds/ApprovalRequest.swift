/// `ClusterApprovalRequest` / `ApprovalRequest` spec.
public struct ApprovalRequestSpec: Codable, Sendable, Hashable {
    public var parentStageRollout: String
    public var targetStage: String

    public init(parentStageRollout: String, targetStage: String) {
        self.parentStageRollout = parentStageRollout
        self.targetStage = targetStage
    }
}

public struct ApprovalRequestStatus: Codable, Sendable, Hashable {
    public var conditions: [Condition]?

    public init(conditions: [Condition]? = nil) {
        self.conditions = conditions
    }
}

extension ApprovalRequestStatus {
    /// The status `JSONValueDecoder` decodes from `json`, or nil where it would throw (`Condition.init(json:)`).
    public init?(json: JSON) {
        guard case .object(let members) = json,
            let conditions = JSONTreeReading.optional(members["conditions"], { JSONTreeReading.array($0, Condition.init(json:)) })
        else { return nil }
        self.init(conditions: conditions)
    }

    /// An approval request's conditions from its `status`: none when it has no status or its status does not decode.
    public static func conditions(of status: JSON?) -> [Condition] {
        ApprovalRequestStatus(json: status ?? .emptyObject)?.conditions ?? []
    }
}
