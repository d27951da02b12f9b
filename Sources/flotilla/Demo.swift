import ArgumentParser
import Foundation
import Rollout

extension Flotilla {
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Play the seed tutorial on a fresh journal with simulated members.",
            discussion: "Virtual time by default, so the run's minute of waiting and 15-second member updates "
                + "finish at once; --real-time waits for real.")

        @Option(name: .long, help: "The journal file to create (replaced if it exists).")
        var db: String = "flotilla-demo.journal"

        @Option(name: .long, help: "Seconds each simulated member takes to apply a snapshot.")
        var memberLatency: Double = 15

        @Flag(name: .long, help: "Play on the wall clock instead of virtual time.")
        var realTime = false

        func validate() throws {
            guard memberLatency >= 0 else { throw ValidationError("--member-latency must be 0 or more seconds") }
        }

        func run() async throws {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
            let members = SimulatedMembers(latency: memberLatency)
            let hub: Hub
            let pace: SeedWalkthrough.Pace
            if realTime {
                hub = try Hub(path: db, clock: SystemClock(), members: members)
                pace = .realTime
                await hub.startRealTime()
            } else {
                let clock = ManualClock(SeedWalkthrough.virtualStart)
                hub = try Hub(path: db, clock: clock, members: members)
                pace = .virtual
            }
            try await SeedWalkthrough(hub: hub, pace: pace, out: { print($0) }).play()
            await hub.shutdown()
            let stats = try hub.journal.stats()
            print("\n# The journal")
            print("\(stats.events) events in \(db)")
            print("Inspect it with: flotilla journal stats --db \(db); flotilla journal verify --db \(db); flotilla journal log --db \(db)")
            hub.journal.close()
        }
    }
}
