import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// Watches are bounded: a slow watcher is closed and told to list again, and there is a cap on how many run.
struct WatchLimitTests {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path

    func namespace(_ name: String) -> JSON {
        ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]]
    }

    @Test func aWatcherThatFallsBehindIsClosedWithWordToListAgain() async throws {
        let hub = try Hub(path: path, clock: ManualClock(Date(timeIntervalSince1970: 0)), limits: WatchLimits(maxWatches: 10, watchBuffer: 3))
        guard case .started(let slow) = await hub.watch(after: 0) else { throw WatchDidNotStart() }
        for index in 0..<5 { try await hub.send(.apply(namespace("ns-\(index)")), actor: "test") }
        var received: [WatchEvent] = []
        for await event in slow { received.append(event) }
        #expect(received.count == 4)
        #expect(received.last == .fellBehind)
        #expect(await hub.watchCount == 0)
        hub.journal.close()
    }

    @Test func watchesBeyondTheCapAreRefusedUntilOneEnds() async throws {
        let hub = try Hub(path: path, clock: ManualClock(Date(timeIntervalSince1970: 0)), limits: WatchLimits(maxWatches: 2, watchBuffer: 100))
        guard case .started(let first) = await hub.watch(after: 0), case .started = await hub.watch(after: 0) else {
            throw WatchDidNotStart()
        }
        guard case .tooMany = await hub.watch(after: 0) else { throw WatchDidNotStart() }
        await hub.endWatches()
        for await _ in first {}
        #expect(await hub.watchCount == 0)
        hub.journal.close()
    }

    @Test func aWatchFromBeforeWhatIsRetainedIsTooOld() async throws {
        let hub = try Hub(path: path, clock: ManualClock(Date(timeIntervalSince1970: 0)), limits: WatchLimits(maxWatches: 10, watchBuffer: 2))
        for index in 0..<3 { try await hub.send(.apply(namespace("ns-\(index)")), actor: "test") }
        // Three changes since seq 0 do not fit a buffer of two: list again instead.
        guard case .tooOld = await hub.watch(after: 0) else { throw WatchDidNotStart() }
        hub.journal.close()
    }
}
