import FleetAPI
import Foundation
import Rollout

/// `?watch=true`: one JSON line per change, flushed as it happens, from a resourceVersion on.
extension ResourceHandler {
    /// Lines waiting for a slow client before the watch is closed with 410, as the API server closes it.
    static let outputBuffer = 1000

    func watch() async throws -> APIResponse {
        if past != nil { throw KubeStatus.methodNotAllowed("the hub's past under /as-of/ does not change: it cannot be watched") }
        let selectors = try Selectors(query: request.query)
        let timeout = try Self.timeout(request.query["timeoutSeconds"])
        let since = request.query["resourceVersion"] ?? ""
        var initial: [ObjectChange] = []
        let start: WatchStart
        if since.isEmpty || since == "0" {
            let (state, started) = await hub.watchFromNow()
            initial = state.objects(ofKind: kind, namespace: path.namespace).compactMap { object in
                state.render(object.key).map { ObjectChange(type: .added, key: object.key, object: $0, resourceVersion: object.resourceVersion) }
            }
            start = started
        } else {
            guard let version = Int64(since) else { throw KubeStatus.badRequest("invalid resourceVersion \"\(since)\"") }
            start = await hub.watch(after: version)
        }
        let changes: AsyncStream<WatchEvent>
        switch start {
        case .started(let stream): changes = stream
        case .tooOld: return APIResponse(status: 200, body: .bytes(gone(since)))
        case .tooMany:
            throw UserLimits.tooManyRequests
        }
        let (output, continuation) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .bufferingOldest(Self.outputBuffer + 1))
        let handler = self
        let pump = Task {
            // False once the client has fallen behind and been told to list again.
            func send(_ line: [UInt8]) -> Bool {
                guard case .enqueued(let remaining) = continuation.yield(line), remaining > 1 else {
                    continuation.yield(handler.gone(since))
                    return false
                }
                return true
            }
            // The initial state goes as one chunk: it is already in memory, and a burst must not count as slowness.
            let first = initial.filter { handler.selected($0, selectors) }.flatMap(handler.line)
            var open = first.isEmpty || send(first)
            if open {
                for await event in changes {
                    switch event {
                    case .change(let change):
                        if handler.selected(change, selectors) { open = send(handler.line(change)) }
                    case .fellBehind:
                        continuation.yield(handler.gone(since))
                        open = false
                    }
                    if !open { break }
                }
            }
            continuation.finish()
        }
        let timer = timeout.map { seconds in
            Task {
                try? await Task.sleep(for: seconds)
                continuation.finish()
            }
        }
        let slot = request.slot
        continuation.onTermination = { _ in
            slot?.release()
            pump.cancel()
            timer?.cancel()
        }
        return APIResponse(status: 200, contentType: request.wantsTable ? APIResponse.table : APIResponse.json, body: .stream(output))
    }

    /// `timeoutSeconds`, an int64 as in the API server's ListOptions: a fraction, an infinity or a number past
    /// int64 is refused rather than turned into a duration that cannot exist.
    static func timeout(_ text: String?) throws -> Duration? {
        guard let text else { return nil }
        guard let seconds = Int64(text) else {
            throw KubeStatus.badRequest("timeoutSeconds: Invalid value: \"\(text)\": must be a whole number of seconds")
        }
        return .seconds(seconds)
    }

    func selected(_ change: ObjectChange, _ selectors: Selectors) -> Bool {
        change.key.kind == kind.keyName && (path.namespace == nil || change.key.namespace == path.namespace)
            && selectors.matches(change.object)
    }

    func line(_ change: ObjectChange) -> [UInt8] {
        let object: JSON
        if request.wantsTable {
            object = Tables.table(kind, [change.object], resourceVersion: change.resourceVersion, now: hub.clock.now())
        } else {
            object = versioned(change.object)
        }
        let event: JSON = ["type": .string(change.type.rawValue), "object": object]
        return event.serialized() + [UInt8(ascii: "\n")]
    }

    /// The watch's end when the client must list again: its resourceVersion is too old, or it fell behind.
    func gone(_ since: String) -> [UInt8] {
        let status = KubeStatus(code: 410, reason: "Expired", message: "too old resource version: \(since)")
        let event: JSON = ["type": "ERROR", "object": status.json]
        return event.serialized() + [UInt8(ascii: "\n")]
    }
}
