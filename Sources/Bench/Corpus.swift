import FleetAPI
import Foundation
import Journal
import Rollout

/// The benchmark journal: realistic Fleet events at any size.
///
/// A real `Hub` on a `ManualClock` plays one *block*: 50 members, a namespace and ConfigMap, a PickFixed placement
/// of the block's members, a two-stage strategy (canary with a 1-minute wait and an approval, then prod sorted by
/// `order`, 25% at a time), and 8 runs one after another, each after a ConfigMap edit (a new resource snapshot),
/// each approved, the oldest run deleted once 3 are kept. Every name in the block carries the token `bk000000`.
/// The journal is that block repeated with the token renumbered (`bk000001`, ...), uids and snapshot hashes
/// recomputed, and times shifted, so each block is self-contained and the state after replay is what a hub that
/// played every block would hold (the hub settles on it: nothing is due).
struct Corpus {
    /// Bumped when what a generated journal holds changes (2: dictionaries every 512 KiB), so a cached one is made again.
    static let version = 2
    static let token = "bk000000"
    static let membersPerBlock = 50
    static let runsPerBlock = 8
    static let keptRuns = 3

    let path: String
    let events: Int
    let blocks: Int
    let templateEvents: Int

    var description: String {
        "\(grouped(events)) events: \(grouped(blocks)) blocks of \(Self.membersPerBlock) members, 1 placement, "
            + "\(Self.runsPerBlock) runs (\(Self.keptRuns) kept) each"
    }

    /// The cached journal of at least `events` events under `directory`, generated when missing.
    static func load(events: Int, directory: String) async throws -> Corpus {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = "\(directory)/corpus-v\(version)-\(events).journal"
        let infoPath = path + ".info"
        if FileManager.default.fileExists(atPath: path), let data = FileManager.default.contents(atPath: infoPath),
            let info = try? JSONSerialization.jsonObject(with: data) as? [String: Int],
            let count = info["events"], let blocks = info["blocks"], let template = info["template"]
        {
            return Corpus(path: path, events: count, blocks: blocks, templateEvents: template)
        }
        progress("generating the benchmark journal (\(grouped(events)) events) at \(path)")
        let started = monotonic()
        let template = try await playTemplate(in: directory)
        let blocks = (events + template.count - 1) / template.count
        let partial = path + ".partial"
        removeSQLiteFiles(partial)
        let journal = try Hub.openJournal(path: partial)
        try await write(template, blocks: blocks, to: journal)
        let count = Int(journal.lastSeq)
        journal.close()
        progress("wrote \(grouped(count)) events in \(fmt(monotonic() - started, 1)) s; replaying to checkpoint them")
        // A hub replays the whole journal and stores its checkpoint, as `flotilla serve` does on shutdown.
        let end = benchEpoch.addingTimeInterval(Double(blocks) * template.span / 1000 + 3600)
        let hub = try Hub(path: partial, clock: ManualClock(end))
        try await hub.checkpoint()
        hub.journal.close()
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: partial + suffix) {
            throw BenchError("the generated journal kept a \(suffix) file after closing")
        }
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: partial, toPath: path)
        let info = ["events": count, "blocks": blocks, "template": template.count]
        try JSONSerialization.data(withJSONObject: info).write(to: URL(fileURLWithPath: infoPath))
        progress("benchmark journal ready in \(fmt(monotonic() - started, 1)) s")
        return Corpus(path: path, events: count, blocks: blocks, templateEvents: template.count)
    }

    // MARK: The template block

    struct TemplateEvent {
        var stream: String
        var type: String
        var time: Int64
        var actor: String
        var payload: [UInt8]
        /// Where a pattern (index into `Template.patterns`) starts in the payload.
        var patches: [(offset: Int, pattern: Int)]
    }

    struct Template {
        var events: [TemplateEvent]
        /// Pattern 0 is the token; then uids; then resource snapshot hashes.
        var patterns: [[UInt8]]
        var uidPatterns: Range<Int>
        var span: Double
        var count: Int { events.count }
    }

    static func playTemplate(in directory: String) async throws -> Template {
        let path = "\(directory)/corpus-template.journal"
        removeSQLiteFiles(path)
        let clock = ManualClock(benchEpoch)
        let hub = try Hub(path: path, clock: clock, members: SimulatedMembers(latency: 15))
        let t = token
        let memberNames = (1...membersPerBlock).map { String(format: "\(t)-m%02d", $0) }
        for (index, name) in memberNames.enumerated() {
            try await hub.send(
                .apply(Manifests.member(name, labels: [
                    "bench.flotilla.dev/block": t, "env": index < 5 ? "canary" : "prod", "order": String(index),
                ])), actor: "kubectl")
        }
        try await hub.send(.apply(Manifests.namespace("\(t)-app")), actor: "kubectl")
        try await hub.send(.apply(Manifests.configMap("app-config", namespace: "\(t)-app", version: 0)), actor: "kubectl")
        try await hub.send(.apply(Manifests.placement("\(t)-placement", namespace: "\(t)-app", clusters: memberNames)), actor: "kubectl")
        try await hub.send(
            .apply(Manifests.strategy("\(t)-strategy", stages: [
                .init(name: "canary", labels: ["bench.flotilla.dev/block": t, "env": "canary"], afterTasks: [Manifests.minuteWait, Manifests.approvalTask]),
                .init(name: "prod", labels: ["bench.flotilla.dev/block": t, "env": "prod"], maxConcurrency: "25%", sortingLabelKey: "order"),
            ])), actor: "kubectl")
        try await hub.advance(by: 30)
        for round in 0..<runsPerBlock {
            if round > 0 {
                try await hub.send(.apply(Manifests.configMap("app-config", namespace: "\(t)-app", version: round)), actor: "kubectl")
                try await hub.advance(by: 10)
            }
            let runName = "\(t)-run-\(round)"
            let runKey = ObjectKey(.clusterStagedUpdateRun, name: runName)
            try await hub.send(.apply(Manifests.run(runName, placement: "\(t)-placement", strategy: "\(t)-strategy", index: round)), actor: "kubectl")
            let approvalKey = ObjectKey(.clusterApprovalRequest, name: "\(runName)-canary")
            guard try await hub.advance(until: { $0.objects[approvalKey] != nil }) else {
                throw BenchError("template run \(runName) never asked for approval")
            }
            try await hub.advance(by: 45)
            let generation = await hub.state.objects[approvalKey]?.generation ?? 1
            try await hub.send(.updateStatus(approvalKey, Manifests.approvedStatus(generation: generation, at: clock.now())), actor: "alice")
            guard try await hub.advance(until: { $0.runs[runKey]?.isFinished == true }) else {
                throw BenchError("template run \(runName) did not finish")
            }
            if round >= keptRuns {
                try await hub.send(.delete(ObjectKey(.clusterStagedUpdateRun, name: "\(t)-run-\(round - keptRuns)")), actor: "kubectl")
            }
            try await hub.advance(by: 300)
        }
        guard await hub.state.runs.values.allSatisfy(\.isFinished) else { throw BenchError("the template block left a run unfinished") }
        let records = try hub.journal.read(after: 0, limit: .max)
        hub.journal.close()
        removeSQLiteFiles(path)
        return try Self.template(from: records)
    }

    /// Finds where the token, the uids and the snapshot hashes sit in each payload.
    static func template(from records: [RecordedEvent]) throws -> Template {
        var uids: [String] = []
        var hashes: [String] = []
        for record in records {
            let payload = try JSON.parse(record.payload)
            if let uid = payload["uid"]?.stringValue, uid.utf8.count == 36, !uids.contains(uid) { uids.append(uid) }
            if record.type.hasPrefix("ResourceSnapshotCreated"), let hash = payload["hash"]?.stringValue, !hashes.contains(hash) {
                hashes.append(hash)
            }
        }
        let patterns = [Array(token.utf8)] + uids.map { Array($0.utf8) } + hashes.map { Array($0.utf8) }
        let first = records.first?.time ?? 0
        let events = records.map { record in
            TemplateEvent(
                stream: record.stream, type: record.type, time: record.time - first, actor: record.actor,
                payload: record.payload, patches: Self.find(patterns, in: record.payload))
        }
        let span = Double((records.last?.time ?? 0) - first + 60_000)
        return Template(events: events, patterns: patterns, uidPatterns: 1..<(1 + uids.count), span: span)
    }

    static func find(_ patterns: [[UInt8]], in bytes: [UInt8]) -> [(offset: Int, pattern: Int)] {
        var found: [(offset: Int, pattern: Int)] = []
        var offset = 0
        while offset < bytes.count {
            var matched = false
            for (index, pattern) in patterns.enumerated() where offset + pattern.count <= bytes.count && bytes[offset] == pattern[0] {
                if bytes[offset..<offset + pattern.count].elementsEqual(pattern) {
                    found.append((offset, index))
                    offset += pattern.count
                    matched = true
                    break
                }
            }
            if !matched { offset += 1 }
        }
        return found
    }

    /// A uid for block `block` in place of `uid`: SHA-256 of both, laid out as a version-5 UUID.
    static func uid(_ uid: [UInt8], block: Int) -> [UInt8] {
        let hex = Array(ResourceHash.sha256Hex(Array("\(block)/".utf8) + uid).utf8)
        var out = Array(hex[0..<8]) + [UInt8(ascii: "-")] + Array(hex[8..<12]) + [UInt8(ascii: "-"), UInt8(ascii: "5")]
        out += Array(hex[13..<16]) + [UInt8(ascii: "-"), UInt8(ascii: "8")] + Array(hex[17..<20]) + [UInt8(ascii: "-")]
        out += Array(hex[20..<32])
        return out
    }

    static func write(_ template: Template, blocks: Int, to journal: Journal) async throws {
        var pending: [Submission] = []
        for block in 0..<blocks {
            let blockToken = String(format: "bk%06d", block)
            var replacement = template.patterns
            replacement[0] = Array(blockToken.utf8)
            for index in template.uidPatterns { replacement[index] = uid(template.patterns[index], block: block) }
            var writes: [StreamWrite] = []
            for event in template.events {
                var payload = event.payload
                var hashPatches: [Int] = []
                for patch in event.patches {
                    if patch.pattern >= template.uidPatterns.upperBound && event.type.hasPrefix("ResourceSnapshotCreated") {
                        hashPatches.append(patch.offset)
                        continue
                    }
                    let bytes = replacement[patch.pattern]
                    payload.replaceSubrange(patch.offset..<patch.offset + bytes.count, with: bytes)
                }
                if !hashPatches.isEmpty {
                    let resources = try JSON.parse(payload)["resources"] ?? .array([])
                    let hash = Array(ResourceHash.sha256Hex(resources.serialized()).utf8)
                    let original = Array(payload[hashPatches[0]..<hashPatches[0] + 64])
                    if let index = template.patterns.firstIndex(of: original) { replacement[index] = hash }
                    for offset in hashPatches { payload.replaceSubrange(offset..<offset + 64, with: hash) }
                } else {
                    for patch in event.patches where patch.pattern >= template.uidPatterns.upperBound {
                        let bytes = replacement[patch.pattern]
                        payload.replaceSubrange(patch.offset..<patch.offset + bytes.count, with: bytes)
                    }
                }
                let new = NewEvent(
                    type: event.type, time: benchEpoch.millis + Int64(Double(block) * template.span) + event.time,
                    actor: event.actor.replacingOccurrences(of: token, with: blockToken), payload: payload)
                let stream = event.stream.replacingOccurrences(of: token, with: blockToken)
                if let last = writes.last, last.stream == stream {
                    writes[writes.count - 1].events.append(new)
                } else {
                    writes.append(StreamWrite(stream: stream, expected: .any, events: [new]))
                }
            }
            pending.append(try journal.submit(writes))
            if pending.count >= 8 {
                try await pending.removeFirst().durable()
            }
            if block % 100 == 99 { progress("  \(block + 1) of \(blocks) blocks") }
        }
        for submission in pending { try await submission.durable() }
    }
}

extension Date {
    var millis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }
}
