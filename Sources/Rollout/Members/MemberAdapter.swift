import FleetAPI
import Foundation

/// What the hub asks of one member cluster: make a placement's objects there be exactly a snapshot's, or
/// remove them. Idempotent: asking twice for the same snapshot changes nothing.
public struct MemberWork: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        case apply(resourceIndex: Int, objects: [JSON])
        /// ReportDiff mode: compare, change nothing.
        case reportDiff(resourceIndex: Int, objects: [JSON])
        case remove
        /// The hub could not prepare the objects (an override does not apply): report that as the member's failure.
        case fail(resourceIndex: Int, message: String)
    }

    public var cluster: String
    public var placement: ObjectKey
    public var action: Action
    /// The placement's `applyStrategy` as the run took it: how a member's agent applies.
    public var applyStrategy: JSON?

    public init(cluster: String, placement: ObjectKey, action: Action, applyStrategy: JSON? = nil) {
        self.cluster = cluster
        self.placement = placement
        self.action = action
        self.applyStrategy = applyStrategy
    }
}

/// How a member reports back.
public enum MemberOutcome: Sendable, Hashable {
    case applied(resourceIndex: Int, objects: [JSON])
    case removed
    case diffReported(resourceIndex: Int, differences: [String])
    case failed(resourceIndex: Int, message: String)
}

/// How the hub reaches its member clusters. The hub hands each piece of member work over once its intent is
/// durable and never knows which kind of member it talks to: simulated in process, or a `flotilla agent` that
/// applies the Work the hub writes into the member's namespace and reports back through the Work's status.
public protocol MemberAdapter: Sendable {
    /// How long after the hand-over the hub asks what came of the work.
    var latency: TimeInterval { get }
    /// What came of `work` when the hub asks, given the state as it stands.
    func deliver(_ work: MemberWork, in state: HubState) -> MemberDelivery
    /// The wait before try `attempt + 1` after `attempt` failures in a row.
    func retryDelay(afterFailures attempt: Int) -> TimeInterval
    /// The controllers these members need beside Fleet's own; nil for none.
    var agents: AgentMembers? { get }
    /// Whether what the member was handed for `work` still stands on the hub's side.
    func holds(_ work: MemberWork, in state: HubState) -> Bool
}

/// What handing over member work comes to.
public enum MemberDelivery: Sendable, Equatable {
    /// The member reports at once: members simulated in process.
    case reported(MemberOutcome)
    /// Events the hub records now, written as the controller that owns them: the Work an agent applies. Its
    /// outcome comes back later through the Work's status.
    case record([FleetEvent], actor: String)
}

