import FleetAPI
import Foundation

extension Hub {
    /// The durable changes after `resourceVersion` followed by every later one, as they become durable; nil when
    /// changes that old are no longer retained. The stream ends when the caller stops iterating or the hub shuts
    /// down.
    public func watch(after resourceVersion: Int64) -> AsyncStream<ObjectChange>? {
        if closing { return AsyncStream { $0.finish() } }
        guard let backlog = feed.changes(after: resourceVersion, lastSeq: state.lastSeq) else { return nil }
        let (stream, continuation) = AsyncStream<ObjectChange>.makeStream(bufferingPolicy: .unbounded)
        for change in backlog { continuation.yield(change) }
        let id = feed.add(continuation)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(id) }
        }
        return stream
    }

    /// The durable state and every change after it, taken together so nothing falls between them.
    public func watchFromNow() -> (state: HubState, changes: AsyncStream<ObjectChange>) {
        (state, watch(after: state.lastSeq) ?? AsyncStream { $0.finish() })
    }

    func unsubscribe(_ id: Int) {
        feed.subscribers[id] = nil
    }

    /// Ends every watch, and every later one at once: the hub is shutting down.
    public func endWatches() {
        closing = true
        for continuation in feed.subscribers.values { continuation.finish() }
        feed.subscribers.removeAll()
    }

    /// Stops for good: no timed work fires, every watch ends, and a checkpoint of the durable state is written
    /// so the next start replays nothing.
    public func shutdown() async {
        stop()
        endWatches()
        guard refusal == nil, state.lastSeq > checkpointedSeq else { return }
        do {
            try await checkpoint()
        } catch {
            logger.error("could not write the shutdown checkpoint", metadata: ["cause": "\(error)"])
        }
    }
}
