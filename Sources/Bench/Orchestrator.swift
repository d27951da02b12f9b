import Foundation
import Journal
import Rollout

/// Runs every figure, prints the table and writes the JSON.
final class Orchestrator {
    /// How this benchmark (and the hub it spawns, built alongside) was compiled: debug figures only show it runs.
    #if DEBUG
    static let buildConfiguration = "debug build"
    #else
    static let buildConfiguration = "release"
    #endif

    struct Sizes {
        var corpusEvents: Int
        var appendSingle: Int
        var appendBatch: Int
        var appendConcurrent: Int
        var repeats: Int
        var replayRepeats: Int
        var oneRunMembers: Int
        var oneRunConcurrency: Int
        var manyMembers: Int
        var manyPlacements: Int
        var manyRuns: Int
        var httpSizes: [Int]
        var httpCap: Double
        var scaleCap: Double
        var startupRepeats: Int
        var reactionSerial: Int
        var reactionGates: Int
        var reactionRounds: Int
        var shortRuns: Int

        /// KubeFleet's scale test: 1,000 members, 1,000 placements, 100 concurrent runs. Appends are timed 5 times
        /// and one by one over 2,000 events: a durable commit's fsync on this shared disk moves by a quarter from
        /// second to second, and 3 runs of 1,000 put one append's ratio to raw SQLite anywhere from 0.75x to 1.00x.
        static let full = Sizes(
            corpusEvents: 1_000_000, appendSingle: 2000, appendBatch: 20_000, appendConcurrent: 2000, repeats: 5,
            replayRepeats: 3, oneRunMembers: 10_000, oneRunConcurrency: 100, manyMembers: 1000, manyPlacements: 1000,
            manyRuns: 100, httpSizes: [10, 1000, 10_000], httpCap: 1200, scaleCap: 300, startupRepeats: 3,
            reactionSerial: 200, reactionGates: 30, reactionRounds: 7, shortRuns: 20_000)
        static let quick = Sizes(
            corpusEvents: 20_000, appendSingle: 200, appendBatch: 2000, appendConcurrent: 200, repeats: 3,
            replayRepeats: 3, oneRunMembers: 200, oneRunConcurrency: 10, manyMembers: 100, manyPlacements: 20,
            manyRuns: 5, httpSizes: [10, 100, 200], httpCap: 30, scaleCap: 60, startupRepeats: 3,
            reactionSerial: 30, reactionGates: 10, reactionRounds: 2, shortRuns: 200)
    }

    struct Row {
        var figure: String
        var settings: String
        var value: String
        var goal: String
        var verdict: String
    }

    let quick: Bool
    var sizes: Sizes
    let flotilla: String
    let bench: String
    let peer: String
    let cache: String
    let jsonPath: String?
    /// The figures to run (`--only append,replay,...`); all when empty.
    let only: Set<String>
    /// A PostgreSQL database for the journal-on-PostgreSQL figures (`--postgres URL`); none without it.
    let postgres: PostgresBench?
    let work: String
    var rows: [Row] = []
    var keys: [String: Any] = [:]
    var reasons: [String: String] = [:]
    var details: [String: Any] = [:]

    init(_ arguments: Arguments) throws {
        quick = arguments.flags.contains("quick")
        sizes = quick ? .quick : .full
        if let cap = arguments.values["scale-cap"].flatMap(Double.init) { sizes.scaleCap = cap }
        flotilla = try arguments.string("flotilla")
        peer = try arguments.string("peer")
        cache = arguments.values["cache"] ?? ".build/bench"
        jsonPath = arguments.values["json"]
        only = Set((arguments.values["only"] ?? "").split(separator: ",").map(String.init))
        postgres = arguments.values["postgres"].map { PostgresBench(url: $0) }
        bench = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
        work = NSTemporaryDirectory() + "flotilla-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    }

    func row(_ figure: String, _ settings: String, _ value: String, _ goal: String = "-", _ verdict: String = "-") {
        rows.append(Row(figure: figure, settings: settings, value: value, goal: goal, verdict: verdict))
    }

    func verdict(_ met: Bool) -> String { met ? "met" : "missed" }

    func missing(_ key: String, _ figure: String, _ settings: String, _ reason: String, goal: String = "-") {
        keys[key] = NSNull()
        reasons[key] = reason
        row(figure, settings, "not measured: \(reason)", goal, "-")
        progress("\(figure): not measured: \(reason)")
    }

    func run() async throws {
        defer { try? FileManager.default.removeItem(atPath: work) }
        let started = monotonic()
        progress("\(quick ? "quick" : "full") run; work in \(work)")
        let corpus = try await Corpus.load(events: sizes.corpusEvents, directory: cache)
        details["corpus"] = corpus.description
        await step("append") { try await self.append(corpus) }
        await step("replay") { try self.replay(corpus) }
        await step("postgres") { try await self.postgres(corpus) }
        await step("compression") { try self.compression(corpus) }
        await step("scale one run") { try self.scaleOneRun() }
        await step("scale many runs") { try self.scaleManyRuns() }
        await step("short runs") { try self.shortRuns() }
        await step("reaction") { try await self.reaction() }
        await step("startup") { try self.startup(corpus) }
        await step("http") { try self.http() }
        details["total_s"] = monotonic() - started
        report()
    }

    func step(_ name: String, _ body: () async throws -> Void) async {
        guard only.isEmpty || only.contains(name.replacingOccurrences(of: " ", with: "-")) else { return }
        progress("measuring \(name)")
        let start = monotonic()
        do {
            try await body()
        } catch {
            progress("\(name) failed: \(error)")
            row(name, "-", "failed: \(error)")
        }
        progress("\(name) took \(fmt(monotonic() - start, 1)) s")
    }

    // MARK: Figures

    func append(_ corpus: Corpus) async throws {
        let count = max(sizes.appendSingle, sizes.appendBatch, sizes.appendConcurrent)
        let rows = try AppendBench.events(from: corpus, count: count)
        var flotillaRates: [String: Double] = [:]
        var rawRates: [String: Double] = [:]
        var normalRates: [String: [String: Double]] = ["flotilla": [:], "raw": [:]]
        var peerRates: [String: Double] = [:]
        var oneRowRuns: [Double] = []
        // The peer saves the same events with FULL, once in each repeat beside Flotilla's and raw SQLite's runs, so
        // all three meet the same moment of this shared disk: 1 per save against 1 per append and against the 8
        // concurrent appenders, 100 per save against 100 per append.
        let peerBatches: [String: Int] = ["single": 1, "batch": 100, "concurrent": 1]
        var peerFailure: String?
        let modes: [(String, AppendBench.Mode, Int)] = [
            ("single", .single, sizes.appendSingle), ("batch", .batch(100), sizes.appendBatch),
            ("concurrent", .concurrent(8), sizes.appendConcurrent),
        ]
        for synchronous in Synchronous.allCases {
            let settings = "WAL, synchronous=\(synchronous.rawValue)"
            for (name, mode, n) in modes {
                let slice = Array(rows.prefix(n))
                let peerBatch = synchronous == .full && peerFailure == nil ? peerBatches[name] : nil
                let input = "\(work)/peer-events-\(name).tsv"
                if peerBatch != nil { try AppendBench.writePeerInput(slice, to: input) }
                var flotilla: [Double] = []
                var raw: [Double] = []
                var peerRuns: [Double] = []
                for _ in 0..<sizes.repeats {
                    flotilla.append(try await AppendBench.flotilla(slice, mode: mode, synchronous: synchronous, work: work))
                    raw.append(try AppendBench.raw(slice, mode: mode, synchronous: synchronous, work: work))
                    if synchronous == .full, case .batch(let size) = mode {
                        oneRowRuns.append(try AppendBench.rawOneRowPerCommit(slice, size: size, work: work))
                    }
                    guard let peerBatch, peerFailure == nil else { continue }
                    do {
                        peerRuns.append(try peerRate(input, batch: peerBatch, name: name))
                    } catch {
                        peerFailure = "\(error)"
                    }
                }
                if !peerRuns.isEmpty, peerFailure == nil { peerRates[name] = median(peerRuns) }
                if synchronous == .full {
                    flotillaRates[name] = median(flotilla)
                    rawRates[name] = median(raw)
                } else {
                    normalRates["flotilla"]![name] = median(flotilla)
                    normalRates["raw"]![name] = median(raw)
                }
                let ratio = median(flotilla) / median(raw)
                let figure = synchronous == .full ? "append, durable: \(mode)" : "append, synchronous=NORMAL: \(mode)"
                row(
                    figure, "\(grouped(n)) events, \(settings), median of \(sizes.repeats)",
                    "Flotilla \(rate(median(flotilla)))/s, raw SQLite \(rate(median(raw)))/s (\(fmt(ratio))x)", ">= 0.8x raw",
                    verdict(ratio >= 0.8))
            }
        }
        details["append_normal"] = normalRates
        keys["append_vs_raw_ratio"] = flotillaRates["batch"]! / rawRates["batch"]!
        details["append"] = ["flotilla": flotillaRates, "raw": rawRates]

        if let peerFailure {
            missing("append_vs_peer_ratio", "append vs peer", "eventsourcing 9 SQLite recorder", peerFailure, goal: ">= 5x")
            return
        }
        let peerInfo = details["peer"] as? [String: Any] ?? [:]
        let peerSettings = "eventsourcing \(peerInfo["version"] ?? "?"), SQLite \(peerInfo["sqlite"] ?? "?"), journal_mode=\(peerInfo["journal_mode"] ?? "?"), synchronous=\(peerInfo["synchronous"] ?? "?") (2 = FULL); median of \(sizes.repeats), each beside Flotilla's"
        let atBatch = flotillaRates["batch"]! / peerRates["batch"]!
        let concurrentVsSingle = flotillaRates["concurrent"]! / peerRates["concurrent"]!
        // No durable commit of 100 events is quicker than raw SQLite's durable commit of one row on the same disk,
        // so that commit rate times 100 bounds any journal here, whatever it stores per row; storing each commit's
        // events as one compressed row, and nothing else, is how near a journal could come to it.
        let ceiling = rawRates["single"]! * 100
        let oneRow = median(oneRowRuns)
        row(
            "append vs peer: 100 per commit", "\(grouped(sizes.appendBatch)) events; \(peerSettings)",
            "Flotilla \(rate(flotillaRates["batch"]!))/s, peer \(rate(peerRates["batch"]!))/s (\(fmt(atBatch))x); "
                + "raw SQLite storing each commit's 100 events as one LZ4 row and nothing else \(rate(oneRow))/s "
                + "(\(fmt(oneRow / peerRates["batch"]!))x the peer); ceiling on this disk: 100 events per raw SQLite "
                + "1-row durable commit (\(rate(rawRates["single"]!))/s) is \(rate(ceiling))/s, "
                + "\(fmt(ceiling / peerRates["batch"]!))x the peer",
            ">= 5x", verdict(atBatch >= 5))
        details["append_vs_peer_ceiling_ratio"] = ceiling / peerRates["batch"]!
        details["append_vs_peer_one_row_ratio"] = oneRow / peerRates["batch"]!
        row(
            "append vs peer: 1 per commit", "peer 1 per save; Flotilla 8 concurrent 1-event appenders (\(grouped(sizes.appendConcurrent)) events) and 1 per append (\(grouped(sizes.appendSingle)))",
            "Flotilla 8 concurrent \(rate(flotillaRates["concurrent"]!))/s, peer \(rate(peerRates["concurrent"]!))/s (\(fmt(concurrentVsSingle))x); 1 per append \(rate(flotillaRates["single"]!))/s, peer \(rate(peerRates["single"]!))/s",
            ">= 5x", verdict(concurrentVsSingle >= 5))
        keys["append_vs_peer_ratio"] = atBatch
        details["peer_rates"] = peerRates
    }

    /// One run of the peer over the events in `input`, `batch` per save, in events per second.
    func peerRate(_ input: String, batch: Int, name: String) throws -> Double {
        let (result, _) = try runChild(
            ["/usr/bin/env", "python3", peer, input, work, String(batch), "1"], in: work, name: "peer-\(name)", timeout: 900)
        guard let eventsPerSecond = result["events_per_s"] as? Double else { throw BenchError("the peer printed no rate") }
        details["peer"] = result.filter { $0.key != "events_per_s" && $0.key != "runs" }
        return eventsPerSecond
    }

    func replay(_ corpus: Corpus) throws {
        let (result, peak) = try runChild(
            [bench, "replay", "--db", corpus.path, "--repeats", String(sizes.replayRepeats)], in: work, name: "replay", timeout: 3600)
        let perSecond = result["events_per_s"] as? Double ?? 0
        keys["replay_events_per_s"] = perSecond
        details["replay"] = result
        row(
            "replay", "all projections from \(corpus.description); median of \(sizes.replayRepeats), fresh process",
            "\(rate(perSecond)) events/s (\(fmt(result["seconds"] as? Double ?? 0)) s); read only \(rate(result["read_events_per_s"] as? Double ?? 0))/s, read+decode \(rate(result["read_decode_events_per_s"] as? Double ?? 0))/s, fold only \(rate(result["fold_events_per_s"] as? Double ?? 0))/s (its thread's CPU \(rate(result["fold_cpu_events_per_s"] as? Double ?? 0))/s); peak \(rate(peak)) MiB",
            ">= 1,000,000/s", verdict(perSecond >= 1_000_000))
    }

    /// Appends (durable, the three modes) and a replay on the PostgreSQL journal, set beside the SQLite journal's.
    func postgres(_ corpus: Corpus) async throws {
        guard let postgres else {
            return missing("postgres_append_batch_per_s", "PostgreSQL journal", "-", "no --postgres server (tools/bench starts one)")
        }
        let rows = try AppendBench.events(from: corpus, count: max(sizes.appendSingle, sizes.appendBatch, sizes.appendConcurrent))
        let modes: [(String, AppendBench.Mode, Int)] = [
            ("single", .single, sizes.appendSingle), ("batch", .batch(100), sizes.appendBatch),
            ("concurrent", .concurrent(8), sizes.appendConcurrent),
        ]
        var rates: [String: Double] = [:]
        for (name, mode, n) in modes {
            let slice = Array(rows.prefix(n))
            var runs: [Double] = []
            for _ in 0..<sizes.repeats { runs.append(try await postgres.append(slice, mode: mode, synchronous: .full)) }
            rates[name] = median(runs)
            let sqlite = (details["append"] as? [String: [String: Double]])?["flotilla"]?[name]
            row(
                "append on PostgreSQL, durable: \(mode)", "\(grouped(n)) events, synchronous_commit=on, loopback, median of \(sizes.repeats)",
                "\(rate(median(runs)))/s" + (sqlite.map { " (SQLite journal \(rate($0))/s)" } ?? ""))
        }
        keys["postgres_append_batch_per_s"] = rates["batch"]
        let copyStart = monotonic()
        let url = try await postgres.copy(corpus)
        let copySeconds = monotonic() - copyStart
        let (result, _) = try runChild(
            [bench, "replay", "--db", url, "--repeats", String(sizes.replayRepeats)], in: work, name: "replay-postgres",
            timeout: 3600)
        let perSecond = result["events_per_s"] as? Double ?? 0
        keys["postgres_replay_events_per_s"] = perSecond
        details["postgres"] = ["append": rates, "replay": result, "copy_s": copySeconds]
        row(
            "replay on PostgreSQL", "all projections from \(corpus.description), copied in \(fmt(copySeconds, 1)) s; median of \(sizes.replayRepeats), fresh process",
            "\(rate(perSecond)) events/s; read only \(rate(result["read_events_per_s"] as? Double ?? 0))/s (SQLite journal: replay figure above)")
    }

    func compression(_ corpus: Corpus) throws {
        let bench = try Compression.measure(corpus.path)
        let demoPath = "\(work)/demo.journal"
        let status = try runQuietly([flotilla, "demo", "--db", demoPath], in: work, name: "demo")
        guard status == 0 else { throw BenchError("flotilla demo exited \(status)") }
        let demo = try Compression.measure(demoPath)
        keys["compression_ratio"] = bench["ratio"] as? Double ?? 0
        details["compression"] = ["benchmark": bench, "demo": demo]
        for (name, stats) in [("benchmark journal", bench), ("demo journal", demo)] {
            let ratio = stats["ratio"] as? Double ?? 0
            row(
                "compression: \(name)",
                "\(grouped(stats["events"] as? Int ?? 0)) events, \(grouped(stats["raw_bytes"] as? Int ?? 0)) bytes of canonical JSON",
                "stored \(grouped(stats["stored_bytes"] as? Int ?? 0)) bytes: \(fmt(ratio))x (\(fmt(stats["ratio_with_dictionaries"] as? Double ?? 0))x counting \(stats["dictionaries"] ?? 0) dictionaries); plain LZ4 per event \(fmt(stats["per_event_lz4_ratio"] as? Double ?? 0))x; lz4 on the whole JSON \(fmt(stats["whole_lz4_ratio"] as? Double ?? 0))x",
                ">= 4x", verdict(ratio >= 4))
        }
    }

    func scaleOneRun() throws {
        let settings = "\(grouped(sizes.oneRunMembers)) members, 10 stages, maxConcurrency \(sizes.oneRunConcurrency), instant apply, ManualClock, fresh process; cap \(Int(sizes.scaleCap)) s"
        let (result, peak) = try runChild(
            [bench, "scale-one-run", "--members", String(sizes.oneRunMembers), "--stages", "10", "--concurrency",
             String(sizes.oneRunConcurrency), "--work", work, "--cap", String(sizes.scaleCap)],
            in: work, name: "scale-one-run", timeout: sizes.scaleCap * 3 + 600)
        details["scale_one_run"] = result.merging(["peak_mib_wait4": peak]) { a, _ in a }
        let wall = result["wall_s"] as? Double ?? 0
        let setup = fmt(result["setup_s"] as? Double ?? 0, 1)
        guard result["finished"] as? Bool == true else {
            let why = result["memory_capped"] as? Bool == true ? "the \(Int(memoryCap)) MiB memory cap" : "the \(Int(sizes.scaleCap)) s cap"
            let done = "\(grouped(result["clusters_done"] as? Int ?? 0)) of \(grouped(sizes.oneRunMembers)) clusters updated, \(grouped(result["events"] as? Int ?? 0)) events in \(fmt(wall, 1)) s"
            missing("scale_10k_wall_s", "scale, one run: wall", settings, "stopped at \(why): \(done)", goal: "< 2 s")
            missing("scale_10k_peak_mib", "scale, one run: peak RSS", "the same process", "the run was stopped; peak RSS until then \(rate(peak)) MiB, a lower bound", goal: "< 1 GiB")
            return
        }
        keys["scale_10k_wall_s"] = wall
        keys["scale_10k_peak_mib"] = peak
        row("scale, one run: wall", settings + "; setup \(setup) s not counted",
            "\(fmt(wall)) s, \(grouped(result["events"] as? Int ?? 0)) events (\(rate(result["events_per_s"] as? Double ?? 0))/s) in \(grouped(result["commits"] as? Int ?? 0)) commits",
            "< 2 s", verdict(wall < 2))
        row("scale, one run: peak RSS", "the same process", "\(rate(peak)) MiB", "< 1 GiB", verdict(peak < 1024))
    }

    func scaleManyRuns() throws {
        let settings = "\(grouped(sizes.manyMembers)) members, \(grouped(sizes.manyPlacements)) placements of 100 clusters, \(sizes.manyRuns) concurrent 3-stage runs (20/30/50, 50%), instant apply, ManualClock; cap \(Int(sizes.scaleCap)) s"
        let (result, peak) = try runChild(
            [bench, "scale-many-runs", "--members", String(sizes.manyMembers), "--placements", String(sizes.manyPlacements),
             "--runs", String(sizes.manyRuns), "--work", work, "--cap", String(sizes.scaleCap)],
            in: work, name: "scale-many-runs", timeout: sizes.scaleCap * 3 + 900)
        details["scale_many_runs"] = result.merging(["peak_mib_wait4": peak]) { a, _ in a }
        let finished = result["finished"] as? Int ?? 0
        let p90 = finished * 10 >= sizes.manyRuns * 9 ? "p90 run \(fmt(result["p90_run_s"] as? Double ?? 0)) s" : "p90 not reached (fewer than 90% finished)"
        let stop = finished < sizes.manyRuns
            ? (result["memory_capped"] as? Bool == true ? " (stopped at the \(Int(memoryCap)) MiB memory cap)" : " (stopped at the \(Int(sizes.scaleCap)) s cap)") : ""
        row("scale, many runs", settings + "; setup \(fmt(result["setup_s"] as? Double ?? 0, 1)) s not counted",
            "\(finished) of \(sizes.manyRuns) runs done in \(fmt(result["wall_s"] as? Double ?? 0)) s\(stop), \(grouped(result["events"] as? Int ?? 0)) events (\(rate(result["events_per_s"] as? Double ?? 0))/s), \(p90); peak \(rate(peak)) MiB",
            "report; KubeFleet p90 96 s (one run), 135 s (100 concurrent)", "-")
    }

    func shortRuns() throws {
        let (result, _) = try runChild(
            [bench, "short-runs", "--runs", String(sizes.shortRuns), "--members", "10", "--work", work],
            in: work, name: "short-runs", timeout: sizes.scaleCap * 3 + 600)
        details["short_runs"] = result
        let samples = result["rss_mib_samples"] as? [Double] ?? []
        // The first half fills what is bounded (the change feed, SQLite's and the dictionary caches); the second
        // must not grow.
        let middle = samples.isEmpty ? 0 : samples[(samples.count - 1) / 2]
        let last = samples.last ?? 0
        keys["short_runs_rss_growth_mib"] = last - middle
        row("memory over many short runs",
            "\(grouped(sizes.shortRuns)) runs one after another over 10 members (one stage, instant apply), each deleted once "
                + "finished; RSS sampled every \(grouped(max(1, sizes.shortRuns / 10))) runs, fresh process",
            "RSS \(samples.map { fmt($0, 0) }.joined(separator: ", ")) MiB: \(fmt(last - middle, 1)) MiB over the second half; "
                + "\(fmt(result["wall_s"] as? Double ?? 0, 1)) s",
            "flat over the second half (within 5%)", verdict(last <= middle * 1.05))
    }

    func reaction() async throws {
        let result = try await Reaction.measure(
            serial: sizes.reactionSerial, gates: sizes.reactionGates, rounds: sizes.reactionRounds, work: work)
        details["reaction"] = result
        let p99 = result["p99_ms"] as? Double ?? 0
        keys["reaction_p99_ms"] = p99
        for (name, prefix) in [("member success", "member"), ("approval", "approval")] {
            func ms(_ key: String) -> Double { result["\(prefix)_\(key)"] as? Double ?? 99 }
            row("reaction: \(name) -> next start",
                "\(result["\(prefix)_samples"] ?? 0) samples over \(sizes.reactionRounds) runs one after another, SystemClock, instant members, maxConcurrency 1; from the trigger's "
                    + "record to the start's commit (the goal's figure), and commit to commit",
                "record to commit p50 \(fmt(ms("to_durable_p50_ms"))) ms, p99 \(fmt(ms("to_durable_p99_ms"))) ms; commit to commit "
                    + "p50 \(fmt(ms("p50_ms"))) ms, p99 \(fmt(ms("p99_ms"))) ms",
                "p99 < 5 ms", verdict(ms("to_durable_p99_ms") < 5 && ms("p99_ms") < 5))
        }
    }

    func startup(_ corpus: Corpus) throws {
        let settings = "flotilla serve on a copy of the \(grouped(corpus.events))-event journal, spawn to first /readyz 200"
        let with = try ServerBench.startup(flotilla: flotilla, journal: corpus.path, checkpoint: true, repeats: sizes.startupRepeats, work: work)
        keys["startup_checkpoint_s"] = median(with)
        row("start-up with a checkpoint", settings + ", median of \(with.count)", "\(fmt(median(with))) s", "< 1 s", verdict(median(with) < 1))
        let repeats = median(with) > 60 || !quick && sizes.startupRepeats > 1 ? 1 : sizes.startupRepeats
        let without = try ServerBench.startup(flotilla: flotilla, journal: corpus.path, checkpoint: false, repeats: repeats, work: work)
        details["startup"] = ["with_checkpoint": with, "without_checkpoint": without]
        row("start-up without a checkpoint", settings + " (checkpoints deleted), median of \(without.count)", "\(fmt(median(without))) s")
    }

    func http() throws {
        let result = try ServerBench.createsAndKubectl(flotilla: flotilla, sizes: sizes.httpSizes, cap: sizes.httpCap, kubectlRepeats: 5, work: work)
        details["http"] = result
        let perSize = result["median_ms_at"] as? [String: Double] ?? [:]
        let created = result["created"] as? Int ?? 0
        let capNote = result["capped"] as? Bool == true ? "; stopped at the \(Int(sizes.httpCap)) s cap" : ""
        let settings = "flotilla serve (\(Self.buildConfiguration)), --member-latency 86400, one keep-alive connection; 1 member, 1 PickAll placement; cap \(Int(sizes.httpCap)) s\(capNote)"
        let largest = sizes.httpSizes.max()!
        let values = sizes.httpSizes.map { size in perSize[String(size)].map { "\(fmt($0)) ms at \(grouped(size))" } ?? "not reached at \(grouped(size))" }
        let first = perSize[String(sizes.httpSizes.min()!)]
        if let last = perSize[String(largest)] {
            keys["http_create_run_ms_at_10k"] = last
            row("HTTP writes: create a run", settings, values.joined(separator: ", ") + " (median over 21 creates around each size)",
                "flat within 2x", verdict(first.map { last <= 2 * $0 } ?? false))
        } else {
            missing("http_create_run_ms_at_10k", "HTTP writes: create a run", settings,
                "only \(grouped(created)) runs created within the \(Int(sizes.httpCap)) s cap; " + values.joined(separator: ", "), goal: "flat within 2x")
        }
        if let seconds = result["kubectl_s"] as? Double {
            keys["kubectl_get_10k_runs_s"] = seconds
            let unchunked = result["kubectl_unchunked_s"] as? Double ?? 0
            let rows = result["kubectl_rows"] as? Int ?? 0
            let pages = (rows + 499) / 500
            let throttled = pages > 10
                ? "; kubectl's client-side limit of 5 requests/s past a burst of 10 holds the last \(pages - 10) back" : ""
            var evidence = ""
            if let pageMilliseconds = result["kubectl_page_ms"] as? Double {
                evidence = "; kubectl -v=6: the hub answers a page in \(fmt(pageMilliseconds, 1)) ms (median), "
                    + "kubectl's limiter waited \(fmt(result["kubectl_throttled_s"] as? Double ?? 0)) s over "
                    + "\(result["kubectl_throttled"] as? Int ?? 0) requests"
            }
            row("kubectl get csur", "\(grouped(rows)) runs, real kubectl, median of 5 after 1 warm-up (kubectl version --client alone: \(fmt(result["kubectl_startup_s"] as? Double ?? 0)) s)",
                "\(fmt(seconds)) s verbatim (\(pages) page\(pages == 1 ? "" : "s") of up to 500\(throttled)\(evidence)); "
                    + "\(fmt(unchunked)) s with --chunk-size=0 (one request)",
                "< 0.5 s", verdict(seconds < 0.5))
        } else {
            missing("kubectl_get_10k_runs_s", "kubectl get csur", "\(grouped(created)) runs", result["kubectl_error"] as? String ?? "unknown", goal: "< 0.5 s")
        }
    }

    // MARK: Output

    func report() {
        let headers = ["figure", "sizes and settings", "measured", "goal", "verdict"]
        let table = rows.map { [$0.figure, $0.settings, $0.value, $0.goal, $0.verdict] }
        var text = "| " + headers.joined(separator: " | ") + " |\n|" + headers.map { _ in "---" }.joined(separator: "|") + "|\n"
        for cells in table {
            text += "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
        }
        print("")
        print("Flotilla benchmark, \(quick ? "--quick (small sizes)" : "full sizes"), \(ISO8601DateFormatter().string(from: Date())), \(ProcessInfo.processInfo.activeProcessorCount) cores, total \(fmt(details["total_s"] as? Double ?? 0, 0)) s")
        print(text)
        let required = [
            "append_vs_raw_ratio", "append_vs_peer_ratio", "replay_events_per_s", "compression_ratio", "scale_10k_wall_s",
            "scale_10k_peak_mib", "startup_checkpoint_s", "reaction_p99_ms", "http_create_run_ms_at_10k", "kubectl_get_10k_runs_s",
        ]
        for key in required where keys[key] == nil {
            keys[key] = NSNull()
            if reasons[key] == nil { reasons[key] = "its figure failed; see the table" }
        }
        guard let jsonPath else { return }
        var document: [String: Any] = keys
        document["not_measured"] = reasons
        document["mode"] = quick ? "quick" : "full"
        document["date"] = ISO8601DateFormatter().string(from: Date())
        document["cores"] = ProcessInfo.processInfo.activeProcessorCount
        document["details"] = details
        document["table"] = rows.map { ["figure": $0.figure, "settings": $0.settings, "measured": $0.value, "goal": $0.goal, "verdict": $0.verdict] }
        do {
            let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
            try data.write(to: URL(fileURLWithPath: jsonPath))
            progress("wrote \(jsonPath)")
        } catch {
            progress("cannot write \(jsonPath): \(error)")
        }
    }
}
