import FleetAPI
import Foundation
import Testing
@testable import HubServer
@testable import Rollout

/// The hub's past under `/as-of/<seq|time>/`: reads from the journal replayed that far, writes refused.
struct PastViewTests {
    let server: APIHandlerTests

    init() throws {
        server = try APIHandlerTests()
    }

    let runPath = "/apis/placement.kubernetes-fleet.io/v1beta1/clusterstagedupdateruns/example-run"

    @Test func aRunIsShownAsItStoodAtASeqAndAtATime() async throws {
        try await SeedWalkthrough(hub: server.hub, pace: .virtual, out: { _ in }).play()
        let events = try History.envelopes(server.hub.journal)
        let started = try #require(events.first { if case .updateRunInitialized = $0.event { true } else { false } })
        let expected = try #require(try History.state(server.hub.journal, through: started.seq).render(ObjectKey(.clusterStagedUpdateRun, name: "example-run")))

        let (status, _, body) = await server.call("GET", "/as-of/\(started.seq)" + runPath)
        #expect(status == 200)
        #expect(body == expected.with(apiVersion: "placement.kubernetes-fleet.io/v1beta1"))
        // The walkthrough deletes the run at the end: the present has no such run.
        #expect(await server.call("GET", runPath).0 == 404)

        let atTime = try History.seq(server.hub.journal, at: started.time)
        let (timeStatus, _, byTime) = await server.call("GET", "/as-of/\(KubeTime.format(started.time))" + runPath)
        #expect(timeStatus == 200)
        let thenByTime = try History.state(server.hub.journal, through: atTime)
        #expect(byTime == thenByTime.render(ObjectKey(.clusterStagedUpdateRun, name: "example-run"))?.with(apiVersion: "placement.kubernetes-fleet.io/v1beta1"))

        let (listStatus, _, list) = await server.call("GET", "/as-of/\(started.seq)/apis/placement.kubernetes-fleet.io/v1beta1/clusterstagedupdateruns")
        #expect(listStatus == 200)
        #expect(list[path: ["metadata", "resourceVersion"]] == .string(String(started.seq)))
    }

    @Test func thePastRefusesWritesWatchesAndBadMoments() async throws {
        try await server.seedNamespace()
        let (write, _, refusal) = await server.call(
            "DELETE", "/as-of/1/api/v1/namespaces/test-namespace")
        #expect(write == 405)
        #expect(refusal["reason"] == "MethodNotAllowed")
        #expect(await server.call("GET", "/as-of/1/api/v1/namespaces", query: ["watch": "true"]).0 == 405)
        let (bad, _, badBody) = await server.call("GET", "/as-of/yesterday/api/v1/namespaces")
        #expect(bad == 400)
        #expect(badBody["message"]?.stringValue?.contains("neither a seq") == true)
        let (beyond, _, beyondBody) = await server.call("GET", "/as-of/999/api/v1/namespaces")
        #expect(beyond == 400)
        #expect(beyondBody["message"] == "as-of: seq 999 is not in the journal, which holds seqs 0 to 2")
        #expect(await server.call("GET", "/as-of/1/api").0 == 200)
        let (past, _, namespaces) = await server.call("GET", "/as-of/1/api/v1/namespaces")
        #expect(past == 200)
        #expect(namespaces["items"]?.arrayValue?.count == 1)
    }
}

/// Internals go to the log only.
struct InternalErrorTests {
    @Test func anInternalErrorNamesAnIdAndNoInternals() async throws {
        let server = try APIHandlerTests()
        try await server.seedNamespace()
        // A closed journal makes the replay under /as-of/ fail below the API: an error no Status describes.
        server.hub.journal.close()
        let (status, _, body) = await server.call("GET", "/as-of/1/api/v1/namespaces")
        #expect(status == 500)
        #expect(body["reason"] == "InternalError")
        let message = try #require(body["message"]?.stringValue)
        #expect(message.hasPrefix("Internal error occurred: the hub could not complete the request (see its log, error id "))
        #expect(!message.contains("journal"))
    }
}

extension JSON {
    fileprivate func with(apiVersion: String) -> JSON {
        var copy = self
        copy["apiVersion"] = .string(apiVersion)
        return copy
    }
}
