import FleetAPI

/// A user set an approval request's `Approved` condition at its generation: `approved` false rejects. Recorded
/// with the user's status write, so the journal says who decided, on which plan, and why.
public struct ApprovalDecision: Codable, Sendable, Hashable {
    public var request: ObjectKey
    public var run: ObjectKey
    public var approved: Bool
    /// The authenticated user, as the journal's actor names them (`alice`, or `alice (as bob)`).
    public var approver: String
    /// The run's plan hash when the user decided: what `flotilla.dev/plan-hash` on the request showed.
    public var planHash: String
    public var message: String

    public init(request: ObjectKey, run: ObjectKey, approved: Bool, approver: String, planHash: String, message: String) {
        self.request = request
        self.run = run
        self.approved = approved
        self.approver = approver
        self.planHash = planHash
        self.message = message
    }
}
