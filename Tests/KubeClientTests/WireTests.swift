import Testing

@testable import FleetAPI
@testable import KubeClient

/// Paths, Status errors and watch lines, as the API server writes them.
@Suite struct WireTests {
    let deployments = ResourceType(group: "apps", version: "v1", kind: "Deployment", resource: "deployments", namespaced: true)

    @Test func pathsForEachScope() {
        #expect(deployments.path(namespace: "app", name: "web", subresource: "status") == "/apis/apps/v1/namespaces/app/deployments/web/status")
        #expect(deployments.path() == "/apis/apps/v1/deployments")
        let namespaces = ResourceType(group: "", version: "v1", kind: "Namespace", resource: "namespaces", namespaced: false)
        #expect(namespaces.path(namespace: "ignored", name: "app") == "/api/v1/namespaces/app")
        #expect(ResourceType.split(apiVersion: "apps/v1").group == "apps")
        #expect(ResourceType.split(apiVersion: "apps/v1").version == "v1")
        #expect(ResourceType.split(apiVersion: "v1").group == "")
    }

    @Test func errorsComeFromTheStatus() {
        let body = #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Apply failed with 1 conflict: conflict with \"kubectl\": .data.key","reason":"Conflict","code":409}"#
        let error = KubeError.from(code: 409, body: Array(body.utf8))
        #expect(error == .status(code: 409, reason: "Conflict", message: "Apply failed with 1 conflict: conflict with \"kubectl\": .data.key"))
        #expect(error.description == "Apply failed with 1 conflict: conflict with \"kubectl\": .data.key")
        #expect(error.code == 409 && !error.isNotFound)
        #expect(KubeError.from(code: 502, body: Array("bad gateway\n".utf8)) == .status(code: 502, reason: "", message: "bad gateway"))
        #expect(KubeError.from(code: 500, body: []) == .status(code: 500, reason: "", message: "the server responded with HTTP 500"))
    }

    @Test func watchLinesSplitAcrossChunks() throws {
        var lines = WatchLines()
        #expect(try lines.feed(Array(#"{"type":"ADDED","object":{"metadata":{"name":"a"}}}"#.utf8.prefix(20))) == [])
        let rest = Array(#"{"type":"ADDED","object":{"metadata":{"name":"a"}}}"#.utf8.dropFirst(20)) + Array("\n{\"type\":\"DELETED\",\"object\":{}}\n".utf8)
        #expect(try lines.feed(rest) == [
            WatchEvent(type: "ADDED", object: json(#"{"metadata":{"name":"a"}}"#)), WatchEvent(type: "DELETED", object: json("{}")),
        ])
    }

    @Test func aWatchErrorIsItsStatus() {
        var lines = WatchLines()
        #expect(throws: KubeError.status(code: 410, reason: "Expired", message: "too old resource version: 5 (90)")) {
            try lines.feed(Array(#"{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired","message":"too old resource version: 5 (90)"}}"#.utf8 + [10]))
        }
    }

    func json(_ text: String) -> JSON { try! JSON.parse(text) }
}
