import Console
import FleetAPI
import Foundation
import Testing
import X509
@testable import HubServer
@testable import Rollout

/// The web console under `/ui/`: its assets to anyone, and a run's timeline only through the API, as the caller.
struct ConsoleRoutesTests {
    let server: APIHandlerTests

    init() throws {
        server = try APIHandlerTests()
    }

    static let runPath = "/apis/placement.kubernetes-fleet.io/v1beta1/clusterstagedupdateruns/example-run"
    static let run = ObjectKey(.clusterStagedUpdateRun, name: "example-run")

    func get(_ api: APIHandler, _ path: String, as user: Certificate? = nil) async -> APIResponse {
        await api.handle(APIRequest(method: "GET", path: path, headers: ["accept": "application/json"], clientCertificate: user))
    }

    @Test func theAssetsAreServedWithTheirContentTypes() async {
        let page = await get(server.api, "/ui/")
        #expect(page.status == 200)
        #expect(page.contentType == "text/html; charset=utf-8")
        #expect(String(decoding: page.bytes, as: UTF8.self) == ConsolePage.html)
        let script = await get(server.api, "/ui/console.js")
        #expect(script.status == 200)
        #expect(script.contentType == "text/javascript; charset=utf-8")
        #expect(String(decoding: script.bytes, as: UTF8.self) == ConsoleScript.source)
        let style = await get(server.api, "/ui/console.css")
        #expect(style.contentType == "text/css; charset=utf-8")
        let bare = await get(server.api, "/ui")
        #expect(bare.status == 301)
        #expect(bare.headers == ["Location": "ui/"])
        #expect(await get(server.api, "/ui/nothing").status == 404)
        let post = await server.api.handle(APIRequest(method: "POST", path: "/ui/"))
        #expect(post.status == 405)
    }

    @Test func aFinishedRunIsDrawnAsItStoodAtItsLastStep() async throws {
        try await SeedWalkthrough(hub: server.hub, pace: .virtual, out: { _ in }).play()
        let envelopes = try History.envelopes(server.hub.journal)
        let succeeded = try #require(envelopes.first { $0.event == .updateRunSucceeded(RunRef(run: Self.run)) })
        let response = await get(server.api, "/ui/timeline/as-of/\(succeeded.seq)" + Self.runPath)
        #expect(response.status == 200)
        #expect(response.contentType == "image/svg+xml")
        let svg = String(decoding: response.bytes, as: UTF8.self)

        let run = await get(server.api, "/as-of/\(succeeded.seq)" + Self.runPath)
        let approved = try #require(Audit.lines(envelopes, AuditQuery(run: Self.run)).first { $0.action == "Approved" })
        let view = try RunView(
            run: try JSON.parse(run.bytes), approvals: ["example-run-canary": Approval(by: approved.actor, at: approved.time, message: "")])
        #expect(svg == TimelineSVG.render(view, now: succeeded.time))
        #expect(svg.contains("example-run-canary: approved by kubectl at \(KubeTime.format(approved.time))"))
    }

    @Test func anApprovalNotYetGivenAtTheMomentShownNamesNoApprover() async throws {
        try await SeedWalkthrough(hub: server.hub, pace: .virtual, out: { _ in }).play()
        let envelopes = try History.envelopes(server.hub.journal)
        let requested = try #require(envelopes.first { envelope in
            if case .approvalRequested(let task) = envelope.event { task.run == Self.run } else { false }
        })
        let svg = String(decoding: await get(server.api, "/ui/timeline/as-of/\(requested.seq)" + Self.runPath).bytes, as: UTF8.self)
        #expect(svg.contains("example-run-canary: waiting for approval"))
        #expect(!svg.contains("approved by"))
    }

    @Test func aTimelineIsReadAsTheCallerAndOnlyForRuns() async throws {
        let access = try AccessControlTests()
        // The page holds no data: anyone may load it.
        #expect(await get(access.api, "/ui/").status == 200)
        let anonymous = await get(access.api, "/ui/timeline" + Self.runPath)
        #expect(anonymous.status == 401)
        #expect(anonymous.bytes == AccessControl.unauthorized.bytes)
        // With credentials, the GET goes through: the run does not exist.
        let admin = await get(access.api, "/ui/timeline" + Self.runPath, as: try access.admin)
        #expect(admin.status == 404)
        #expect((try JSON.parse(admin.bytes))["message"] == "clusterstagedupdateruns.placement.kubernetes-fleet.io \"example-run\" not found")
        // A user without a grant on runs gets the API server's 403 for the run, not a picture.
        let bob = await get(access.api, "/ui/timeline" + Self.runPath, as: try access.certificate("bob"))
        #expect(bob.status == 403)
        let placement = await get(access.api, "/ui/timeline/apis/placement.kubernetes-fleet.io/v1beta1/clusterresourceplacements/p", as: try access.admin)
        #expect(placement.status == 404)
        #expect((try JSON.parse(placement.bytes))["message"]?.stringValue?.hasPrefix("the console draws timelines of staged update runs") == true)
    }

    @Test func theSnapshotsEndpointDiffsTwoIndices() async throws {
        try await server.seedNamespace()
        try await server.hub.send(.apply(YAML.parse(SeedManifests.placement)), actor: "test")
        try await server.hub.send(.apply(YAML.parse(SeedManifests.configMap(value: "value2"))), actor: "test")
        let (status, contentType, _) = await server.call("GET", "/flotilla/v1/snapshots", query: ["placement": "example-placement", "diff": "0,1"])
        #expect(status == 200)
        #expect(contentType == "text/plain; charset=utf-8")
        let diff = await server.api.handle(APIRequest(method: "GET", path: "/flotilla/v1/snapshots", query: ["placement": "example-placement", "diff": "0,1"]))
        let text = String(decoding: diff.bytes, as: UTF8.self)
        #expect(text.hasPrefix("--- example-placement@0 ConfigMap/test-namespace/test-cm\n+++ example-placement@1 ConfigMap/test-namespace/test-cm\n"))
        #expect(text.contains("\n-  key: value1\n+  key: value2\n"))
        let (bad, _, body) = await server.call("GET", "/flotilla/v1/snapshots", query: ["placement": "example-placement", "diff": "0,7"])
        #expect(bad == 400)
        #expect(body["message"] == "diff: placement example-placement never took a resource snapshot with index 7")
    }
}
