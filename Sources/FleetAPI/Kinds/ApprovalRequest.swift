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
        guard case .object(let members) = json else { return nil }
        switch members["conditions"] {
        case nil, .null?: self.init()
        case .array(let elements)?:
            var conditions: [Condition] = []
            conditions.reserveCapacity(elements.count)
            for element in elements {
                guard let condition = Condition(json: element) else { return nil }
                conditions.append(condition)
            }
            self.init(conditions: conditions)
        default: return nil
        }
    }

    /// An approval request's conditions from its `status`: none when it has no status or its status does not decode.
    public static func conditions(of status: JSON?) -> [Condition] {
        ApprovalRequestStatus(json: status ?? .emptyObject)?.conditions ?? []
    }
}
