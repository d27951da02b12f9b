import CrashCheck
import FleetAPI
import Foundation
import Rollout

#if canImport(FoundationNetworking)
    import FoundationNetworking
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

/// One `?watch=true` request, its JSON lines gathered as they arrive.
///
/// - Note: URLSession calls the delegate on its own queue; `lock` guards what it fills.
final class WatchStream: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let kind: ResourceKind
    private let lock = NSLock()
    private var pending = Data()
    private var events: [JSON] = []
    private var session: URLSession!

    init(base: URL, kind: ResourceKind) {
        self.kind = kind
        super.init()
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 3600
        session = URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
        var request = URLRequest(url: URL(string: base.absoluteString + Driver.collection(kind, namespace: nil) + "?watch=true")!)
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        session.dataTask(with: request).resume()
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        lock.withLock {
            pending.append(data)
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending[pending.startIndex..<newline]
                pending = Data(pending[pending.index(after: newline)...])
                if let event = try? JSON.parse(Array(line)) { events.append(event) }
            }
        }
    }

    /// The events received since the last call.
    func take() -> [(ResourceKind, JSON)] {
        lock.withLock {
            defer { events = [] }
            return events.map { (kind, $0) }
        }
    }

    func stop() {
        session.invalidateAndCancel()
    }
}
