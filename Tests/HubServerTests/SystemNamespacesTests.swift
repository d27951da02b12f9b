import FleetAPI
import Foundation
import Testing
@testable import HubServer
@testable import Rollout

/// A plain server has the namespaces every cluster has, as kube-apiserver creates them.
struct SystemNamespacesTests {
    @Test func theSystemNamespacesAreCreatedOnce() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path
        let hub = try Hub(path: path, clock: ManualClock(KubeTime.parse("2026-03-01T10:00:00Z")!), controllers: .plain())
        #expect(try await SystemNamespaces.ensure(hub) == 4)
        #expect(await hub.state.objects(ofKind: .namespace).map(\.key.name) == SystemNamespaces.names)
        #expect(try await SystemNamespaces.ensure(hub) == 0)
    }
}
