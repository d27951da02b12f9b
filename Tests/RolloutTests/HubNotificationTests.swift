import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// The hub's delivery loop against a transport that records what it is sent: each event once, its position kept
/// in the journal across a restart, a failure recorded and retried.
struct HubNotificationTests {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path
    let clock = ManualClock(SeedWalkthrough.virtualStart)
    let sink = ObjectKey(.notificationSink, name: "chat")

    /// Records each body, and the `Idempotency-Key` of every attempt; fails the first `failures` POSTs.
    actor Receiver: NotificationTransport {
        var bodies: [JSON] = []
        var keys: [String] = []
        var failures: Int
        init(failures: Int = 0) { self.failures = failures }

        func post(_ body: [UInt8], to url: String, idempotencyKey: String) async throws {
            keys.append(idempotencyKey)
            if failures > 0 {
                failures -= 1
                throw URLError(.cannotConnectToHost)
            }
            bodies.append(try JSON.parse(body))
        }
    }

    func hub(_ receiver: Receiver) async throws -> Hub {
        let hub = try Hub(path: path, clock: clock)
        try await hub.resume()
        await hub.startRealTime()
        await hub.startNotifications(transport: receiver)
        return hub
    }

    /// A run whose placement does not exist fails to initialize: one `RunFailed` per run.
    func failRun(_ name: String, on hub: Hub) async throws {
        try await hub.send(.apply(YAML.parse(Fixtures.runManifest(name: name, placement: "missing"))), actor: "test")
    }

    func status(_ hub: Hub) async throws -> NotificationSinkStatus? {
        try await hub.render(sink)?["status"].map { try $0.decode(NotificationSinkStatus.self) }
    }

    /// Waits on the wall clock for the loop, up to five seconds.
    func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<500 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    @Test func eachEventIsSentOnceAndARestartResumesFromTheRecordedPosition() async throws {
        let receiver = Receiver()
        var hub = try await hub(receiver)
        try await hub.send(.apply(YAML.parse("apiVersion: flotilla.dev/v1alpha1\nkind: NotificationSink\nmetadata:\n  name: chat\nspec:\n  url: http://receiver.test/\n  events: [RunFailed]")), actor: "test")
        try await failRun("first", on: hub)
        #expect(try await eventually { await receiver.bodies.count == 1 })
        #expect(try await eventually { try await status(hub)?.deliveredCount == 1 })
        let delivered = try #require(try await status(hub))
        let body = await receiver.bodies[0]
        #expect(body["event"] == "RunFailed")
        #expect(body["run"] == "first")
        #expect(delivered.lastDeliveredSeq == body["seq"]?.intValue)
        #expect(delivered.position == delivered.lastDeliveredSeq)

        await hub.shutdown()
        hub = try await self.hub(receiver)
        try await failRun("second", on: hub)
        #expect(try await eventually { await receiver.bodies.count == 2 })
        #expect(try await eventually { try await status(hub)?.deliveredCount == 2 })
        #expect(await receiver.bodies.map { $0["run"]?.stringValue } == ["first", "second"])
        let uid = try #require(await hub.state.objects[sink]?.json[path: ["metadata", "uid"]]?.stringValue)
        let seqs = await receiver.bodies.compactMap { $0["seq"]?.intValue }
        #expect(await receiver.keys == seqs.map { "\(uid)/\($0)" })
        await hub.shutdown()
    }

    @Test func aFailureIsRecordedAndRetriedWithoutHoldingUpTheRun() async throws {
        let receiver = Receiver(failures: 1)
        let hub = try await hub(receiver)
        try await hub.send(.apply(YAML.parse("apiVersion: flotilla.dev/v1alpha1\nkind: NotificationSink\nmetadata:\n  name: chat\nspec:\n  url: http://receiver.test/\n  events: [RunFailed]")), actor: "test")
        try await failRun("first", on: hub)
        #expect(await hub.state.runs[ObjectKey(.clusterStagedUpdateRun, name: "first")]?.initializationFailed == true)
        #expect(try await eventually { try await status(hub)?.failedAttempts == 1 })
        #expect(try await status(hub)?.lastError?.isEmpty == false)
        // Retried after the first backoff, a second.
        #expect(try await eventually { try await status(hub)?.deliveredCount == 1 })
        #expect(await receiver.bodies.count == 1)
        // The retry is the same delivery: a receiver that saw the failed attempt can tell.
        let keys = await receiver.keys
        #expect(keys.count == 2 && keys[0] == keys[1])
        #expect(try await status(hub)?.failedAttempts == nil)
        await hub.shutdown()
    }
}
