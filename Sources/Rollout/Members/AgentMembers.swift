import FleetAPI
import Foundation

/// Members reached through `flotilla agent`, as KubeFleet reaches its members: the hub writes each member's
/// work into a `Work` in the member's `fleet-member-<name>` namespace, the agent applies it to its cluster and
/// reports through the Work's status, and its heartbeats keep the member joined.
public struct AgentMembers: MemberAdapter, Equatable {
    /// How long a member's agent may go without a heartbeat before the member turns `Joined=Unknown` and leaves
    /// scheduling: KubeFleet's scheduler's 5 minutes.
    public var heartbeatTimeout: TimeInterval

    public init(heartbeatTimeout: TimeInterval = 300) {
        self.heartbeatTimeout = heartbeatTimeout
    }

    /// The Work is written as soon as the intent to update the cluster is durable.
    public var latency: TimeInterval { 0 }

    public var agents: AgentMembers? { self }

    /// An agent holds its work through its Works (the main one and one per envelope): one deleted by hand is
    /// written again.
    public func holds(_ work: MemberWork, in state: HubState) -> Bool {
        let main = WorkWriter.workKey(cluster: work.cluster, placement: work.placement)
        switch work.action {
        case .apply(_, let objects), .reportDiff(_, let objects):
            return ([main] + objects.filter(Envelopes.isEnvelope).map { WorkWriter.envelopeWorkKey($0, main: main) })
                .allSatisfy { state.objects[$0] != nil }
        case .remove, .fail:
            return true
        }
    }

    /// Failures come back from the agent, which retries on its own; the hub only rewrites a Work that changed.
    public func retryDelay(afterFailures attempt: Int) -> TimeInterval { 0 }

    public func deliver(_ work: MemberWork, in state: HubState) -> MemberDelivery {
        .record(WorkWriter.events(for: work, in: state), actor: WorkWriter.actor)
    }
}
