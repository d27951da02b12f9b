import FleetAPI
import Foundation
import Testing
@testable import HubServer
@testable import Rollout

/// The read-only history endpoints, request by request.
struct AuditEndpointTests {
    let hub: Hub
    let api: APIHandler

    init() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path
        hub = try Hub(path: path, clock: ManualClock(KubeTime.parse("2025-07-22T21:25:00Z")!))
        api = APIHandler(hub: hub)
    }

    func call(_ method: String, _ path: String, query: [String: String] = [:]) async -> (Int, JSON) {
        let response = await api.handle(APIRequest(method: method, path: path, query: query, headers: ["accept": "application/json"]))
        return (response.status, (try? JSON.parse(response.bytes)) ?? .null)
    }

    func seedPlacement() async throws {
        for manifest in [SeedManifests.namespace, SeedManifests.configMap(value: "value1"), SeedManifests.placement] {
            try await hub.send(.apply(YAML.parse(manifest)), actor: "alice")
        }
    }

    @Test func theAuditAnswersFromTheJournalWithEachLinesSeq() async throws {
        try await seedPlacement()
        let (status, body) = await call("GET", "/flotilla/v1/audit", query: ["actor": "alice"])
        #expect(status == 200)
        let lines = (body["lines"]?.arrayValue ?? []).compactMap(AuditLine.init(json:))
        #expect(lines.map(\.seq) == [1, 2, 3])
        #expect(lines.map(\.object) == ["Namespace/test-namespace", "ConfigMap/test-namespace/test-cm", "ClusterResourcePlacement/example-placement"])
    }

    @Test func theSnapshotHistoryNamesEveryIndexTaken() async throws {
        try await seedPlacement()
        let (status, body) = await call("GET", "/flotilla/v1/snapshots", query: ["placement": "example-placement"])
        #expect(status == 200)
        let history = try #require(PlacementHistory(json: body))
        #expect(history.snapshots.map(\.index) == [0])
        #expect(history.snapshots.map(\.object) == [.live])
        let (missing, status404) = await call("GET", "/flotilla/v1/snapshots", query: ["placement": "nope"])
        #expect(missing == 404)
        #expect(status404["message"] == "clusterresourceplacements.placement.kubernetes-fleet.io \"nope\" not found")
    }

    @Test func badInputAndWritesAreRefusedByName() async throws {
        let (badSince, since) = await call("GET", "/flotilla/v1/audit", query: ["since": "soon"])
        #expect(badSince == 400)
        #expect(since["message"] == "since: must be an RFC 3339 time such as 2025-07-22T21:29:00Z or a duration such as 2h, 30m or 1h30m")
        let (noPlacement, placement) = await call("GET", "/flotilla/v1/snapshots")
        #expect(noPlacement == 400)
        #expect(placement["message"] == "placement: required, the placement's name")
        let (post, _) = await call("POST", "/flotilla/v1/audit")
        #expect(post == 405)
        let (unknown, _) = await call("GET", "/flotilla/v1/nothing")
        #expect(unknown == 404)
        #expect(try hub.journal.stats().events == 0)
    }
}
