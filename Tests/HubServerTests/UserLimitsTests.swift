import Access
import FleetAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import HubServer
@testable import Rollout

/// The per-user limits through the HTTP layer: the API server's 429 Status and `Retry-After` for a user over
/// their room, while other users and `system:masters` carry on, and nothing recorded for the refused request.
struct UserLimitsTests {
    let hub: Hub
    let api: APIHandler

    init() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path
        hub = try Hub(path: path, clock: ManualClock(Date(timeIntervalSince1970: 0)))
        let tokens = try TokenFile(
            csv: "alice-token,alice,uid-a\nbob-token,bob,uid-b\nadmin-token,admin,uid-0,system:masters\n", path: "tokens.csv")
        api = APIHandler(
            hub: hub, authenticator: Authenticator(certificates: nil, tokenFile: tokens, serviceAccounts: nil),
            limits: .init(requests: 1, watches: 1))
    }

    var limits: UserLimits { api.access!.limits }

    func application() -> some ApplicationProtocol {
        Application(
            responder: HubResponder(handler: api, metrics: HubMetrics(), logger: Logger(label: "test")),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)", .contentType: "application/json"] }

    /// Lets alice and bob read and write namespaces and config maps.
    func grant() async throws {
        let role: JSON = [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": ["name": "workers"],
            "rules": [["apiGroups": [""], "resources": ["namespaces", "configmaps"], "verbs": ["get", "list", "watch", "create"]]],
        ]
        let binding: JSON = [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": ["name": "workers"],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "workers"],
            "subjects": [
                ["apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "alice"],
                ["apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "bob"],
            ],
        ]
        try await hub.send(.apply(role), actor: "test")
        try await hub.send(.apply(binding), actor: "test")
    }

    static let tooMany =
        #"{"apiVersion":"v1","code":429,"details":{"retryAfterSeconds":1},"kind":"Status","message":"Too many requests, please try again later.","metadata":{},"reason":"TooManyRequests","status":"Failure"}"#

    @Test func aUserWithEveryRequestInFlightGets429AndRetryAfter() async throws {
        try await grant()
        let held = try #require(limits.admit(UserInfo(name: "alice"), .request))
        let before = await hub.state.lastSeq
        let configMap = ByteBuffer(string: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"default"}}"#)
        try await application().test(.router) { client in
            try await client.execute(uri: "/api/v1/namespaces", method: .get, headers: Self.bearer("alice-token")) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.retryAfter] == "1")
                #expect(String(buffer: response.body) == Self.tooMany)
            }
            try await client.execute(
                uri: "/api/v1/namespaces/default/configmaps", method: .post, headers: Self.bearer("alice-token"), body: configMap
            ) { response in
                #expect(response.status == .tooManyRequests)
            }
            #expect(await hub.state.lastSeq == before)
            try await client.execute(uri: "/api/v1/namespaces", method: .get, headers: Self.bearer("bob-token")) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/api/v1/namespaces", method: .get, headers: Self.bearer("admin-token")) { response in
                #expect(response.status == .ok)
            }
            held.release()
            try await client.execute(uri: "/api/v1/namespaces", method: .get, headers: Self.bearer("alice-token")) { response in
                #expect(response.status == .ok)
            }
        }
        #expect(limits.open == [:])
    }

    @Test(.timeLimit(.minutes(1))) func aUserWithEveryWatchOpenGets429UntilOneEnds() async throws {
        try await grant()
        try await application().test(.router) { client in
            async let first = client.execute(
                uri: "/api/v1/namespaces?watch=true&timeoutSeconds=1", method: .get, headers: Self.bearer("alice-token")
            ) { $0.status }
            while await hub.watchCount < 1 { await Task.yield() }
            #expect(limits.open == [.init("alice", .watch): 1])
            try await client.execute(uri: "/api/v1/namespaces?watch=true", method: .get, headers: Self.bearer("alice-token")) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.retryAfter] == "1")
                #expect(String(buffer: response.body) == Self.tooMany)
            }
            // A list is not a watch: alice still has room for it.
            try await client.execute(uri: "/api/v1/namespaces", method: .get, headers: Self.bearer("alice-token")) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(
                uri: "/api/v1/namespaces?watch=true&timeoutSeconds=0", method: .get, headers: Self.bearer("bob-token")
            ) { response in
                #expect(response.status == .ok)
            }
            #expect(try await first == .ok)
            #expect(limits.open == [:])
            try await client.execute(
                uri: "/api/v1/namespaces?watch=true&timeoutSeconds=0", method: .get, headers: Self.bearer("alice-token")
            ) { response in
                #expect(response.status == .ok)
            }
        }
        #expect(limits.open == [:])
    }
}
