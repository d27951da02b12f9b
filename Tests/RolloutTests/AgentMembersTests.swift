import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// Members reached through agents: the hub gives each member its namespace and access, counts it joined while
/// its agent heartbeats, writes it a Work per placement, and reads back what the agent reports there.
struct AgentMembersTests {
    static let member2 = ObjectKey(.memberCluster, name: "member2")
    static let workKey = ObjectKey(.work, namespace: "fleet-member-member2", name: "example-placement-work")

    static func scenario() throws -> Scenario {
        var scenario = Scenario()
        scenario.controllers = .hub(agents: AgentMembers(heartbeatTimeout: 300))
        try scenario.apply(SeedManifests.memberCluster("member2", labels: ["environment": "staging"]))
        scenario.settle()
        return scenario
    }

    /// What `flotilla agent` writes: its join condition and a heartbeat at `time`.
    static func heartbeat(at time: String, joined: String = "True") -> JSON {
        [
            "agentStatus": [
                [
                    "type": "MemberAgent", "lastReceivedHeartbeat": .string(time),
                    "conditions": [["type": "Joined", "status": .string(joined), "reason": "MemberAgentJoined"]],
                ]
            ]
        ]
    }

    mutating func heartbeat(_ scenario: inout Scenario, at time: String, joined: String = "True") throws {
        var status = scenario.state.objects[Self.member2]?.status ?? .emptyObject
        status["agentStatus"] = Self.heartbeat(at: time, joined: joined)["agentStatus"]
        try scenario.send(.updateStatus(Self.member2, status))
    }

    func joined(_ scenario: Scenario) -> [JSON?] {
        let condition = scenario.state.objects[Self.member2]?.status?["conditions"]?.arrayValue?.first { $0["type"] == "Joined" }
        return [condition?["status"], condition?["reason"], condition?["message"]]
    }

    @Test func aHubStartsWithItsMemberClustersToReconcileOnlyWhenItHasAgents() throws {
        let scenario = try Self.scenario()
        var withAgents = Dirty.everything(in: scenario.state, running: scenario.controllers)
        #expect(withAgents.memberClusters == ["member2"])
        withAgents.memberClusters = []
        #expect(Dirty.everything(in: scenario.state, running: .hub) == withAgents)
    }

    @Test func aMemberGetsItsNamespaceAndAccessForItsAgentIdentity() throws {
        let scenario = try Self.scenario()
        let keys = scenario.state.objects.keys.filter { $0.kind != ResourceKind.memberCluster.kind }.map(\.description).sorted()
        #expect(keys == [
            "ClusterRole/fleet-role-member2", "ClusterRoleBinding/fleet-rolebinding-member2", "Namespace/fleet-member-member2",
            "Role/fleet-member-member2/fleet-role-member2", "RoleBinding/fleet-member-member2/fleet-rolebinding-member2",
        ])
        let binding = scenario.state.objects[ObjectKey(.clusterRoleBinding, name: "fleet-rolebinding-member2")]
        #expect(binding?.json["subjects"] == [["kind": "ServiceAccount", "name": "fleet-member-agent-member2", "namespace": "fleet-system"]])
        let rule = scenario.state.objects[ObjectKey(.clusterRole, name: "fleet-role-member2")]?.json["rules"]?.arrayValue?.first
        #expect(rule?["resourceNames"] == ["member2"])
        #expect(rule?["resources"] == ["memberclusters", "memberclusters/status"])
    }

    @Test func aMemberWithoutItsAgentIsNotJoinedAndNotScheduled() throws {
        var scenario = try Self.scenario()
        #expect(joined(scenario) == ["Unknown", "MemberClusterJoinStateUnknown", "Member cluster member2 has not reported all the expected agents, expected 1, got 0"])
        try scenario.apply(SeedManifests.namespace)
        try scenario.apply(SeedManifests.placement)
        scenario.settle()
        #expect(scenario.state.placements[Fixtures.placementKey]?.scheduledClusters == [])
    }

    /// Silence makes a member ineligible for new picks; what it holds stays, as KubeFleet's scheduler keeps every
    /// binding to a cluster that is still in the fleet.
    @Test mutating func heartbeatsJoinAMemberAndSilenceKeepsItFromNewPicksOnly() throws {
        var scenario = try Self.scenario()
        try scenario.apply(SeedManifests.namespace)
        try scenario.apply(SeedManifests.placement)
        scenario.settle()
        try heartbeat(&scenario, at: "2025-07-22T21:25:00Z")
        scenario.settle()
        #expect(joined(scenario) == ["True", "MemberClusterJoined", "Member cluster has successfully joined the fleet"])
        #expect(scenario.state.placements[Fixtures.placementKey]?.scheduledClusters == ["member2"])
        #expect(MemberClusterController.nextDeadline("member2", in: scenario.state, agents: AgentMembers(heartbeatTimeout: 300)) == KubeTime.parse("2025-07-22T21:30:00Z"))
        scenario.pass(301)
        let events = scenario.settle()
        #expect(joined(scenario) == [
            "Unknown", "MemberClusterJoinStateUnknown",
            "Member cluster member2 has sent no heartbeat for more than 5m0s (last received 2025-07-22T21:25:00Z)",
        ])
        #expect(!events.contains { if case .placementScheduled = $0 { true } else { false } })
        #expect(scenario.state.placements[Fixtures.placementKey]?.scheduledClusters == ["member2"])
        let other = ObjectKey(.clusterResourcePlacement, name: "other-placement")
        try scenario.apply(SeedManifests.placement.replacingOccurrences(of: "name: example-placement", with: "name: other-placement"))
        scenario.settle()
        #expect(scenario.state.placements[other]?.scheduledClusters == [])
        #expect(scenario.state.placements[other]?.decisions == [
            [
                "clusterName": "member2", "selected": false,
                "reason": "ClusterUnschedulable, cluster is not connected to the fleet: no recent heartbeat signals (last received 2025-07-22T21:25:00Z)",
            ]
        ])
        // The agent reports it left: the member has left the fleet.
        try heartbeat(&scenario, at: "2025-07-22T21:31:00Z", joined: "False")
        scenario.settle()
        #expect(joined(scenario) == ["False", "MemberClusterLeft", "Member cluster has left the fleet"])
    }

    @Test func aWorkIsWrittenOnceAndRewrittenOnlyWhenItsContentChanges() throws {
        var scenario = try Self.scenario()
        let objects: [JSON] = [["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "test-namespace"]]]
        let strategy: JSON = ["type": "ServerSideApply"]
        let work = MemberWork(cluster: "member2", placement: Fixtures.placementKey, action: .apply(resourceIndex: 1, objects: objects), applyStrategy: strategy)
        let events = WorkWriter.events(for: work, in: scenario.state)
        guard case .objectCreated(let created)? = events.first, events.count == 1 else { Issue.record("expected one created Work: \(events)"); return }
        #expect(created.key == Self.workKey)
        #expect(created.object[path: ["metadata", "labels"]] == [
            "kubernetes-fleet.io/parent-CRP": "example-placement", "kubernetes-fleet.io/parent-resource-snapshot-index": "1",
        ])
        #expect(created.object["spec"] == ["workload": ["manifests": .array(objects)], "applyStrategy": strategy])
        scenario.given(events)
        #expect(WorkWriter.events(for: work, in: scenario.state) == [])
        var next = work
        next.action = .apply(resourceIndex: 2, objects: objects)
        guard case .objectUpdated? = WorkWriter.events(for: next, in: scenario.state).first else { Issue.record("expected an update"); return }
        let removal = MemberWork(cluster: "member2", placement: Fixtures.placementKey, action: .remove)
        #expect(WorkWriter.events(for: removal, in: scenario.state) == [
            .objectDeleted(ObjectDeleted(key: Self.workKey)),
            .memberRemoved(MemberRemoved(cluster: "member2", placement: Fixtures.placementKey)),
        ])
        let namespaced = WorkWriter.workKey(cluster: "member2", placement: ObjectKey(.resourcePlacement, namespace: "team-a", name: "app"))
        #expect(namespaced.name == "team-a.app-work")
    }

    @Test mutating func aWorkAppliedButNotYetAvailableShowsInThePlacementsStatus() throws {
        var scenario = try Self.scenario()
        try heartbeat(&scenario, at: "2025-07-22T21:25:00Z")
        try scenario.apply(SeedManifests.namespace)
        try scenario.apply(SeedManifests.placement.replacingOccurrences(of: "  strategy:\n    type: External", with: ""))
        scenario.settle()
        let objects = scenario.state.placements[Fixtures.placementKey]?.resourceSnapshots[0]?.resources ?? []
        scenario.given(WorkWriter.events(for: MemberWork(cluster: "member2", placement: Fixtures.placementKey, action: .apply(resourceIndex: 0, objects: objects)), in: scenario.state))
        try scenario.send(.updateStatus(Self.workKey, Self.reported([("Applied", "True"), ("Available", "False")])))
        let entry = scenario.state.render(Fixtures.placementKey)?[path: ["status", "placementStatuses"]]?.arrayValue?.first
        let last = entry?["conditions"]?.arrayValue?.suffix(2).map { "\($0["type"]?.stringValue ?? "") \($0["status"]?.stringValue ?? ""): \($0["message"]?.stringValue ?? "")" }
        #expect(last == [
            "Applied True: All corresponding work objects are applied",
            "Available False: Work object example-placement-work is not yet available",
        ])
    }

    /// The Work as the agent reports on it.
    static func reported(_ conditions: [(String, String)], generation: Int64 = 1, manifests: [JSON] = []) -> JSON {
        [
            "conditions": .array(conditions.map { ["type": .string($0.0), "status": .string($0.1), "observedGeneration": .int(generation)] }),
            "manifestConditions": .array(manifests),
        ]
    }

    @Test func whatTheAgentReportsOnTheWorkBecomesTheMembersState() throws {
        var scenario = try Self.scenario()
        let objects: [JSON] = [["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "test-cm", "namespace": "test-namespace"]]]
        scenario.given(WorkWriter.events(for: MemberWork(cluster: "member2", placement: Fixtures.placementKey, action: .apply(resourceIndex: 0, objects: objects)), in: scenario.state))
        // Not yet available, or about an older generation: nothing to record.
        try scenario.send(.updateStatus(Self.workKey, Self.reported([("Applied", "True"), ("Available", "False")])))
        #expect(scenario.settle() == [])
        try scenario.send(.updateStatus(Self.workKey, Self.reported([("Applied", "True"), ("Available", "True")], generation: 0)))
        #expect(scenario.settle() == [])
        try scenario.send(.updateStatus(Self.workKey, Self.reported([("Applied", "True"), ("Available", "True")])))
        #expect(scenario.settle() == [
            .memberApplied(MemberApplied(cluster: "member2", placement: Fixtures.placementKey, resourceIndex: 0, objects: objects))
        ])
        let refused: JSON = [
            "identifier": ["ordinal": 0, "version": "v1", "kind": "ConfigMap", "namespace": "test-namespace", "name": "test-cm"],
            "conditions": [["type": "Applied", "status": "False", "reason": "ManifestApplyFailed", "message": "admission webhook denied the request"]],
        ]
        try scenario.send(.updateStatus(Self.workKey, Self.reported([("Applied", "False")], manifests: [refused])))
        #expect(scenario.settle() == [
            .memberApplyFailed(MemberApplyFailed(
                cluster: "member2", placement: Fixtures.placementKey, resourceIndex: 0,
                message: "ConfigMap test-namespace/test-cm: admission webhook denied the request",
                resource: ["group": "", "version": "v1", "kind": "ConfigMap", "namespace": "test-namespace", "name": "test-cm"]))
        ])
        let differs: JSON = [
            "identifier": ["ordinal": 0, "version": "v1", "kind": "ConfigMap", "namespace": "test-namespace", "name": "test-cm"],
            "conditions": [["type": "DiffReported", "status": "True", "reason": "FoundDiff"]],
        ]
        try scenario.send(.updateStatus(Self.workKey, Self.reported([("Applied", "True"), ("DiffReported", "True")], manifests: [differs])))
        #expect(scenario.settle() == [
            .memberDiffReported(MemberDiffReported(cluster: "member2", placement: Fixtures.placementKey, resourceIndex: 0, differences: ["ConfigMap test-namespace/test-cm"]))
        ])
    }

    @Test func deletingAMemberTakesItsNamespaceWorksAndAccess() throws {
        var scenario = try Self.scenario()
        scenario.given(WorkWriter.events(for: MemberWork(cluster: "member2", placement: Fixtures.placementKey, action: .apply(resourceIndex: 0, objects: [])), in: scenario.state))
        try scenario.send(.delete(Self.member2))
        #expect(scenario.state.objects.keys.map(\.description).sorted() == [])
    }

    @Test func simulatedMembersGetNoNamespaceOrConditions() throws {
        var scenario = Scenario()
        try scenario.apply(SeedManifests.memberCluster("member2", labels: ["environment": "staging"]))
        #expect(scenario.settle() == [])
        #expect(scenario.state.ineligibleMembers.isEmpty)
    }
}
