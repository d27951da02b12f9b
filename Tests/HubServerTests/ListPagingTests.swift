import FleetAPI
import Foundation
import Testing
@testable import HubServer
@testable import Rollout

/// `limit` and `continue` as the API server pages lists: every page from the state the first one saw.
struct ListPagingTests {
    let server: APIHandlerTests
    let path = "/api/v1/namespaces/test-namespace/configmaps"

    init() throws {
        server = try APIHandlerTests()
    }

    func createConfigMaps(_ names: [String]) async throws {
        for name in names {
            let manifest = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\#(name)","namespace":"test-namespace"}}"#
            let (status, _, _) = await server.call("POST", path, body: manifest)
            #expect(status == 201)
        }
    }

    func names(_ list: JSON) -> [String] {
        (list["items"]?.arrayValue ?? []).compactMap { $0[path: ["metadata", "name"]]?.stringValue }
    }

    @Test func pagesFollowOneAnotherFromTheFirstPagesState() async throws {
        try await server.seedNamespace()
        try await createConfigMaps(["a", "b", "c", "d"])
        let (_, _, first) = await server.call("GET", path, query: ["limit": "2"])
        #expect(names(first) == ["a", "b"])
        #expect(first[path: ["metadata", "remainingItemCount"]] == 3)
        let version = first[path: ["metadata", "resourceVersion"]]
        let token = try #require(first[path: ["metadata", "continue"]]?.stringValue)
        // A change after the first page does not show on the later ones.
        try await createConfigMaps(["bb"])
        let (_, _, second) = await server.call("GET", path, query: ["limit": "2", "continue": token])
        #expect(names(second) == ["c", "d"])
        #expect(second[path: ["metadata", "resourceVersion"]] == version)
        let next = try #require(second[path: ["metadata", "continue"]]?.stringValue)
        let (_, _, third) = await server.call("GET", path, query: ["limit": "2", "continue": next])
        #expect(names(third) == ["test-cm"])
        #expect(third[path: ["metadata", "continue"]] == nil)
        let (_, _, all) = await server.call("GET", path)
        #expect(names(all) == ["a", "b", "bb", "c", "d", "test-cm"])
    }

    @Test func aTablePageCarriesOnlyItsRowsAndTheToken() async throws {
        try await server.seedNamespace()
        try await createConfigMaps(["a", "b"])
        let (status, _, table) = await server.call(
            "GET", path, query: ["limit": "1", "labelSelector": ""], accept: "application/json;as=Table;v=v1;g=meta.k8s.io")
        #expect(status == 200)
        #expect(table["rows"]?.arrayValue?.count == 1)
        #expect(table[path: ["metadata", "continue"]]?.stringValue?.isEmpty == false)
    }

    @Test func aBadOrExpiredTokenIsRefused() async throws {
        try await server.seedNamespace()
        let (bad, _, badBody) = await server.call("GET", path, query: ["limit": "1", "continue": "not-a-token"])
        #expect(bad == 400)
        #expect(badBody["message"] == "continue key is not valid: not a continue token this server issued")
        let stale = ContinueToken(resourceVersion: 1, after: ObjectKey(.configMap, namespace: "test-namespace", name: "a")).encoded
        let (expired, _, expiredBody) = await server.call("GET", path, query: ["limit": "1", "continue": stale])
        #expect(expired == 410)
        #expect(expiredBody["reason"] == "Expired")
    }
}

/// The cap on concurrent watches, as the API server's 429.
struct WatchCapTests {
    @Test func aWatchBeyondTheCapGets429() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path
        let hub = try Hub(path: path, clock: ManualClock(Date(timeIntervalSince1970: 0)), limits: WatchLimits(maxWatches: 1, watchBuffer: 10))
        let api = APIHandler(hub: hub)
        let watch = APIRequest(method: "GET", path: "/api/v1/namespaces", query: ["watch": "true"])
        let first = await api.handle(watch)
        #expect(first.status == 200)
        let second = await api.handle(watch)
        #expect(second.status == 429)
        #expect(try JSON.parse(second.bytes)["reason"] == "TooManyRequests")
        #expect(second.headers == ["Retry-After": "1"])
        await hub.endWatches()
        hub.journal.close()
    }
}

