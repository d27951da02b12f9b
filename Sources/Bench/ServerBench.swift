import CLZ4
import CSQLite
import Foundation
import Journal
import Rollout

/// Figures taken against `flotilla serve` (the release binary, a child process): HTTP creates, `kubectl get`,
/// and start-up.
enum ServerBench {
    /// A running `flotilla serve --port 0`, stopped with SIGTERM.
    final class Server {
        let child: Child
        let port: Int

        init(flotilla: String, db: String, memberLatency: Double, work: String, name: String, timeout: Double = 600) throws {
            let child = try Child(
                [flotilla, "serve", "--insecure-http", "--db", db, "--port", "0", "--member-latency", String(memberLatency)],
                stdoutPath: "\(work)/\(name).out", stderrPath: "\(work)/\(name).err")
            self.child = child
            let deadline = monotonic() + timeout
            while true {
                let text = child.output
                if let range = text.range(of: #"serving http://127\.0\.0\.1:\d+"#, options: .regularExpression),
                    let port = Int(text[range].split(separator: ":").last ?? "")
                {
                    self.port = port
                    break
                }
                var status: Int32 = 0
                if waitpid(child.pid, &status, WNOHANG) == child.pid {
                    let pid = child.pid
                    liveChildren.withLock { _ = $0.remove(pid) }
                    throw BenchError("flotilla serve exited before serving: \(((try? String(contentsOfFile: "\(work)/\(name).err", encoding: .utf8)) ?? "").suffix(300))")
                }
                if monotonic() > deadline {
                    child.stop()
                    throw BenchError("flotilla serve did not start within \(Int(timeout)) s")
                }
                usleep(2000)
            }
        }

        var url: String { "http://127.0.0.1:\(port)" }

        @discardableResult
        func stop() -> Int32 { child.stop(grace: 120).status }
    }

    static func post(_ client: HTTPClient, _ path: String, _ json: String) throws {
        let response = try client.request("POST", path, body: Array(json.utf8))
        guard (200..<300).contains(response.status) else {
            throw BenchError("POST \(path): HTTP \(response.status) \(String(decoding: response.body.prefix(200), as: UTF8.self))")
        }
    }

    static let runsPath = "/apis/placement.kubernetes-fleet.io/v1beta1/clusterstagedupdateruns"

    /// Creates runs one by one over HTTP up to `max(sizes) + 10`, within `cap` seconds, then times `kubectl get
    /// csur` against them. The median create around each size is over the creates made with size ± 10 runs present.
    static func createsAndKubectl(flotilla: String, sizes: [Int], cap: Double, kubectlRepeats: Int, work: String) throws -> [String: Any] {
        let db = "\(work)/http.journal"
        removeSQLiteFiles(db)
        defer { removeSQLiteFiles(db) }
        let server = try Server(flotilla: flotilla, db: db, memberLatency: 86_400, work: work, name: "serve-http")
        defer { server.stop() }
        let client = HTTPClient(port: server.port)
        try post(client, "/apis/cluster.kubernetes-fleet.io/v1beta1/memberclusters",
            #"{"apiVersion":"cluster.kubernetes-fleet.io/v1beta1","kind":"MemberCluster","metadata":{"name":"member1","labels":{"environment":"canary"}}}"#)
        try post(client, "/api/v1/namespaces", #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"bench"}}"#)
        try post(client, "/apis/placement.kubernetes-fleet.io/v1beta1/clusterresourceplacements",
            #"{"apiVersion":"placement.kubernetes-fleet.io/v1beta1","kind":"ClusterResourcePlacement","metadata":{"name":"p"},"spec":{"resourceSelectors":[{"group":"","kind":"Namespace","version":"v1","name":"bench"}],"policy":{"placementType":"PickAll"},"strategy":{"type":"External"}}}"#)
        try post(client, "/apis/placement.kubernetes-fleet.io/v1beta1/clusterstagedupdatestrategies",
            #"{"apiVersion":"placement.kubernetes-fleet.io/v1beta1","kind":"ClusterStagedUpdateStrategy","metadata":{"name":"s"},"spec":{"stages":[{"name":"canary","labelSelector":{"matchLabels":{"environment":"canary"}}}]}}"#)
        let target = (sizes.max() ?? 0) + 10
        var latencies: [Double] = []
        let fillStart = monotonic()
        var capped = false
        for index in 1...target {
            let body = #"{"apiVersion":"placement.kubernetes-fleet.io/v1beta1","kind":"ClusterStagedUpdateRun","metadata":{"name":"run-\#(index)"},"spec":{"placementName":"p","resourceSnapshotIndex":"0","stagedRolloutStrategyName":"s"}}"#
            let start = monotonic()
            try post(client, runsPath, body)
            latencies.append(monotonic() - start)
            if index % 1000 == 0 { progress("  \(index) runs created, last \(fmt(latencies.last! * 1000, 1)) ms") }
            if monotonic() - fillStart > cap {
                capped = true
                break
            }
        }
        let fill = monotonic() - fillStart
        var result: [String: Any] = ["created": latencies.count, "fill_s": fill, "capped": capped, "cap_s": cap]
        var perSize: [String: Any] = [:]
        for size in sizes {
            // Creates with `existing` runs already present, existing in size-10...size+10.
            let window = latencies.enumerated().filter { abs($0.offset - size) <= 10 }.map(\.element)
            if window.count >= 11 { perSize[String(size)] = median(window) * 1000 }
        }
        result["median_ms_at"] = perSize
        // kubectl against every run created.
        guard let kubectl = which("kubectl") else {
            result["kubectl_error"] = "kubectl is not on PATH"
            return result
        }
        let kubeconfig = "\(work)/kubeconfig"
        try runQuietly([flotilla, "kubeconfig", "--server", server.url, "--output", kubeconfig], in: work, name: "kubeconfig")
        let environment = ["KUBECONFIG": kubeconfig, "KUBECACHEDIR": "\(work)/kubecache"]
        // Verbatim, kubectl pages 500 at a time; unchunked it asks once, past its own client-side rate limit.
        for (key, arguments) in [("kubectl", ["get", "csur"]), ("kubectl_unchunked", ["get", "csur", "--chunk-size=0"])] {
            var times: [Double] = []
            var rows = 0
            for attempt in 0...kubectlRepeats {
                let start = monotonic()
                let child = try Child([kubectl] + arguments, stdoutPath: "\(work)/kubectl.out", stderrPath: "\(work)/kubectl.err", environment: environment)
                let status = child.wait().status
                let elapsed = monotonic() - start
                guard status == 0 else {
                    result["kubectl_error"] = "kubectl \(arguments.joined(separator: " ")) exited \(status): \(((try? String(contentsOfFile: "\(work)/kubectl.err", encoding: .utf8)) ?? "").prefix(200))"
                    return result
                }
                rows = child.output.split(separator: "\n").count - 1
                if attempt > 0 { times.append(elapsed) }
            }
            result["\(key)_rows"] = rows
            result["\(key)_s"] = median(times)
            result["\(key)_runs"] = times
        }
        // kubectl's own log of one verbatim run: each page's round trip, and how long its client-side limiter held
        // requests back, which is what bounds the verbatim figure.
        let verbose = try Child(
            [kubectl, "get", "csur", "-v=6"], stdoutPath: "\(work)/kubectl.out", stderrPath: "\(work)/kubectl-v6.err",
            environment: environment)
        _ = verbose.wait()
        let log = (try? String(contentsOfFile: "\(work)/kubectl-v6.err", encoding: .utf8)) ?? ""
        let (pageMilliseconds, throttled) = kubectlTimings(log)
        if !pageMilliseconds.isEmpty {
            result["kubectl_page_ms"] = median(pageMilliseconds)
            result["kubectl_pages"] = pageMilliseconds.count
        }
        result["kubectl_throttled"] = throttled.count
        result["kubectl_throttled_s"] = throttled.reduce(0, +)
        // kubectl's own start-up, for scale.
        let start = monotonic()
        _ = try Child([kubectl, "version", "--client"], stdoutPath: "\(work)/kv.out", stderrPath: "\(work)/kv.err", environment: environment).wait()
        result["kubectl_startup_s"] = monotonic() - start
        return result
    }

    /// From kubectl's `-v=6` log: the round trip of each list request for runs, in milliseconds, and each wait of its
    /// client-side rate limiter, in seconds (`Waited for 190.2ms due to client-side throttling, ...`).
    static func kubectlTimings(_ log: String) -> (pages: [Double], throttled: [Double]) {
        var pages: [Double] = []
        var throttled: [Double] = []
        for line in log.split(separator: "\n") {
            if line.contains("clusterstagedupdateruns?"), let range = line.range(of: " in "),
                let milliseconds = Double(line[range.upperBound...].prefix { $0.isNumber || $0 == "." }),
                line[range.upperBound...].contains("millisecond")
            {
                pages.append(milliseconds)
            }
            if let range = line.range(of: "Waited for ") {
                let text = line[range.upperBound...].prefix { $0.isNumber || $0 == "." || $0.isLetter }
                let number = Double(text.prefix { $0.isNumber || $0 == "." }) ?? 0
                let unit = text.drop { $0.isNumber || $0 == "." }
                throttled.append(unit == "ms" ? number / 1000 : unit == "µs" ? number / 1_000_000 : number)
            }
        }
        return (pages, throttled)
    }

    /// Seconds from starting `flotilla serve` on a copy of `journal` to its first `/readyz` 200.
    static func startup(flotilla: String, journal: String, checkpoint: Bool, repeats: Int, work: String) throws -> [Double] {
        if checkpoint { try primeCheckpoint(flotilla: flotilla, journal: journal, work: work) }
        var times: [Double] = []
        let copy = "\(work)/startup.journal"
        for _ in 0..<repeats {
            removeSQLiteFiles(copy)
            try FileManager.default.copyItem(atPath: journal, toPath: copy)
            if !checkpoint { try dropCheckpoints(copy) }
            let start = monotonic()
            let server = try Server(flotilla: flotilla, db: copy, memberLatency: 15, work: work, name: "serve-startup", timeout: 1800)
            defer { server.stop() }
            let deadline = monotonic() + 60
            while true {
                let client = HTTPClient(port: server.port)
                if let response = try? client.request("GET", "/readyz"), response.status == 200 { break }
                if monotonic() > deadline { throw BenchError("/readyz did not answer 200 within 60 s of listening") }
                usleep(1000)
            }
            times.append(monotonic() - start)
        }
        removeSQLiteFiles(copy)
        return times
    }

    /// Gives the cached benchmark journal a checkpoint at its end that this build can load: one written by an
    /// older build's layout is skipped, so start-up would measure a replay. A hub started on it once writes one.
    static func primeCheckpoint(flotilla: String, journal path: String, work: String) throws {
        func loadable() throws -> Bool {
            let journal = try Hub.openJournal(path: path, readOnly: true)
            defer { journal.close() }
            return try Hub.loadableCheckpointSeq(in: journal) == journal.lastSeq
        }
        guard try !loadable() else { return }
        let server = try Server(flotilla: flotilla, db: path, memberLatency: 15, work: work, name: "serve-prime", timeout: 1800)
        defer { server.stop() }
        let deadline = monotonic() + 600
        while try !loadable() {
            if monotonic() > deadline { throw BenchError("the hub wrote no loadable checkpoint of \(path) within 600 s") }
            // Each look decodes the image, which takes a second or two of CPU.
            sleep(3)
        }
    }

    static func dropCheckpoints(_ path: String) throws {
        var db: OpaquePointer?
        guard sqlite3_open(path, &db) == SQLITE_OK else { throw BenchError("cannot open \(path)") }
        defer { sqlite3_close(db) }
        guard sqlite3_exec(db, "DELETE FROM checkpoints", nil, nil, nil) == SQLITE_OK else {
            throw BenchError("cannot drop checkpoints: \(String(cString: sqlite3_errmsg(db)))")
        }
    }
}

/// Stored against canonical JSON bytes, beside plain LZ4 per event and LZ4 over the whole concatenated JSON.
enum Compression {
    static func measure(_ path: String) throws -> [String: Any] {
        let journal = try Hub.openJournal(path: path, readOnly: true)
        defer { journal.close() }
        let stats = try journal.stats()
        var perEvent = 0
        var all: [UInt8] = []
        all.reserveCapacity(Int(stats.rawBytes))
        try journal.scan(after: 0) { record in
            perEvent += min(record.payload.count, lz4(record.payload).count)
            all += record.payload
        }
        let whole = lz4(all).count
        return [
            "events": Int(stats.events), "raw_bytes": Int(stats.rawBytes), "stored_bytes": Int(stats.storedBytes),
            "dictionary_bytes": Int(stats.dictionaryBytes), "dictionaries": stats.dictionaries,
            "ratio": Double(stats.rawBytes) / Double(stats.storedBytes),
            "ratio_with_dictionaries": Double(stats.rawBytes) / Double(stats.storedBytes + stats.dictionaryBytes),
            "per_event_lz4_ratio": Double(stats.rawBytes) / Double(perEvent), "whole_lz4_ratio": Double(stats.rawBytes) / Double(whole),
        ]
    }

    static func lz4(_ bytes: [UInt8]) -> [UInt8] {
        guard !bytes.isEmpty else { return [] }
        let bound = Int(LZ4_compressBound(Int32(bytes.count)))
        return [UInt8](unsafeUninitializedCapacity: bound) { output, count in
            count = bytes.withUnsafeBytes { input in
                output.withMemoryRebound(to: CChar.self) { out in
                    Int(LZ4_compress_default(input.baseAddress!.assumingMemoryBound(to: CChar.self), out.baseAddress!, Int32(bytes.count), Int32(bound)))
                }
            }
        }
    }
}
