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
