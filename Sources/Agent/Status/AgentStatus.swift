public import FleetAPI
public import Foundation

/// The MemberCluster status patch a heartbeat sends: the member agent's entry in `status.agentStatus` (`Joined`
/// and `Healthy`, with the reasons of KubeFleet's member agent, and `lastReceivedHeartbeat`), and the cluster's
/// properties and resource usage.
public enum AgentStatus {
    public static func heartbeat(
        previous: JSON?, generation: Int64, healthProblem: String?, properties: JSON, resourceUsage: JSON?, now: Date
    ) -> JSON {
        let entry = (previous?["agentStatus"]?.arrayValue ?? []).first { $0["type"]?.stringValue == "MemberAgent" }
        var conditions = WorkStatus.decodeConditions(entry?["conditions"])
        conditions.set(Condition(
            type: "Joined", status: .true, reason: "InternalMemberClusterJoined",
            message: "The member agent has joined the fleet", observedGeneration: generation, lastTransitionTime: now))
        if let healthProblem {
            conditions.set(Condition(
                type: "Healthy", status: .false, reason: "InternalMemberClusterUnhealthy",
                message: "The member cluster's API server cannot be used: \(healthProblem)", observedGeneration: generation,
                lastTransitionTime: now))
        } else {
            conditions.set(Condition(
                type: "Healthy", status: .true, reason: "InternalMemberClusterHealthy",
                message: "The member cluster's API server answers", observedGeneration: generation, lastTransitionTime: now))
        }
        var status: [String: JSON] = [
            "agentStatus": [[
                "type": "MemberAgent", "conditions": WorkStatus.encode(conditions),
                "lastReceivedHeartbeat": .string(KubeTime.format(now)),
            ]],
            "properties": properties,
        ]
        if let resourceUsage { status["resourceUsage"] = resourceUsage }
        return ["status": .object(status)]
    }
}
