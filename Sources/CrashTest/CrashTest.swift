import ArgumentParser
import CrashCheck
import Foundation

@main
struct CrashTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flotilla-crash-test",
        abstract: "Kill `flotilla serve` with SIGKILL mid-rollout and prove it resumes exactly.",
        discussion: """
            Plays each scenario once uninterrupted against a child `flotilla serve` (the baseline), then, each \
            round, again on a fresh journal while killing the server with SIGKILL at 1 to 3 moments drawn \
            uniformly over the baseline's duration, restarting it on the same journal each time. The driver \
            re-sends what got no answer and re-grants approvals not yet approved. A round passes when every \
            listed object equals the baseline's (seqs, uids and wall-clock times aside), each member received \
            each snapshot as often, no step was lost, repeated or invented, each TimedWait ended at its recorded \
            deadline, each approval was recorded once with its actor, everything a server showed (lists, \
            watches) is what the journal holds at that resourceVersion and was recorded before that server \
            was killed, and `flotilla journal verify` passes.

            Scenarios (members apply in 0.1 s; waits shortened to 2 s):
              cluster-seed     the seed tutorial at cluster scope (its 1m wait
                               shortened to 2s), approval, rollback run:
                               a play takes about 4.5 s, a round about 5 s
              namespaced-seed  the same with ResourcePlacement, StagedUpdate-
                               Strategy, StagedUpdateRun and ApprovalRequest
                               in test-namespace: about 4 s, 5 s a round
              fleet-100        100 members in 10 stages of 4 to 14,
                               maxConcurrency 10, two 2s TimedWaits,
                               approvals before stages 2, 4, 7 and after 4
                               and 9: about 10 s, 13 s a round
            --rounds 10 takes about 4 minutes on two cores, baselines included.

            Each server runs with libCrashTestSlowWrites.so (beside this tool) preloaded, which makes each \
            write to its WAL wait --wal-write-delay ms first: a commit otherwise takes well under a \
            millisecond here, and random kills would almost never land mid-commit.

            One line per round: scenario, seed, kill times (seconds after the first server served), result. \
            A round's seed replays it: --seed SEED --rounds 1 --scenario NAME. A failing round's directory \
            (journal, server logs) is kept and named.
            """)

    @Option(help: "Rounds to play after the baselines.")
    var rounds = 1

    @Option(help: "The seed of the first round; each next round takes the next number. Random when left out.")
    var seed: UInt64?

    @Option(name: .customLong("scenario"), help: "A scenario to play (repeatable): cluster-seed, namespaced-seed, fleet-100; all when left out.")
    var scenarios: [String] = []

    @Option(help: "The flotilla binary; by default the one beside this tool.")
    var flotilla: String?

    @Option(help: "Seconds a TimedWait may end after its deadline (or after the restart that followed it).")
    var waitSlack = 1.0

    @Option(help: "Seconds a play may take before it counts as stuck.")
    var timeout = 180.0

    @Option(help: "Milliseconds each write of the server to its WAL waits first, so that kills land mid-commit; 0 for none.")
    var walWriteDelay = 2.0

    /// The actor the driver's writes, approvals included, are recorded with.
    static let actor = "crash-test"

    func validate() throws {
        guard rounds >= 0 else { throw ValidationError("--rounds must be 0 or more") }
        for name in scenarios where Scenario.named(name) == nil {
            throw ValidationError("--scenario: no scenario \(name); there are \(Scenario.all.map(\.name).joined(separator: ", "))")
        }
        guard waitSlack >= 0, timeout > 0 else { throw ValidationError("--wait-slack and --timeout must be positive") }
        guard walWriteDelay >= 0 else { throw ValidationError("--wal-write-delay must be 0 or more milliseconds") }
    }

    func run() async throws {
        Children.installSignalHandlers()
        defer { Children.killAll() }
        let binary = flotilla ?? Self.sibling("flotilla")
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw ValidationError("no flotilla binary at \(binary); build it or pass --flotilla")
        }
        let selected = scenarios.isEmpty ? Scenario.all : scenarios.compactMap(Scenario.named)
        let firstSeed = seed ?? UInt64.random(in: 1...999_999)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-crash-test-\(getpid())").path
        var environment: [String: String] = [:]
        if walWriteDelay > 0 {
            let library = Self.sibling("libCrashTestSlowWrites.so")
            guard FileManager.default.fileExists(atPath: library) else {
                throw ValidationError("no \(library) for --wal-write-delay; build it (swift build --product CrashTestSlowWrites) or pass 0")
            }
            environment = ["LD_PRELOAD": library, "FLOTILLA_CRASH_TEST_WAL_WRITE_DELAY_US": String(Int(walWriteDelay * 1000))]
        }
        let player = Player(
            flotilla: binary, client: HubClient(actor: Self.actor), slack: Int64(waitSlack * 1000), timeout: timeout,
            serverEnvironment: environment)
        Self.say("flotilla-crash-test: seed \(firstSeed), \(rounds) rounds of \(selected.map(\.name).joined(separator: ", "))")

        var passed = 0
        var failed = 0
        var baselines: [String: Outcome] = [:]
        for scenario in selected {
            let directory = "\(scratch)/\(scenario.name)-baseline"
            let outcome = await player.play(scenario, killTimes: [], directory: directory)
            let result = outcome.problems.isEmpty ? "ok" : "FAILED, its rounds are skipped"
            Self.say(
                "baseline \(scenario.name): \(Self.seconds(outcome.duration)), \(outcome.events) events, "
                    + "\(outcome.play?.observations.count ?? 0) shown states checked, \(result)")
            if outcome.problems.isEmpty {
                baselines[scenario.name] = outcome
                try? FileManager.default.removeItem(atPath: directory)
            } else {
                failed += 1
                Self.report(outcome.problems, kept: directory)
            }
        }
        for round in 0..<rounds {
            let roundSeed = firstSeed &+ UInt64(round)
            for scenario in selected {
                guard let baseline = baselines[scenario.name], let reference = baseline.play else { continue }
                let planned = KillPlan.killTimes(seed: roundSeed, scenario: scenario.name, duration: baseline.duration)
                let directory = "\(scratch)/\(scenario.name)-seed-\(roundSeed)"
                let started = Date()
                var outcome = await player.play(scenario, killTimes: planned, directory: directory)
                if let play = outcome.play, outcome.completed {
                    outcome.problems += play.differences(from: reference)
                }
                let kills = outcome.kills.map(Self.seconds).joined(separator: ", ")
                let unused = planned.count - outcome.kills.count
                Self.say(
                    "round \(round + 1)/\(rounds) \(scenario.name) seed=\(roundSeed) kills=[\(kills)]"
                        + (unused > 0 ? " (\(unused) more planned after the end)" : "")
                        + " downtime=\(Self.seconds(outcome.downtime)) play=\(Self.seconds(outcome.duration))"
                        + " round=\(Self.seconds(Date().timeIntervalSince(started))): "
                        + (outcome.problems.isEmpty ? "PASS" : "FAIL"))
                if outcome.problems.isEmpty {
                    passed += 1
                    try? FileManager.default.removeItem(atPath: directory)
                } else {
                    failed += 1
                    Self.report(outcome.problems, kept: directory)
                }
            }
        }
        // Only when empty: the directories of failed plays stay.
        rmdir(scratch)
        Self.say("\(passed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode.failure }
    }

    static func report(_ problems: [String], kept directory: String) {
        for problem in problems.prefix(20) { say("    \(problem)") }
        if problems.count > 20 { say("    ... and \(problems.count - 20) more") }
        say("    kept: \(directory)")
    }

    /// A line on stdout at once, so progress shows even when piped.
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func seconds(_ value: Double) -> String {
        String(format: "%.2fs", value)
    }

    /// A binary in this tool's own directory.
    static func sibling(_ name: String) -> String {
        let me = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        return me.deletingLastPathComponent().appendingPathComponent(name).path
    }
}
