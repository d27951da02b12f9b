import ArgumentParser
import Foundation
import Journal
import Rollout

extension Flotilla {
    struct JournalCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "journal",
            abstract: "Inspect a journal, or copy it between a file and PostgreSQL.",
            subcommands: [Stats.self, Verify.self, Log.self, Copy.self, RotateKey.self, DestroyKey.self])
    }
}

extension Flotilla.JournalCommand {
    static func open(_ options: JournalOptions) throws -> Journal {
        try options.journal.inspect()
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Events, raw and stored bytes, and the compression ratio.")
        @OptionGroup var options: JournalOptions

        func run() throws {
            let journal = try Flotilla.JournalCommand.open(options)
            defer { journal.close() }
            let stats = try journal.stats()
            print("events:        \(stats.events)")
            print("streams:       \(stats.streams)")
            print("raw bytes:     \(stats.rawBytes)")
            print("stored bytes:  \(stats.storedBytes)")
            print("dictionaries:  \(stats.dictionaries)")
            print("ratio:         \(String(format: "%.2f", stats.ratio))x")
            let checkpoints = try journal.checkpoints().map { String($0.seq) }
            print("checkpoints:   \(checkpoints.isEmpty ? "none" : "at seq " + checkpoints.joined(separator: ", "))")
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the hash chain over every event, and every checkpoint against a replay of its prefix.")
        @OptionGroup var options: JournalOptions

        func run() throws {
            let journal = try Flotilla.JournalCommand.open(options)
            defer { journal.close() }
            let report = try journal.verify()
            guard report.isIntact else {
                print("BROKEN at seq \(report.firstBadSeq.map(String.init) ?? "?"): \(report.problem ?? "")")
                throw ExitCode.failure
            }
            let problems = try Hub.verifyCheckpoints(journal)
            for problem in problems { print("BAD \(problem)") }
            guard problems.isEmpty else { throw ExitCode.failure }
            let checkpoints = try journal.checkpoints()
            let loadable = checkpoints.filter { Hub.checkpointIsLoadable($0.image) }.map { String($0.seq) }
            let checked =
                checkpoints.isEmpty ? "no checkpoints"
                : loadable.isEmpty ? "no checkpoints of this build's projections"
                : "checkpoints at seq \(loadable.joined(separator: ", ")) match their replay"
            print("ok: \(report.eventsChecked) events, hash chain intact; \(checked)")
            for other in checkpoints where !Hub.checkpointIsLoadable(other.image) {
                print("checkpoint at seq \(other.seq) is not of this build's projections (another build wrote it): start-up replays past it")
            }
        }
    }

    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the events: seq, time, actor, stream, type.")
        @OptionGroup var options: JournalOptions

        @Option(name: .long, help: "Only events of this stream, e.g. ClusterStagedUpdateRun/example-run.")
        var stream: String?

        @Flag(name: .long, help: "Print each event's payload too.")
        var payload = false

        func run() throws {
            let journal = try Flotilla.JournalCommand.open(options)
            defer { journal.close() }
            let records = try stream.map { try journal.readStream($0) } ?? journal.read(after: 0, limit: Int.max)
            for record in records {
                let time = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(record.time) / 1000))
                print("\(record.seq)\t\(time)\t\(record.actor)\t\(record.stream)\t\(record.type)")
                if payload { print("\t" + String(decoding: record.payload, as: UTF8.self)) }
            }
        }
    }
}

extension Flotilla.JournalCommand {
    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a journal into an empty one, between a file and PostgreSQL either way, with its chain intact.",
            discussion: """
                Every event is appended to the target in seq order, so the target's hash chain is the source's and \
                `flotilla journal verify` passes on it; checkpoints are copied too. The source is only read, and must \
                verify first. Stop the hub serving the source before copying, or the copy misses its newest events.
                """)

        @Option(name: .long, help: "The journal to copy: a file, or a PostgreSQL URL (postgres://USER@HOST:PORT/DB).")
        var from: String

        @Option(name: .long, help: "The empty journal to copy into, a file or a PostgreSQL URL; created when missing.")
        var to: String

        func validate() throws {
            do {
                _ = try JournalLocation(parsing: from)
                _ = try JournalLocation(parsing: to)
            } catch {
                throw ValidationError("--from/--to: \(error)")
            }
            guard from != to else { throw ValidationError("--to must name another journal than --from") }
        }

        func run() async throws {
            let (from, to) = (try JournalDB(self.from), try JournalDB(self.to))
            let source: Journal
            do {
                source = try from.inspect()
            } catch let error as ValidationError {
                throw ValidationError(error.message.replacingOccurrences(of: "--db", with: "--from"))
            }
            defer { source.close() }
            let target = try to.open(readOnly: false)
            defer { target.close() }
            guard target.lastSeq == 0 else {
                throw Failure("--to: \(to) already holds \(target.lastSeq) events; copy only into an empty journal")
            }
            let copied = try await source.copy(to: target)
            let report = try target.verify()
            guard report.isIntact else {
                throw Failure("the copy does not verify at seq \(report.firstBadSeq ?? 0): \(report.problem ?? "")")
            }
            print("copied \(copied.events) events and \(copied.checkpoints) checkpoints from \(from) to \(to); hash chain intact")
        }
    }
}
