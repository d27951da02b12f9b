import AsyncHTTPClient
public import FleetAPI
import NIOCore

/// One line of a watch: `ADDED`, `MODIFIED`, `DELETED` or `BOOKMARK` and the object.
public struct WatchEvent: Sendable, Equatable {
    public var type: String
    public var object: JSON
}

extension KubeClient {
    /// Watches a collection from `resourceVersion`, yielding each event as its line arrives. The stream finishes
    /// when the server closes the watch, and throws `KubeError` 410 when the version is too old (relist then) or on
    /// any other failure. `fieldSelector` (`metadata.name=NAME`) narrows it to one object, as `kubectl get NAME -w` does.
    public func watch(
        _ type: ResourceType, namespace: String? = nil, resourceVersion: String, fieldSelector: String? = nil,
        timeoutSeconds: Int = 300
    ) -> AsyncThrowingStream<WatchEvent, any Error> {
        let request = makeRequest(
            "GET", type.path(namespace: namespace),
            query: [
                ("watch", "true"), ("resourceVersion", resourceVersion), ("timeoutSeconds", "\(timeoutSeconds)"),
                ("allowWatchBookmarks", "true"),
            ] + (fieldSelector.map { [("fieldSelector", $0)] } ?? []), body: nil, contentType: "")
        let server = endpoint.server
        let http = self.http
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let response = try await http.execute(request, timeout: .seconds(Int64(timeoutSeconds) + 30))
                    guard response.status.code == 200 else {
                        let body = try await response.body.collect(upTo: 1 << 20)
                        throw KubeError.from(code: Int(response.status.code), body: Array(buffer: body))
                    }
                    var lines = WatchLines()
                    for try await chunk in response.body {
                        for event in try lines.feed(Array(buffer: chunk)) {
                            continuation.yield(event)
                        }
                    }
                    continuation.finish()
                } catch let error as KubeError {
                    continuation.finish(throwing: error)
                } catch is CancellationError {
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: KubeError.unreachable(server: server, message: "\(error)"))
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

/// Splits a watch body into its newline-delimited events; an `ERROR` event becomes the `KubeError` of its Status.
struct WatchLines {
    var pending: [UInt8] = []

    mutating func feed(_ bytes: [UInt8]) throws(KubeError) -> [WatchEvent] {
        pending += bytes
        var events: [WatchEvent] = []
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            let line = Array(pending[..<newline])
            pending.removeSubrange(...newline)
            guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }) else { continue }
            let event: JSON
            do {
                event = try JSON.parse(line)
            } catch {
                throw .malformed("a watch event is not JSON: \(error)")
            }
            let type = event["type"]?.stringValue ?? ""
            let object = event["object"] ?? .null
            if type == "ERROR" {
                throw .status(
                    code: Int(object["code"]?.intValue ?? 500), reason: object["reason"]?.stringValue ?? "",
                    message: object["message"]?.stringValue ?? "watch failed")
            }
            events.append(WatchEvent(type: type, object: object))
        }
        return events
    }
}
