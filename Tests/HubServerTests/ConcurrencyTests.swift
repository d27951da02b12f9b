import FleetAPI
import Foundation
import Testing
@testable import HubServer
@testable import Rollout

/// Writes decided inside the hub against the state as it stands, as the API server's guaranteed update does.
struct ConcurrencyTests {
    let server: APIHandlerTests

    init() throws {
        server = try APIHandlerTests()
    }

    @Test func fiftyConcurrentMergePatchesLeaveFiftyLabels() async throws {
        try await server.seedNamespace()
        let api = server.api
        await withTaskGroup(of: Int.self) { group in
            for index in 0..<50 {
                group.addTask {
                    let response = await api.handle(
                        APIRequest(
                            method: "PATCH", path: "/api/v1/namespaces/test-namespace/configmaps/test-cm", query: [:],
                            headers: ["content-type": "application/merge-patch+json", "accept": "application/json"],
                            body: Array(#"{"metadata":{"labels":{"patch-\#(index)":"yes"}}}"#.utf8)))
                    return response.status
                }
            }
            for await status in group { #expect(status == 200) }
        }
        let (_, _, cm) = await server.call("GET", "/api/v1/namespaces/test-namespace/configmaps/test-cm")
        #expect(cm[path: ["metadata", "labels"]]?.objectValue?.count == 50)
    }
}
