import FleetAPI
import Foundation
import Journal
import Rollout
import Synchronization

/// The figures measured inside one fresh `flotilla-bench` process each (replay, scale), so their peak RSS is theirs.
enum InProcess {
    /// Rebuilds every projection from the journal as `Hub.init` does (`HubState.replay`: reading and decoding on one
    /// thread, folding on another), `repeats` times, and times the read and decode steps on their own once. The fold
    /// alone is timed over events decoded beforehand, `repeats` times, in wall time and in the thread's CPU time;
    /// `state_digest` names the replayed state, so a change to folding can be checked to leave it as it was. The
    /// peak RSS is taken before the events are decoded into memory for the fold's figure: it is the replay's.
    static func replay(db: String, repeats: Int) throws -> [String: Any] {
        let journal = try Hub.openJournal(try JournalLocation(parsing: db), readOnly: true)
        defer { journal.close() }
        var count = 0
        let (_, readSeconds) = try syncTimed { try journal.replay(after: 0) { _ in count += 1 } }
        var runs: [Double] = []
        var state = HubState()
        for _ in 0..<repeats {
            state = HubState()
            let start = monotonic()
            try state.replay(from: journal)
            runs.append(monotonic() - start)
        }
        let replayPeak = ownPeakMiB()
        let trees = JSONTreeCache()
        var envelopes: [Envelope] = []
        envelopes.reserveCapacity(count)
        let (_, decodeSeconds) = try syncTimed {
            try journal.replay(after: 0) { event in envelopes.append(try Envelope(event, sharing: trees)) }
        }
        var folds: [Double] = []
        var foldsCPU: [Double] = []
        for _ in 0..<repeats {
            var folded = HubState()
            let start = monotonic()
            let startCPU = threadCPUSeconds()
            folded.evolve(contentsOf: envelopes)
            foldsCPU.append(threadCPUSeconds() - startCPU)
            folds.append(monotonic() - start)
        }
        envelopes = []
        return [
            "events": count, "seconds": median(runs), "runs": runs, "events_per_s": Double(count) / median(runs),
            "read_events_per_s": Double(count) / readSeconds, "read_decode_events_per_s": Double(count) / decodeSeconds,
            "fold_events_per_s": Double(count) / median(folds), "fold_cpu_events_per_s": Double(count) / median(foldsCPU),
            "state_digest": try digest(state),
            "objects": state.objects.count, "runs_in_state": state.runs.count, "members": state.members.count,
            "peak_mib": replayPeak,
        ]
    }

    /// FNV-1a of the state's canonical JSON, in hex: equal states give equal digests.
    private static func digest(_ state: HubState) throws -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in try JSONValueEncoder().encode(state).serialized() {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    /// One run over `members` members in `stages` stages, `concurrency` at a time, instant apply, virtual time.
    static func scaleOneRun(members: Int, stages: Int, concurrency: Int, work: String, cap: Double) async throws -> [String: Any] {
        let path = "\(work)/scale-one-run.journal"
        defer { removeSQLiteFiles(path) }
        let setupStart = monotonic()
        var preload = Preload(time: benchEpoch)
        for index in 0..<members {
            try preload.apply(Manifests.member(String(format: "m%05d", index), labels: ["stage": "s\(index % stages)"]), settle: false)
        }
        preload.settle()
        let clock = ManualClock(benchEpoch.addingTimeInterval(60))
        let hub = try await preload.hub(at: path, clock: clock)
        let journal = hub.journal
        defer { journal.close() }
        try await hub.send(.apply(Manifests.namespace("app")), actor: "kubectl")
        try await hub.send(.apply(Manifests.configMap("app-config", namespace: "app", version: 0)), actor: "kubectl")
        try await hub.send(.apply(Manifests.placement("wide", namespace: "app", clusters: nil)), actor: "kubectl")
        try await hub.send(
            .apply(Manifests.strategy("tiers", stages: (0..<stages).map {
                Manifests.Stage(name: "s\($0)", labels: ["stage": "s\($0)"], maxConcurrency: .int(Int64(concurrency)))
            })), actor: "kubectl")
        let setup = monotonic() - setupStart
        let scheduled = await hub.state.placements[ObjectKey(.clusterResourcePlacement, name: "wide")]?.scheduledClusters.count ?? 0
        guard scheduled == members else { throw BenchError("the placement scheduled \(scheduled) of \(members) members") }
        let firstSeq = await hub.state.lastSeq
        let runKey = ObjectKey(.clusterStagedUpdateRun, name: "wide-run")
        let start = monotonic()
        Watchdog.start(journal: journal, firstSeq: firstSeq, startedAt: start, cap: cap, setup: setup, counting: "ClusterUpdateSucceeded", as: "clusters_done")
        try await hub.send(.apply(Manifests.run("wide-run", placement: "wide", strategy: "tiers", index: 0)), actor: "kubectl")
        let deadline = start + cap
        let finished = try await hub.advance(until: { state in
            state.runs[runKey]?.isFinished == true || monotonic() > deadline || ownRSSMiB() > memoryCap
        }, limit: 86_400 * 365)
        let wall = monotonic() - start
        let state = await hub.state
        let run = state.runs[runKey]
        let done = (run?.status.stagesStatus ?? []).reduce(0) { total, stage in
            total + stage.clusters.filter { ($0.conditions ?? [])[type: "Succeeded"] != nil }.count
        }
        let succeeded = run?.isFinished == true && (run?.status.conditions ?? []).isTrue("Succeeded")
        return [
            "finished": finished && run?.isFinished == true, "succeeded": succeeded, "wall_s": wall, "setup_s": setup,
            "clusters_done": done, "memory_capped": ownRSSMiB() > memoryCap, "events": Int(state.lastSeq - firstSeq),
            "events_per_s": Double(state.lastSeq - firstSeq) / wall, "commits": Int(journal.commitCount),
            "peak_mib": ownPeakMiB(),
        ]
    }

    /// KubeFleet's scale test: `members` members, `placements` placements of 100 clusters each, and `runs`
    /// concurrent 3-stage runs (20/30/50 clusters, 50% at a time, no gates), instant apply, virtual time.
    static func scaleManyRuns(members: Int, placements: Int, runs: Int, work: String, cap: Double) async throws -> [String: Any] {
        let path = "\(work)/scale-many-runs.journal"
        defer { removeSQLiteFiles(path) }
        let perPlacement = min(100, members)
        let setupStart = monotonic()
        var preload = Preload(time: benchEpoch)
        func tier(_ index: Int) -> String {
            let slot = index % perPlacement * 100 / perPlacement
            return slot < 20 ? "a" : slot < 50 ? "b" : "c"
        }
        let names = (0..<members).map { String(format: "m%04d", $0) }
        for (index, name) in names.enumerated() {
            try preload.apply(Manifests.member(name, labels: ["tier": tier(index)]), settle: false)
        }
        try preload.apply(Manifests.namespace("app"), settle: false)
        try preload.apply(Manifests.configMap("app-config", namespace: "app", version: 0), settle: false)
        try preload.apply(
            Manifests.strategy("three-stages", stages: ["a", "b", "c"].map {
                Manifests.Stage(name: "tier\($0)", labels: ["tier": $0], maxConcurrency: "50%")
            }), settle: false)
        for index in 0..<placements {
            let first = (index * perPlacement) % members
            let clusters = (0..<perPlacement).map { names[(first + $0) % members] }
            try preload.apply(Manifests.placement(String(format: "p%04d", index), namespace: "app", clusters: clusters), settle: false)
        }
        preload.settle()
        let clock = ManualClock(benchEpoch.addingTimeInterval(60))
        let hub = try await preload.hub(at: path, clock: clock)
        let journal = hub.journal
        defer { journal.close() }
        let setup = monotonic() - setupStart
        let firstSeq = await hub.state.lastSeq
        let keys = (0..<runs).map { ObjectKey(.clusterStagedUpdateRun, name: String(format: "run-%04d", $0)) }
        let created = Mutex<[ObjectKey: Double]>([:])
        let finishedAt = Mutex<[ObjectKey: Double]>([:])
        let start = monotonic()
        Watchdog.start(journal: journal, firstSeq: firstSeq, startedAt: start, cap: cap, setup: setup, counting: "UpdateRunSucceeded", as: "finished")
        for (index, key) in keys.enumerated() {
            created.withLock { $0[key] = monotonic() }
            try await hub.send(.apply(Manifests.run(key.name, placement: String(format: "p%04d", index % placements), strategy: "three-stages", index: 0)), actor: "kubectl")
        }
        let deadline = start + cap
        _ = try await hub.advance(until: { state in
            let now = monotonic()
            finishedAt.withLock { done in
                for key in keys where done[key] == nil && state.runs[key]?.isFinished == true { done[key] = now }
            }
            return finishedAt.withLock { $0.count } == keys.count || now > deadline || ownRSSMiB() > memoryCap
        }, limit: 86_400 * 365)
        let wall = monotonic() - start
        let state = await hub.state
        let finished = finishedAt.withLock { $0 }
        let createdAt = created.withLock { $0 }
        let durations = finished.map { $0.value - createdAt[$0.key]! }
        let succeeded = keys.filter { (state.runs[$0]?.status.conditions ?? []).isTrue("Succeeded") }.count
        return [
            "finished": finished.count, "succeeded": succeeded, "runs": runs, "wall_s": wall, "setup_s": setup,
            "events": Int(state.lastSeq - firstSeq), "events_per_s": Double(state.lastSeq - firstSeq) / wall,
            "p50_run_s": durations.isEmpty ? -1 : percentile(durations, 50), "p90_run_s": durations.isEmpty ? -1 : percentile(durations, 90),
            "peak_mib": ownPeakMiB(),
        ]
    }
}

extension InProcess {
    /// `runs` short runs one after another over `members` members (one stage, all at once, instant apply), each
    /// deleted once it finishes, as an operator keeps only recent ones. Resident memory is sampled ten times; it
    /// should stay flat, since nothing a finished and deleted run leaves behind may grow.
    static func manyShortRuns(runs: Int, members: Int, work: String) async throws -> [String: Any] {
        let path = "\(work)/short-runs.journal"
        defer { removeSQLiteFiles(path) }
        var preload = Preload(time: benchEpoch)
        for index in 0..<members {
            try preload.apply(Manifests.member(String(format: "m%03d", index), labels: ["tier": "all"]), settle: false)
        }
        try preload.apply(Manifests.namespace("app"), settle: false)
        try preload.apply(Manifests.configMap("app-config", namespace: "app", version: 0), settle: false)
        try preload.apply(Manifests.placement("short", namespace: "app", clusters: nil), settle: false)
        try preload.apply(Manifests.strategy("one-stage", stages: [Manifests.Stage(name: "all", labels: ["tier": "all"], maxConcurrency: "100%")]))
        let hub = try await preload.hub(at: path, clock: ManualClock(benchEpoch.addingTimeInterval(60)))
        defer { hub.journal.close() }
        let firstSeq = await hub.state.lastSeq
        let every = max(1, runs / 10)
        var samples: [Double] = []
        let start = monotonic()
        for index in 0..<runs {
            let key = ObjectKey(.clusterStagedUpdateRun, name: String(format: "run-%05d", index))
            try await hub.send(.apply(Manifests.run(key.name, placement: "short", strategy: "one-stage", index: 0)), actor: "kubectl")
            guard try await hub.advance(until: { $0.runs[key]?.isFinished == true }) else {
                throw BenchError("short run \(key.name) did not finish")
            }
            try await hub.send(.delete(key), actor: "kubectl")
            if (index + 1) % every == 0 { samples.append(ownRSSMiB()) }
        }
        let wall = monotonic() - start
        let events = Int(await hub.state.lastSeq - firstSeq)
        return [
            "runs": runs, "members": members, "wall_s": wall, "events": events, "rss_mib_samples": samples,
            "growth_mib": (samples.last ?? 0) - (samples.first ?? 0), "peak_mib": ownPeakMiB(),
        ]
    }
}

/// Stops a scale figure from outside the hub when it passes its time or memory cap, printing what was done by
/// then (counted from the journal's durable events) as the result. Needed because with instant members on a manual
/// clock every piece of work is due at once, so a whole run can happen inside one `Hub.advance` call, where no
/// condition is checked.
enum Watchdog {
    static func start(journal: Journal, firstSeq: Int64, startedAt: Double, cap: Double, setup: Double, counting type: String, as key: String) {
        let box = UncheckedBox(journal)
        Thread.detachNewThread {
            while true {
                usleep(100_000)
                let elapsed = monotonic() - startedAt
                let rss = ownRSSMiB()
                guard elapsed > cap || rss > memoryCap else { continue }
                var count = 0
                var events = 0
                try? box.value.scan(after: firstSeq) { event in
                    events += 1
                    if event.type.hasPrefix(type) { count += 1 }
                }
                var result: [String: Any] = [
                    "finished": false, "wall_s": elapsed, "setup_s": setup,
                    "events": events, "events_per_s": Double(events) / elapsed, "memory_capped": rss > memoryCap,
                    "stopped": true, "commits": Int(box.value.commitCount), "peak_mib": ownPeakMiB(),
                ]
                result[key] = count
                let data = try! JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
                FileHandle.standardOutput.write(data + Data("\n".utf8))
                _exit(0)
            }
        }
    }
}

/// Where a scale figure stops, so a run that grows without bound cannot take the machine down with it.
let memoryCap = 8.0 * 1024

/// This process's resident set size now, in MiB (VmRSS).
func ownRSSMiB() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return (line.split(separator: " ").compactMap { Double($0) }.first ?? 0) / 1024
    }
    return 0
}

func syncTimed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = monotonic()
    let value = try body()
    return (value, monotonic() - start)
}
