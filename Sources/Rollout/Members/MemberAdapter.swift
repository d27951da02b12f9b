import FleetAPI
import Foundation

/// What the hub asks of one member cluster: make a placement's objects there be exactly a snapshot's, or
/// remove them. Idempotent: asking twice for the same snapshot changes nothing.
public struct MemberWork: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        case apply(resourceIndex: Int, objects: [JSON])
        case remove
    }

    public var cluster: String
    public var placement: ObjectKey
    public var action: Action
}

/// How a member reports back.
public enum MemberOutcome: Sendable, Hashable {
    case applied(resourceIndex: Int, objects: [JSON])
    case removed
    case failed(resourceIndex: Int, message: String)
}

/// The built-in members: simulated in process. Each piece of work finishes after `latency`; a cluster in
/// `failing` reports that failure instead, until it is cleared.
public struct SimulatedMembers: Sendable {
    public var latency: TimeInterval
    public var failing: [String: String]
    /// How long the hub waits before asking a failed member again.
    public var retryInterval: TimeInterval

    public init(latency: TimeInterval = 15, failing: [String: String] = [:], retryInterval: TimeInterval = 15) {
        self.latency = latency
        self.failing = failing
        self.retryInterval = retryInterval
    }

    public func outcome(of work: MemberWork) -> MemberOutcome {
        switch work.action {
        case .apply(let index, let objects):
            if let message = failing[work.cluster] { return .failed(resourceIndex: index, message: message) }
            return .applied(resourceIndex: index, objects: objects)
        case .remove:
            return .removed
        }
    }
}
