import FleetAPI
import Foundation

extension Hub {
    /// The durable changes after `resourceVersion` followed by every later one, as they become durable. A watcher
    /// that falls `watchBuffer` changes behind gets `.fellBehind` and is closed; past `maxWatches` none starts.
    /// The stream ends when the caller stops iterating or the hub shuts down.
    public func watch(after resourceVersion: Int64) -> WatchStart {
        if closing { return .started(AsyncStream { $0.finish() }) }
        guard feed.subscribers.count < limits.maxWatches else { return .tooMany }
        guard let backlog = feed.changes(after: resourceVersion, render: { state.render($0) }) else { return .tooOld }
        guard backlog.count < limits.watchBuffer else { return .tooOld }
        // One slot beyond the buffer, for the word that the watcher fell behind.
        let (stream, continuation) = AsyncStream<WatchEvent>.makeStream(bufferingPolicy: .bufferingOldest(limits.watchBuffer + 1))
        for change in backlog { continuation.yield(.change(change)) }
        let id = feed.add(continuation)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(id) }
        }
        return .started(stream)
    }

    /// The durable state and every change after it, taken together so nothing falls between them.
    public func watchFromNow() -> (state: HubState, changes: WatchStart) {
        (state, watch(after: state.lastSeq))
    }

    func unsubscribe(_ id: Int) {
        feed.remove(id)
    }

    /// Watches open now.
    public var watchCount: Int { feed.subscribers.count }

    /// Ends every watch, and every later one at once: the hub is shutting down.
    public func endWatches() {
        closing = true
        feed.finishAll()
    }

    /// Stops for good: no timed work fires, every watch ends, and a checkpoint of the durable state is written
    /// so the next start replays nothing.
    public func shutdown() async {
        stop()
        endWatches()
        abandonMeasurements()
        await checkpointsWritten()
        guard refusal == nil, state.lastSeq > checkpointedSeq else { return }
        do {
            try await checkpoint()
        } catch {
            logger.error("could not write the shutdown checkpoint", metadata: ["cause": "\(error)"])
        }
    }
}
