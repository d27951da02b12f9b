import Access
import FleetAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import HubServer
@testable import Rollout

/// The Hummingbird application end to end in process: health, metrics, and a request through the adapter.
struct ServerTests {
    func hub() throws -> (Hub, ManualClock) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path
        let clock = ManualClock(SeedWalkthrough.virtualStart)
        return (try Hub(path: path, clock: clock), clock)
    }

    @Test func healthAndDiscoveryGoThroughTheAdapter() async throws {
        let (hub, _) = try hub()
        let app = try HubServer(hub: hub, port: 0, logger: Logger(label: "test")).application()
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "ok")
            }
            try await client.execute(
                uri: "/apis/placement.kubernetes-fleet.io/v1beta1/clusterstagedupdateruns?labelSelector=a%3Db", method: .get
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let list = try JSON.parse(Array(buffer: response.body))
                #expect(list["kind"] == "ClusterStagedUpdateRunList")
            }
        }
    }

    @Test func metricsCarryKubeFleetsRunSeries() async throws {
        let (hub, _) = try hub()
        for member in SeedManifests.members {
            try await hub.send(.apply(YAML.parse(SeedManifests.memberCluster(member.name, labels: member.labels))), actor: "test")
        }
        for manifest in [SeedManifests.namespace, SeedManifests.configMap(value: "value1"), SeedManifests.placement, SeedManifests.strategy] {
            try await hub.send(.apply(YAML.parse(manifest)), actor: "test")
        }
        try await hub.send(.apply(YAML.parse(SeedManifests.rollbackRun)), actor: "test")
        let request = ObjectKey(.clusterApprovalRequest, name: "example-run-2-canary")
        #expect(try await hub.advance(until: { $0.objects[request] != nil }))
        try await hub.advance(by: 300)
        try await hub.send(.updateStatus(request, try JSON.parse(SeedManifests.approval(at: KubeTime.format(hub.clock.now())))["status"]!), actor: "test")
        let server = HubServer(hub: hub, port: 0, logger: Logger(label: "test"))
        let text = String(decoding: await server.metrics.scrape(hub), as: UTF8.self)
        #expect(text.contains(#"fleet_workload_update_run_status_last_timestamp_seconds{namespace="",name="example-run-2",state="Run",condition="Succeeded",status="True",reason="UpdateRunSucceeded",failureType="none"}"#))
        #expect(text.contains(#"fleet_workload_update_run_approval_request_latency_seconds_bucket{namespace="",name="example-run-2",taskType="afterStage",le="300.0"} 1"#))
        #expect(text.contains(#"fleet_workload_update_run_approval_request_latency_seconds_bucket{namespace="",name="example-run-2",taskType="afterStage",le="60.0"} 0"#))
        #expect(text.contains(#"fleet_workload_update_run_stage_cluster_updating_duration_seconds_count{namespace="",name="example-run-2"} 2"#))
        #expect(text.contains(#"fleet_workload_update_run_stage_cluster_updating_duration_seconds_bucket{namespace="",name="example-run-2",le="15.0"} 1"#))
        #expect(text.contains("flotilla_journal_events"))
    }

    @Test func metricsNeedCredentialsAndBodiesStopAtTheAPIServersLimit() async throws {
        let (hub, _) = try hub()
        let tokens = try TokenFile(csv: "admin-token,admin,uid-1,system:masters\n", path: "tokens.csv")
        let security = ServerSecurity(tls: nil, authenticator: Authenticator(certificates: nil, tokenFile: tokens, serviceAccounts: nil))
        let app = try HubServer(hub: hub, port: 0, security: security, logger: Logger(label: "test")).application()
        try await app.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer admin-token"]) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("flotilla_journal_events"))
            }
            let body = ByteBuffer(repeating: UInt8(ascii: "a"), count: (3 << 20) + 1)
            try await client.execute(
                uri: "/api/v1/namespaces", method: .post, headers: [.authorization: "Bearer admin-token", .contentType: "application/json"], body: body
            ) { response in
                #expect(response.status == .contentTooLarge)
                let status = try JSON.parse(Array(buffer: response.body))
                #expect(status["message"] == "Request entity too large: limit is 3145728")
            }
        }
        #expect(await hub.state.lastSeq == 0)
    }
}
