import CrashCheck
import FleetAPI
import Foundation
import Rollout

#if canImport(Glibc)
    import Glibc
#endif

/// Watches the kinds a rollout changes on whichever server is serving, as `kubectl get -w` would, and keeps
/// every object it was shown with the resourceVersion it was shown at.
///
/// A watch streams each change the moment the hub makes it, so a kill that lands between a change and its
/// commit is seen here whenever the change was shown first: after the restart that resourceVersion names
/// another state.
actor Watcher {
    static let kinds: [ResourceKind] = [
        .clusterStagedUpdateRun, .stagedUpdateRun, .clusterApprovalRequest, .approvalRequest,
        .clusterResourcePlacement, .resourcePlacement,
    ]

    let server: HubProcess
    private var streams: [WatchStream] = []
    private var following: URL?
    private var instance = 0
    private var observations: [Observation] = []
    private var seen: Set<String> = []

    init(server: HubProcess) {
        self.server = server
    }

    /// Follows the server across restarts until cancelled.
    func follow() async {
        while !Task.isCancelled {
            let serving = await server.serving
            if serving?.url != following {
                collect()
                streams.forEach { $0.stop() }
                streams = serving.map { base, _ in Self.kinds.map { WatchStream(base: base, kind: $0) } } ?? []
                following = serving?.url
                instance = serving?.instance ?? 0
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Stops watching and returns every object shown, once per object and resourceVersion.
    func finish() -> [Observation] {
        collect()
        streams.forEach { $0.stop() }
        streams = []
        return observations
    }

    private func collect() {
        for stream in streams {
            for (kind, event) in stream.take() {
                guard event["type"]?.stringValue != "DELETED", event["type"]?.stringValue != "ERROR",
                    let object = event["object"],
                    let version = object[path: ["metadata", "resourceVersion"]]?.stringValue.flatMap({ Int64($0) })
                else { continue }
                let key = ObjectKey(
                    kind, namespace: object[path: ["metadata", "namespace"]]?.stringValue ?? "",
                    name: object[path: ["metadata", "name"]]?.stringValue ?? "")
                guard seen.insert("\(key)@\(version)").inserted else { continue }
                observations.append(
                    Observation(
                        source: .object(key, apiVersion: kind.apiVersion), resourceVersion: version, items: [object],
                        server: instance))
            }
        }
    }
}

/// One `?watch=true` request over a plain socket, read on a thread of its own, its JSON lines gathered as they
/// arrive. Not URLSession: on Linux it polls in a busy loop while a streamed answer stays open, which took two
/// cores from the server.
///
/// - Note: The reading thread fills `events` and the watcher takes them; `lock` guards them.
final class WatchStream: @unchecked Sendable {
    let kind: ResourceKind
    private let lock = NSLock()
    private var events: [JSON] = []
    private let socket: Int32

    init(base: URL, kind: ResourceKind) {
        self.kind = kind
        let socket = Self.connect(host: base.host ?? "127.0.0.1", port: base.port ?? 80)
        self.socket = socket
        guard socket >= 0 else { return }
        let path = Driver.collection(kind, namespace: nil) + "?watch=true"
        let request = "GET \(path) HTTP/1.1\r\nHost: \(base.host ?? ""):\(base.port ?? 80)\r\nAccept: application/json\r\n"
            + "User-Agent: flotilla-crash-test\r\nConnection: close\r\n\r\n"
        _ = Array(request.utf8).withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        Thread { [self] in
            read(socket)
            close(socket)
        }.start()
    }

    /// The events received since the last call.
    func take() -> [(ResourceKind, JSON)] {
        lock.withLock {
            defer { events = [] }
            return events.map { (kind, $0) }
        }
    }

    /// Ends the request; the reading thread then sees the end and closes the socket.
    func stop() {
        if socket >= 0 { shutdown(socket, Int32(SHUT_RDWR)) }
    }

    private func read(_ socket: Int32) {
        var raw: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        var head: (chunked: Bool, length: Int)?
        var decoder = ChunkedBody()
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return }
            raw += chunk[0..<count]
            if head == nil {
                guard let end = raw.firstRange(of: Array("\r\n\r\n".utf8)) else { continue }
                let text = String(decoding: raw[..<end.lowerBound], as: UTF8.self).lowercased()
                head = (text.contains("transfer-encoding: chunked"), end.upperBound)
                raw.removeFirst(end.upperBound)
            }
            let body: [UInt8]
            if head!.chunked {
                body = decoder.decode(&raw)
            } else {
                body = raw
                raw = []
            }
            decoder.lines += body
            let lines = decoder.takeLines()
            guard !lines.isEmpty else { continue }
            let parsed = lines.compactMap { try? JSON.parse($0) }
            lock.withLock { events += parsed }
        }
    }

    private static func connect(host: String, port: Int) -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return -1 }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        inet_pton(AF_INET, host, &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(socket)
            return -1
        }
        return socket
    }
}

/// HTTP/1.1 chunked transfer decoding, fed as bytes arrive, and the complete lines of what it decoded.
struct ChunkedBody {
    /// Decoded bytes not yet ended by a newline.
    var lines: [UInt8] = []

    /// Takes the complete chunks from the front of `raw` and returns their data; a partial chunk stays in `raw`.
    mutating func decode(_ raw: inout [UInt8]) -> [UInt8] {
        var data: [UInt8] = []
        while let lineEnd = raw.firstRange(of: [13, 10]) {
            let sizeText = String(decoding: raw[..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { return data }
            guard raw.count >= lineEnd.upperBound + size + 2 else { break }
            data += raw[lineEnd.upperBound..<(lineEnd.upperBound + size)]
            raw.removeFirst(lineEnd.upperBound + size + 2)
            if size == 0 { break }
        }
        return data
    }

    /// The complete lines decoded so far, without their newlines.
    mutating func takeLines() -> [ArraySlice<UInt8>] {
        guard let last = lines.lastIndex(of: UInt8(ascii: "\n")) else { return [] }
        let complete = lines[...last].split(separator: UInt8(ascii: "\n"))
        lines = Array(lines[(last + 1)...])
        return complete.map { ArraySlice($0) }
    }
}
