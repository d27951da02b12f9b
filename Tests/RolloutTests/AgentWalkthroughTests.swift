import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// The seed's run through the hub with members reached through agents, on a virtual clock: the run writes each
/// cluster's Work when it starts the cluster, and moves on only when that member's agent reports it applied and
/// available at the Work's generation.
struct AgentWalkthroughTests {
    var hub: Hub
    let clock = ManualClock(SeedWalkthrough.virtualStart)
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path

    init() throws {
        hub = try Hub(path: path, clock: clock, members: AgentMembers(heartbeatTimeout: 3600))
    }

    /// What each member's agent does: heartbeat, and report every Work it has not reported on as applied and
    /// available, the way `flotilla agent` does once its cluster holds the objects.
    func agentsReport() async throws {
        for member in SeedManifests.members {
            let key = ObjectKey(.memberCluster, name: member.name)
            var status = await hub.state.objects[key]?.status ?? .emptyObject
            status["agentStatus"] = [
                [
                    "type": "MemberAgent", "lastReceivedHeartbeat": .string(KubeTime.format(clock.now())),
                    "conditions": [["type": "Joined", "status": "True", "reason": "MemberAgentJoined"]],
                ]
            ]
            try await hub.send(.updateStatus(key, status), actor: "agent/\(member.name)")
        }
        for work in await hub.state.objects(ofKind: .work) {
            let generation = work.generation
            guard work.status?["conditions"]?.arrayValue?.first?["observedGeneration"]?.intValue != generation else { continue }
            let conditions: JSON = .array(["Applied", "Available"].map { ["type": .string($0), "status": "True", "observedGeneration": .int(generation)] })
            try await hub.send(.updateStatus(work.key, ["conditions": conditions]), actor: "agent")
        }
    }

    /// The seed's fleet, placement and strategy, with every member joined, and the run on snapshot 0 started.
    func startSeedRun() async throws {
        for member in SeedManifests.members {
            try await hub.send(.apply(YAML.parse(SeedManifests.memberCluster(member.name, labels: member.labels))), actor: "test")
        }
        try await agentsReport()
        for manifest in [SeedManifests.namespace, SeedManifests.configMap(value: "value1"), SeedManifests.placement, SeedManifests.strategy] {
            try await hub.send(.apply(YAML.parse(manifest)), actor: "test")
        }
        #expect(await hub.state.placements[Fixtures.placementKey]?.scheduledClusters == ["member1", "member2", "member3"])
        try await hub.send(.apply(YAML.parse(Fixtures.runManifest(index: "0"))), actor: "test")
        try await hub.advance(by: 0)
    }

    /// Reports, waits and approves until the run succeeds.
    func finishSeedRun() async throws {
        for _ in 0..<20 {
            try await agentsReport()
            if await hub.state.objects(ofKind: .clusterApprovalRequest).isEmpty == false { break }
            try await hub.advance(by: 30)
        }
        let approval = try #require(await hub.state.objects(ofKind: .clusterApprovalRequest).first)
        try await hub.send(.updateStatus(approval.key, Fixtures.approved), actor: "test")
        try await agentsReport()
    }

    @Test func theSeedRunCompletesThroughWorksThatAgentsReportOn() async throws {
        try await startSeedRun()
        // Only the staging cluster has started, so only its Work exists, holding snapshot 0.
        let works = await hub.state.objects(ofKind: .work).map(\.key.description)
        #expect(works == ["Work/fleet-member-member2/example-placement-work"])
        let manifests = await hub.state.objects[AgentMembersTests.workKey]?.json[path: ["spec", "workload", "manifests"]]
        #expect(manifests?.arrayValue?.map { $0["kind"] } == ["Namespace", "ConfigMap"])
        try await finishSeedRun()
        let run = try #require(await hub.state.runs[Fixtures.runKey])
        #expect(run.status.conditions?[type: "Succeeded"]?.status == .true)
        #expect(await hub.state.objects(ofKind: .work).count == 3)
        #expect(await hub.state.members["member1"]?.applied[Fixtures.placementKey]?.resourceIndex == 0)
        #expect(await hub.missedByDirtySet == 0)
        hub.journal.close()
    }

    @Test mutating func aHubRestartedMidRunCarriesOnWithTheSameWorks() async throws {
        try await startSeedRun()
        try await agentsReport()
        try await hub.advance(by: 30)
        let before = await hub.state
        hub.journal.close()
        hub = try Hub(path: path, clock: clock, members: AgentMembers(heartbeatTimeout: 3600))
        try await hub.resume()
        // Nothing is rewritten: the Works the agents hold are the ones they had.
        #expect(await hub.state.lastSeq == before.lastSeq)
        #expect(await hub.state.objects(ofKind: .work) == before.objects(ofKind: .work))
        try await finishSeedRun()
        #expect(await hub.state.runs[Fixtures.runKey]?.status.conditions?[type: "Succeeded"]?.status == .true)
        hub.journal.close()
    }

    @Test func aWorkDeletedByHandIsWrittenAgain() async throws {
        try await startSeedRun()
        try await agentsReport()
        let work = AgentMembersTests.workKey
        let before = try #require(await hub.state.objects[work])
        try await hub.send(.delete(work), actor: "mallory")
        try await hub.advance(by: 0)
        let again = try #require(await hub.state.objects[work])
        #expect(again.json["spec"] == before.json["spec"])
        #expect(again.resourceVersion > before.resourceVersion)
        hub.journal.close()
    }
}
