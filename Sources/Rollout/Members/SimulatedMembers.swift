import FleetAPI
import Foundation

/// The built-in members: simulated in process. Each piece of work finishes after `latency`; a cluster in
/// `failing` reports that failure instead, until it is cleared.
public struct SimulatedMembers: MemberAdapter {
    public var latency: TimeInterval
    public var failing: [String: String]
    /// How long the hub waits before asking a failed member again the first time; each further failure
    /// doubles it, up to `maxRetryInterval`.
    public var retryInterval: TimeInterval
    public var maxRetryInterval: TimeInterval

    public init(
        latency: TimeInterval = 15, failing: [String: String] = [:], retryInterval: TimeInterval = 15,
        maxRetryInterval: TimeInterval = 300
    ) {
        self.latency = latency
        self.failing = failing
        self.retryInterval = retryInterval
        self.maxRetryInterval = maxRetryInterval
    }

    public func retryDelay(afterFailures attempt: Int) -> TimeInterval {
        min(maxRetryInterval, retryInterval * pow(2, Double(max(0, attempt - 1))))
    }

    public var agents: AgentMembers? { nil }

    /// Simulated members keep what they were handed in the hub's own state.
    public func holds(_ work: MemberWork, in state: HubState) -> Bool { true }

    public func deliver(_ work: MemberWork, in state: HubState) -> MemberDelivery {
        .reported(outcome(of: work, current: state.members[work.cluster]?.objects ?? []))
    }

    /// A member receives what an envelope wraps, not the envelope.
    /// - Parameter current: what the member holds now, which ReportDiff compares against.
    public func outcome(of work: MemberWork, current: [JSON]) -> MemberOutcome {
        switch work.action {
        case .apply(let index, let objects):
            if let message = failing[work.cluster] { return .failed(resourceIndex: index, message: message) }
            return .applied(resourceIndex: index, objects: Envelopes.unwrapped(objects))
        case .reportDiff(let index, let objects):
            if let message = failing[work.cluster] { return .failed(resourceIndex: index, message: message) }
            return .diffReported(resourceIndex: index, differences: Self.differences(Envelopes.unwrapped(objects), current))
        case .remove:
            return .removed
        case .fail(let index, let message):
            return .failed(resourceIndex: index, message: message)
        }
    }

    /// The objects whose desired content differs from what the member holds, as `Kind namespace/name`.
    static func differences(_ desired: [JSON], _ current: [JSON]) -> [String] {
        let name = differenceName
        let held = Dictionary(current.map { (name($0), $0) }, uniquingKeysWith: { first, _ in first })
        return desired.filter { held[name($0)] != $0 }.map(name).sorted()
    }

    /// `Kind namespace/name`: how a reported difference names its object.
    static func differenceName(_ object: JSON) -> String {
        let namespace = object[path: ["metadata", "namespace"]]?.stringValue.map { "\($0)/" } ?? ""
        return "\(object["kind"]?.stringValue ?? "") \(namespace)\(object[path: ["metadata", "name"]]?.stringValue ?? "")"
    }
}
