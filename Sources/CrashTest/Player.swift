import CrashCheck
import FleetAPI
import Foundation

/// What one play of a scenario gave.
struct Outcome {
    /// What the play left, when its journal could be read.
    var play: Play?
    /// True when the driver got through every step.
    var completed: Bool
    /// Seconds from the first server serving to the last step done.
    var duration: Double
    /// When the server was killed, in seconds after the first server served.
    var kills: [Double]
    /// Seconds without a serving server.
    var downtime: Double
    var events: Int
    var problems: [String]
}

/// Plays a scenario against a child `flotilla serve`, killing it at the given moments, and checks the play on
/// its own (the comparison with the baseline is the caller's).
struct Player {
    let flotilla: String
    /// One for every play: a URLSession is not freed until invalidated.
    let client: HubClient
    /// What the journal records for the driver's writes: the hub serves `--insecure-http`, where nobody is
    /// authenticated, so it names the impersonated user as the anonymous one's.
    var actor: String { "system:anonymous (as \(client.actor))" }
    /// Milliseconds a TimedWait may end late.
    let slack: Int64
    let timeout: TimeInterval
    /// Added to each server's environment: the slow-writes library and its delay, when set.
    let serverEnvironment: [String: String]

    func play(_ scenario: Scenario, killTimes: [Double], directory: String) async -> Outcome {
        try? FileManager.default.removeItem(atPath: directory)
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let journal = "\(directory)/hub.journal"
        let server = HubProcess(
            flotilla: flotilla, journal: journal, memberLatency: scenario.memberLatency, directory: directory,
            environment: serverEnvironment)
        var outcome = Outcome(play: nil, completed: false, duration: 0, kills: [], downtime: 0, events: 0, problems: [])
        var listings: [String: [JSON]] = [:]
        let driver = Driver(server: server, client: client, timeout: timeout)
        let watcher = Watcher(server: server)
        let watching = Task { await watcher.follow() }
        do {
            try await server.start()
            let origin = await server.firstReady ?? Date()
            let killer = Task {
                for moment in killTimes {
                    let wait = max(0, moment - Date().timeIntervalSince(origin))
                    do { try await Task.sleep(for: .milliseconds(Int64(wait * 1000))) } catch { return }
                    guard await server.kill() else { return }
                    // Its own task, so that ending the kills never cancels a restart half-way.
                    await Task { try? await server.start() }.value
                }
            }
            var failure: (any Error)?
            do {
                try await driver.play(scenario.steps)
            } catch {
                failure = error
            }
            outcome.duration = Date().timeIntervalSince(origin)
            await server.endKills()
            killer.cancel()
            await killer.value
            if let failure { throw failure }
            try await driver.settle()
            listings = try await driver.listings()
            outcome.completed = true
        } catch {
            outcome.problems.append("the play did not finish: \(error)")
        }
        watching.cancel()
        await watching.value
        let watched = await watcher.finish()
        await server.stop()
        outcome.kills = await server.kills
        let downtimes = await server.downtimes
        let killedAt = await server.killedAt
        var observations = await driver.observations + watched
        for index in observations.indices {
            observations[index].serverKilledAt = killedAt[observations[index].server]
        }
        outcome.downtime = Double(downtimes.reduce(0) { $0 + $1.readyAt - $1.killedAt }) / 1000
        guard FileManager.default.fileExists(atPath: journal) else { return outcome }
        do {
            let play = Play(
                listings: listings, observations: observations, granted: await driver.granted,
                downtimes: downtimes, journal: try RoundJournal.load(path: journal))
            outcome.play = play
            outcome.events = play.journal.entries.count
            outcome.problems += try play.problems(actor: actor, slack: slack)
        } catch {
            outcome.problems.append("cannot read the journal: \(error)")
        }
        outcome.problems += verify(journal, directory: directory)
        return outcome
    }

    /// `flotilla journal verify --db FILE`: a problem unless it exits 0.
    func verify(_ journal: String, directory: String) -> [String] {
        let log = "\(directory)/verify.log"
        do {
            let pid = try Children.spawn(flotilla, ["journal", "verify", "--db", journal], output: log)
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                if let status = Children.exitStatus(pid) {
                    let code = Children.exitCode(status)
                    if code == 0 { return [] }
                    let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                    return ["flotilla journal verify exited \(code): \(output.trimmingCharacters(in: .whitespacesAndNewlines))"]
                }
                usleep(20_000)
            }
            Children.kill(pid)
            return ["flotilla journal verify did not finish within 60s"]
        } catch {
            return ["\(error)"]
        }
    }
}
