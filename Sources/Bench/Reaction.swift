import FleetAPI
import Foundation
import Journal
import Rollout
import Synchronization

/// How fast the hub moves on: from a member's success, and from an approval, to the next cluster's start, each
/// measured between the two events' commits (the moments `Journal.durableSeq` passed them, seen by a thread that
/// polls it every ~50 µs), and from the moment the trigger was recorded (its event's time) to the start's commit,
/// which counts the hub's decision and the commit itself; on the wall clock (`SystemClock`, real-time timers,
/// instant members).
enum Reaction {
    final class DurablePoller: @unchecked Sendable {
        private let journal: Journal
        private let stopped = Mutex(false)
        /// Written only by the polling thread until `stop()` joins it: monotonic seconds and wall-clock ms.
        private var times: [Int64: (monotonic: Double, wallMillis: Double)] = [:]
        private let done = DispatchSemaphore(value: 0)

        init(_ journal: Journal) {
            self.journal = journal
            Thread.detachNewThread { [self] in
                var last = journal.durableSeq
                while !stopped.withLock({ $0 }) {
                    let now = journal.durableSeq
                    if now > last {
                        let at = (monotonic(), Date().timeIntervalSince1970 * 1000)
                        for seq in (last + 1)...now { times[seq] = at }
                        last = now
                    }
                    usleep(50)
                }
                done.signal()
            }
        }

        func stop() -> [Int64: (monotonic: Double, wallMillis: Double)] {
            stopped.withLock { $0 = true }
            done.wait()
            return times
        }
    }

    /// `rounds` runs one after another, each on a new resource snapshot (an edit of the ConfigMap between them), so
    /// the approval figure has `rounds` times `gates` samples: a strategy has at most 31 stages, and a p99 of 30
    /// samples would be their maximum.
    static func measure(serial: Int, gates: Int, rounds: Int, work: String) async throws -> [String: Any] {
        let path = "\(work)/reaction.journal"
        defer { removeSQLiteFiles(path) }
        var preload = Preload(time: Date())
        for index in 0..<serial {
            try preload.apply(Manifests.member(String(format: "serial-%03d", index), labels: ["lane": "serial", "order": String(index)]), settle: false)
        }
        for index in 0..<gates {
            try preload.apply(Manifests.member(String(format: "gate-%03d", index), labels: ["lane": "gate\(index)"]), settle: false)
        }
        try preload.apply(Manifests.namespace("app"), settle: false)
        try preload.apply(Manifests.configMap("app-config", namespace: "app", version: 0), settle: false)
        try preload.apply(Manifests.placement("reaction", namespace: "app", clusters: nil), settle: false)
        var stages = [Manifests.Stage(name: "serial", labels: ["lane": "serial"], maxConcurrency: 1, sortingLabelKey: "order", afterTasks: [Manifests.approvalTask])]
        for index in 0..<gates {
            stages.append(Manifests.Stage(name: "gate\(index)", labels: ["lane": "gate\(index)"], afterTasks: index < gates - 1 ? [Manifests.approvalTask] : []))
        }
        try preload.apply(Manifests.strategy("gated", stages: stages))
        let hub = try await preload.hub(at: path, clock: SystemClock())
        let journal = hub.journal
        defer { journal.close() }
        await hub.startRealTime()
        let poller = DurablePoller(journal)
        let placementKey = ObjectKey(.clusterResourcePlacement, name: "reaction")
        let started = monotonic()
        func waitUntil(_ what: String, _ condition: (HubState) -> Bool) async throws {
            while !condition(await hub.state) {
                if monotonic() - started > 300 { throw BenchError("\(what) after 300 s") }
                try await Task.sleep(for: .milliseconds(1))
            }
        }
        for round in 0..<rounds {
            if round > 0 {
                try await hub.send(.apply(Manifests.configMap("app-config", namespace: "app", version: round)), actor: "kubectl")
                try await waitUntil("no resource snapshot \(round)") { $0.placements[placementKey]?.resourceSnapshots[round] != nil }
            }
            let run = "reaction-run-\(round)"
            try await hub.send(.apply(Manifests.run(run, placement: "reaction", strategy: "gated", index: round)), actor: "kubectl")
            for stage in stages.dropLast() {
                let key = ObjectKey(.clusterApprovalRequest, name: "\(run)-\(stage.name)")
                try await waitUntil("no approval request \(key.name)") { $0.objects[key] != nil }
                let generation = await hub.state.objects[key]?.generation ?? 1
                try await hub.send(.updateStatus(key, Manifests.approvedStatus(generation: generation, at: Date())), actor: "alice")
            }
            let runKey = ObjectKey(.clusterStagedUpdateRun, name: run)
            try await waitUntil("the run \(run) did not finish") { $0.runs[runKey]?.isFinished == true }
        }
        await hub.stop()
        let durableAt = poller.stop()
        var memberSamples: [Double] = []
        var approvalSamples: [Double] = []
        var memberToDurable: [Double] = []
        var approvalToDurable: [Double] = []
        var pending: (approval: Bool, seq: Int64, time: Int64)?
        for event in try journal.read(after: 0, limit: .max) {
            if event.type.hasPrefix("UpdateRunInitialized") {
                // The last stage's applies end the previous round's run; the next run's first start is no reaction.
                pending = nil
            } else if event.type.hasPrefix("MemberApplied") {
                pending = (false, event.seq, event.time)
            } else if event.type.hasPrefix("ObjectStatusUpdated") && event.stream.hasPrefix("ClusterApprovalRequest/") {
                pending = (true, event.seq, event.time)
            } else if event.type.hasPrefix("ClusterUpdateStarted"), let trigger = pending {
                pending = nil
                guard let from = durableAt[trigger.seq], let to = durableAt[event.seq] else { continue }
                let millis = (to.monotonic - from.monotonic) * 1000
                let toDurable = to.wallMillis - Double(trigger.time)
                if trigger.approval {
                    approvalSamples.append(millis)
                    approvalToDurable.append(toDurable)
                } else {
                    memberSamples.append(millis)
                    memberToDurable.append(toDurable)
                }
            }
        }
        guard !memberSamples.isEmpty, !approvalSamples.isEmpty else { throw BenchError("no reaction pairs found in the journal") }
        return [
            "member_samples": memberSamples.count, "approval_samples": approvalSamples.count,
            "member_p50_ms": percentile(memberSamples, 50), "member_p99_ms": percentile(memberSamples, 99),
            "approval_p50_ms": percentile(approvalSamples, 50), "approval_p99_ms": percentile(approvalSamples, 99),
            "member_to_durable_p50_ms": percentile(memberToDurable, 50), "member_to_durable_p99_ms": percentile(memberToDurable, 99),
            "approval_to_durable_p50_ms": percentile(approvalToDurable, 50),
            "approval_to_durable_p99_ms": percentile(approvalToDurable, 99),
            "p99_ms": max(percentile(memberToDurable, 99), percentile(approvalToDurable, 99)),
        ]
    }
}
