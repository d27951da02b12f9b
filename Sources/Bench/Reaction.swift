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

    static func measure(serial: Int, gates: Int, work: String) async throws -> [String: Any] {
        let path = "\(work)/reaction.journal"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
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
        let runKey = ObjectKey(.clusterStagedUpdateRun, name: "reaction-run")
        let started = monotonic()
        try await hub.send(.apply(Manifests.run("reaction-run", placement: "reaction", strategy: "gated", index: 0)), actor: "kubectl")
        for stage in stages.dropLast() {
            let key = ObjectKey(.clusterApprovalRequest, name: "reaction-run-\(stage.name)")
            while await hub.state.objects[key] == nil {
                if monotonic() - started > 300 { throw BenchError("no approval request \(key.name) after 300 s") }
                try await Task.sleep(for: .milliseconds(1))
            }
            let generation = await hub.state.objects[key]?.generation ?? 1
            try await hub.send(.updateStatus(key, Manifests.approvedStatus(generation: generation, at: Date())), actor: "alice")
        }
        while await hub.state.runs[runKey]?.isFinished != true {
            if monotonic() - started > 300 { throw BenchError("the run did not finish in 300 s") }
            try await Task.sleep(for: .milliseconds(2))
        }
        await hub.stop()
        let durableAt = poller.stop()
        var memberSamples: [Double] = []
        var approvalSamples: [Double] = []
        var memberToDurable: [Double] = []
        var approvalToDurable: [Double] = []
        var pending: (approval: Bool, seq: Int64, time: Int64)?
        for event in try journal.read(after: 0, limit: .max) {
            if event.type.hasPrefix("MemberApplied") {
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
