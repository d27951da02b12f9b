import FleetAPI
import Foundation
import Testing
@testable import HubServer
@testable import Rollout

/// A member's agent, as the ServiceAccount its MemberCluster names, may touch only its own `fleet-member-<name>`
/// namespace and its own MemberCluster's status, and nothing else.
struct AgentAccessTests {
    @Test func anAgentMayTouchOnlyItsNamespaceAndItsMemberClustersStatus() async throws {
        let hub = try AccessControlTests(members: AgentMembers())
        let admin = try hub.admin
        for name in ["member1", "member2"] {
            let member = try YAML.parse(SeedManifests.memberCluster(name, labels: ["environment": "staging"]))
            #expect(await hub.call("POST", "/apis/cluster.kubernetes-fleet.io/v1beta1/memberclusters", as: admin, body: member).0 == 201)
        }
        let agent = try hub.certificate("system:serviceaccount:fleet-system:fleet-member-agent-member1", ["system:serviceaccounts"])
        let heartbeat: JSON = [
            "status": [
                "agentStatus": [
                    [
                        "type": "MemberAgent", "lastReceivedHeartbeat": "2026-12-01T10:00:00Z",
                        "conditions": [["type": "Joined", "status": "True", "reason": "MemberAgentJoined"]],
                    ]
                ]
            ]
        ]
        let members = "/apis/cluster.kubernetes-fleet.io/v1beta1/memberclusters"
        let own = await hub.call("PATCH", "\(members)/member1/status", as: agent, body: heartbeat, contentType: "application/merge-patch+json")
        #expect(own.0 == 200)
        #expect(own.1[path: ["status", "conditions"]]?.arrayValue?.first { $0["type"] == "Joined" }?["status"] == "True")
        let other = await hub.call("PATCH", "\(members)/member2/status", as: agent, body: heartbeat, contentType: "application/merge-patch+json")
        #expect(other.0 == 403)
        #expect(other.1["message"] == "memberclusters.cluster.kubernetes-fleet.io \"member2\" is forbidden: User \"system:serviceaccount:fleet-system:fleet-member-agent-member1\" cannot patch resource \"memberclusters/status\" in API group \"cluster.kubernetes-fleet.io\" at the cluster scope")
        #expect(await hub.call("GET", "/apis/placement.kubernetes-fleet.io/v1beta1/namespaces/fleet-member-member1/works", as: agent).0 == 200)
        #expect(await hub.call("GET", "/apis/placement.kubernetes-fleet.io/v1beta1/namespaces/fleet-member-member2/works", as: agent).0 == 403)
        #expect(await hub.call("GET", "/api/v1/namespaces/default/configmaps", as: agent).0 == 403)
        #expect(await hub.call("DELETE", "\(members)/member1", as: agent).0 == 403)
    }
}
