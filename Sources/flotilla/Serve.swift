import ArgumentParser
import Foundation
import HubServer
import Logging
import Rollout

extension Flotilla {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the hub's Kubernetes API, resuming from the journal file.",
            discussion: "Point kubectl at it with the kubeconfig `flotilla kubeconfig` writes.")

        @Option(name: .long, help: "The journal file; created when missing, resumed when present.")
        var db: String = "flotilla.journal"

        @Option(name: .long, help: "The address to listen on.")
        var host: String = "127.0.0.1"

        @Option(name: .long, help: "The port to listen on; 0 picks a free one and prints it.")
        var port: Int = Flotilla.defaultPort

        @Option(name: .long, help: "Seconds each simulated member takes to apply a snapshot.")
        var memberLatency: Double = 15

        @Option(name: .long, help: "Watches served at once; more get 429 Too Many Requests.")
        var maxWatches: Int = WatchLimits().maxWatches

        @Flag(name: .long, help: "Log every request.")
        var verbose = false

        @Flag(name: .long, help: "Serve the journal for inspection only: refuse every write, and start even on a broken hash chain (showing the state before the break).")
        var readOnly = false

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
            guard memberLatency >= 0 else { throw ValidationError("--member-latency must be 0 or more seconds") }
            guard maxWatches >= 1 else { throw ValidationError("--max-watches must be at least 1") }
        }

        func run() async throws {
            var logger = Logger(label: "flotilla")
            logger.logLevel = verbose ? .debug : .info
            let hub: Hub
            if !readOnly, FileManager.default.fileExists(atPath: db), !FileManager.default.isWritableFile(atPath: db) {
                throw Failure("cannot serve \(db): the journal file is not writable (a read-only file or file system); "
                    + "serve it with --read-only to inspect it")
            }
            do {
                let journal = try Hub.openJournal(path: db, readOnly: readOnly)
                hub = try Hub(
                    journal: journal, clock: SystemClock(), members: SimulatedMembers(latency: memberLatency),
                    limits: WatchLimits(maxWatches: maxWatches), readOnly: readOnly, logger: logger)
            } catch {
                throw Failure("cannot serve \(db): \(error)")
            }
            defer { hub.journal.close() }
            try await hub.resume()
            await hub.startRealTime()
            let events = await hub.state.lastSeq
            let mode = await hub.refusal.map { " READ-ONLY: \($0)" } ?? ""
            let server = HubServer(hub: hub, host: host, port: port, logger: logger)
            let host = self.host
            let db = self.db
            try await server.run { bound in
                // Written unbuffered: scripts wait for this line to learn the port.
                FileHandle.standardOutput.write(Data("flotilla: serving http://\(host):\(bound) (journal \(db), \(events) events)\(mode)\n".utf8))
            }
        }
    }
}
