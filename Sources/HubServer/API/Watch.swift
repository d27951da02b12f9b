import FleetAPI
import Foundation
import Rollout

/// `?watch=true`: one JSON line per change, flushed as it happens, from a resourceVersion on.
extension ResourceHandler {
    func watch() async throws -> APIResponse {
        if past != nil { throw KubeStatus.methodNotAllowed("the hub's past under /as-of/ does not change: it cannot be watched") }
        let selectors = try Selectors(query: request.query)
        let since = request.query["resourceVersion"] ?? ""
        var initial: [ObjectChange] = []
        let changes: AsyncStream<ObjectChange>
        if since.isEmpty || since == "0" {
            let (state, stream) = await hub.watchFromNow()
            initial = state.objects(ofKind: kind, namespace: path.namespace).compactMap { object in
                state.render(object.key).map { ObjectChange(type: .added, key: object.key, object: $0, resourceVersion: object.resourceVersion) }
            }
            changes = stream
        } else {
            guard let version = Int64(since) else { throw KubeStatus.badRequest("invalid resourceVersion \"\(since)\"") }
            guard let stream = await hub.watch(after: version) else {
                return gone(since)
            }
            changes = stream
        }
        let timeout = request.query["timeoutSeconds"].flatMap(Double.init)
        let (output, continuation) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .unbounded)
        let handler = self
        let pump = Task {
            for change in initial where handler.selected(change, selectors) { continuation.yield(handler.line(change)) }
            for await change in changes where handler.selected(change, selectors) {
                continuation.yield(handler.line(change))
            }
            continuation.finish()
        }
        let timer = timeout.map { seconds in
            Task {
                try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
                continuation.finish()
            }
        }
        continuation.onTermination = { _ in
            pump.cancel()
            timer?.cancel()
        }
        return APIResponse(status: 200, contentType: request.wantsTable ? APIResponse.table : APIResponse.json, body: .stream(output))
    }

    func selected(_ change: ObjectChange, _ selectors: Selectors) -> Bool {
        change.key.kind == kind.kind && (path.namespace == nil || change.key.namespace == path.namespace)
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

    /// A watch from a resourceVersion older than the hub retains: the client must list again.
    func gone(_ since: String) -> APIResponse {
        let status = KubeStatus(code: 410, reason: "Expired", message: "too old resource version: \(since)")
        let event: JSON = ["type": "ERROR", "object": status.json]
        return APIResponse(status: 200, body: .bytes(event.serialized() + [UInt8(ascii: "\n")]))
    }
}
