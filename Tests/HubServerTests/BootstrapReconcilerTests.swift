import Access
import FleetAPI
import Foundation
import Testing
@testable import HubServer
@testable import Rollout

/// The default roles land in the journal at start, once, and drift back unless opted out.
struct BootstrapReconcilerTests {
    let hub: Hub

    init() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path
        hub = try Hub(path: path, clock: ManualClock(KubeTime.parse("2026-12-01T10:00:00Z")!))
    }

    @Test func theDefaultsAreWrittenOnceAsTheAPIServer() async throws {
        #expect(try await BootstrapReconciler.reconcile(hub) == BootstrapPolicy.objects.count)
        #expect(try await BootstrapReconciler.reconcile(hub) == 0)
        let view = try #require(await hub.state.objects[ObjectKey(.clusterRole, name: "view")])
        #expect(view.labels["rbac.authorization.k8s.io/aggregate-to-edit"] == "true")
        let writers = Set(try History.envelopes(hub.journal).map(\.actor))
        #expect(writers == ["system:apiserver"])
    }

    @Test func aDriftedDefaultIsPutBackUnlessItOptsOut() async throws {
        try await BootstrapReconciler.reconcile(hub)
        var edited = try #require(await hub.render(ObjectKey(.clusterRole, name: "system:aggregate-to-view")))
        edited["rules"] = []
        try await hub.send(.update(edited), actor: "alice")
        #expect(try await BootstrapReconciler.reconcile(hub) == 1)
        #expect(await hub.state.objects[ObjectKey(.clusterRole, name: "system:aggregate-to-view")]?.json["rules"]?.arrayValue?.isEmpty == false)
        var pinned = try #require(await hub.render(ObjectKey(.clusterRole, name: "system:aggregate-to-view")))
        pinned["rules"] = []
        pinned[path: ["metadata", "annotations", "rbac.authorization.kubernetes.io/autoupdate"]] = "false"
        try await hub.send(.update(pinned), actor: "alice")
        #expect(try await BootstrapReconciler.reconcile(hub) == 0)
    }
}
