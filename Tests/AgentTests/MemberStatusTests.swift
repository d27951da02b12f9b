import Foundation
import Testing

@testable import Agent
@testable import FleetAPI

/// The heartbeat's MemberCluster status patch and the properties it carries.
@Suite struct MemberStatusTests {
    let now = KubeTime.format(t0)

    @Test func propertiesFromVersionAndNodes() {
        let nodes = [
            json(#"{"status":{"capacity":{"cpu":"4","memory":"16Gi","pods":"110"},"allocatable":{"cpu":"3500m","memory":"15Gi"}}}"#),
            json(#"{"status":{"capacity":{"cpu":"2","memory":"8Gi","pods":"110"},"allocatable":{"cpu":"1900m","memory":"7Gi"}}}"#),
        ]
        let (properties, usage) = MemberProperties.build(version: json(#"{"gitVersion":"v1.32.1"}"#), nodes: nodes, now: t0)
        #expect(properties == json("""
            {"k8s.io/kubernetes-version":{"value":"v1.32.1","observationTime":"\(now)"},
             "kubernetes-fleet.io/node-count":{"value":"2","observationTime":"\(now)"}}
            """))
        #expect(usage == json("""
            {"capacity":{"cpu":"6","memory":"25769803776","pods":"220"},"allocatable":{"cpu":"5400m","memory":"23622320128"},"observationTime":"\(now)"}
            """))
    }

    @Test func aMemberWithoutNodesReportsOnlyItsVersion() {
        let (properties, usage) = MemberProperties.build(version: json(#"{"gitVersion":"v1.32.0-flotilla"}"#), nodes: nil, now: t0)
        #expect(properties == json(#"{"k8s.io/kubernetes-version":{"value":"v1.32.0-flotilla","observationTime":"\#(now)"}}"#))
        #expect(usage == nil)
    }

    @Test func heartbeatKeepsJoinedSinceTheFirstBeat() {
        let first = AgentStatus.heartbeat(previous: nil, generation: 1, healthProblem: nil, properties: json("{}"), resourceUsage: nil, now: t0)
        #expect(first == json("""
            {"status":{"properties":{},"agentStatus":[{"type":"MemberAgent","lastReceivedHeartbeat":"\(now)","conditions":[
              {"type":"Joined","status":"True","reason":"InternalMemberClusterJoined","message":"The member agent has joined the fleet","observedGeneration":1,"lastTransitionTime":"\(now)"},
              {"type":"Healthy","status":"True","reason":"InternalMemberClusterHealthy","message":"The member cluster's API server answers","observedGeneration":1,"lastTransitionTime":"\(now)"}]}]}}
            """))
        let later = t0.addingTimeInterval(60)
        let second = AgentStatus.heartbeat(
            previous: first["status"], generation: 1, healthProblem: "cannot reach https://127.0.0.1:1: connection refused",
            properties: json("{}"), resourceUsage: nil, now: later)
        let entry = second["status"]?["agentStatus"]?[array: 0]
        #expect(entry?["lastReceivedHeartbeat"] == .string(KubeTime.format(later)))
        #expect(entry?["conditions"]?[array: 0]?["lastTransitionTime"] == .string(now))
        #expect(entry?["conditions"]?[array: 1] == json("""
            {"type":"Healthy","status":"False","reason":"InternalMemberClusterUnhealthy","message":"The member cluster's API server cannot be used: cannot reach https://127.0.0.1:1: connection refused","observedGeneration":1,"lastTransitionTime":"\(KubeTime.format(later))"}
            """))
    }
}
