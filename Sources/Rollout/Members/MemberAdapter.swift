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
}

/// How a member reports back.
public enum MemberOutcome: Sendable, Hashable {
    case applied(resourceIndex: Int, objects: [JSON])
    case removed
    case diffReported(resourceIndex: Int, differences: [String])
    case failed(resourceIndex: Int, message: String)
}

/// The built-in members: simulated in process. Each piece of work finishes after `latency`; a cluster in
/// `failing` reports that failure instead, until it is cleared.
public struct SimulatedMembers: Sendable {
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

    /// The wait before try `attempt + 1` after `attempt` failures in a row.
    public func retryDelay(afterFailures attempt: Int) -> TimeInterval {
        min(maxRetryInterval, retryInterval * pow(2, Double(max(0, attempt - 1))))
    }

    /// - Parameter current: what the member holds now, which ReportDiff compares against.
    public func outcome(of work: MemberWork, current: [JSON]) -> MemberOutcome {
        switch work.action {
        case .apply(let index, let objects):
            if let message = failing[work.cluster] { return .failed(resourceIndex: index, message: message) }
            return .applied(resourceIndex: index, objects: objects)
        case .reportDiff(let index, let objects):
            if let message = failing[work.cluster] { return .failed(resourceIndex: index, message: message) }
            return .diffReported(resourceIndex: index, differences: Self.differences(objects, current))
        case .remove:
            return .removed
        case .fail(let index, let message):
            return .failed(resourceIndex: index, message: message)
        }
    }

    /// The objects whose desired content differs from what the member holds, as `Kind namespace/name`.
    static func differences(_ desired: [JSON], _ current: [JSON]) -> [String] {
        func name(_ object: JSON) -> String {
            let namespace = object[path: ["metadata", "namespace"]]?.stringValue.map { "\($0)/" } ?? ""
            return "\(object["kind"]?.stringValue ?? "") \(namespace)\(object[path: ["metadata", "name"]]?.stringValue ?? "")"
        }
        let held = Dictionary(current.map { (name($0), $0) }, uniquingKeysWith: { first, _ in first })
        return desired.filter { held[name($0)] != $0 }.map(name).sorted()
    }
}
