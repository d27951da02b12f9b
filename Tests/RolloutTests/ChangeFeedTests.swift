import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// The change feed renders objects only for someone, and a new watch's backlog holds each changed object once.
struct ChangeFeedTests {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path

    func configMap(_ name: String, data: String) -> JSON {
        [
            "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": "app"],
            "data": ["value": .string(data)],
        ]
    }

    @Test func nothingIsRenderedWhileNobodyWatches() {
        var feed = ChangeFeed(after: 0)
        var renders = 0
        let key = ObjectKey(.namespace, name: "a")
        feed.publish(.init(type: .added, key: key, resourceVersion: 1)) { _ in
            renders += 1
            return .emptyObject
        }
        #expect(renders == 0)
        let (_, continuation) = AsyncStream<WatchEvent>.makeStream()
        _ = feed.add(continuation)
        feed.publish(.init(type: .modified, key: key, resourceVersion: 2)) { _ in
            renders += 1
            return .emptyObject
        }
        #expect(renders == 1)
    }

    @Test func changesOlderThanWhatIsRetainedAskForAList() {
        var feed = ChangeFeed(after: 5)
        #expect(feed.changes(after: 4) { _ in nil } == nil)
        #expect(feed.changes(after: 5) { _ in nil } == [])
        for seq in 6...Int64(6 + ChangeFeed.retained) {
            feed.publish(.init(type: .modified, key: ObjectKey(.namespace, name: "n\(seq)"), resourceVersion: seq)) { _ in nil }
        }
        #expect(feed.changes(after: 5) { _ in .emptyObject } == nil)
        #expect(feed.changes(after: 6) { _ in .emptyObject }?.count == ChangeFeed.retained)
    }

    @Test func aBacklogShowsEachChangedObjectOnceAtItsLatestChange() async throws {
        let hub = try Hub(path: path, clock: ManualClock(Date(timeIntervalSince1970: 0)))
        try await hub.send(.apply(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "app"]]), actor: "test")
        try await hub.send(.apply(configMap("kept", data: "1")), actor: "test")
        try await hub.send(.apply(configMap("gone", data: "1")), actor: "test")
        let listed = await hub.state.lastSeq
        try await hub.send(.apply(configMap("kept", data: "2")), actor: "test")
        try await hub.send(.apply(configMap("new", data: "1")), actor: "test")
        try await hub.send(.apply(configMap("kept", data: "3")), actor: "test")
        try await hub.send(.apply(configMap("new", data: "2")), actor: "test")
        try await hub.send(.delete(ObjectKey(.configMap, namespace: "app", name: "gone")), actor: "test")
        try await hub.send(.apply(configMap("brief", data: "1")), actor: "test")
        try await hub.send(.delete(ObjectKey(.configMap, namespace: "app", name: "brief")), actor: "test")
        guard case .started(let stream) = await hub.watch(after: listed) else { throw WatchDidNotStart() }
        await hub.endWatches()
        var changes: [ObjectChange] = []
        for await case .change(let change) in stream { changes.append(change) }
        #expect(changes.map { "\($0.type.rawValue) \($0.key.name) \($0.resourceVersion)" } == [
            "MODIFIED kept \(listed + 3)", "ADDED new \(listed + 4)", "DELETED gone \(listed + 5)",
        ])
        let state = await hub.state
        for change in changes where change.type != .deleted {
            #expect(change.object == state.render(change.key))
            #expect(change.object[path: ["metadata", "resourceVersion"]] == .string(String(change.resourceVersion)))
        }
        #expect(changes[2].object[path: ["data", "value"]] == "1")
        #expect(changes[2].object[path: ["metadata", "resourceVersion"]] == .string(String(listed + 5)))
        hub.journal.close()
    }
}
