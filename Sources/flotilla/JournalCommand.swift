import ArgumentParser
import Foundation
import Journal
import Rollout

extension Flotilla {
    struct JournalCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "journal",
            abstract: "Inspect a journal file.",
            subcommands: [Stats.self, Verify.self, Log.self, RotateKey.self, DestroyKey.self])
    }
}

extension Flotilla.JournalCommand {
    static func open(_ options: JournalOptions) throws -> Journal {
        try open(path: options.db)
    }

    /// Opened read-only: the inspecting commands never write, so they run beside a serving hub and on a journal
    /// on a read-only file system.
    static func open(path: String) throws -> Journal {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("--db: no journal at \(path)")
        }
        return try Journal(path: path, readOnly: true)
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
            let checkpoints = try journal.checkpoints().map { String($0.seq) }
            let checked = checkpoints.isEmpty ? "no checkpoints" : "checkpoints at seq \(checkpoints.joined(separator: ", ")) match their replay"
            print("ok: \(report.eventsChecked) events, hash chain intact; \(checked)")
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
