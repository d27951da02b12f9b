import Foundation
import Rollout

/// `flotilla-bench`: the benchmark program behind `tools/bench`.
///
///     flotilla-bench all [--quick] [--json FILE] --flotilla PATH --peer SCRIPT [--cache DIR] [--only FIGURE,...]
///                        [--scale-cap SECONDS] [--postgres URL]
///     flotilla-bench replay --db FILE|URL --repeats N
///     flotilla-bench scale-one-run --members N --stages N --concurrency N --work DIR --cap SECONDS
///     flotilla-bench scale-many-runs --members N --placements N --runs N --work DIR --cap SECONDS
///     flotilla-bench short-runs --runs N --members N --work DIR
///     flotilla-bench append --db FILE --side flotilla|raw --mode single|batch|concurrent --synchronous FULL|NORMAL
///                           --events N --repeats N --work DIR
///
/// `all` runs every figure and runs the memory figures as fresh child processes of this binary (the other
/// subcommands), whose peak RSS it reads from wait4.
struct Arguments {
    var values: [String: String] = [:]
    var flags: Set<String> = []

    init(_ arguments: ArraySlice<String>) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            guard argument.hasPrefix("--") else { continue }
            let name = String(argument.dropFirst(2))
            if ["quick"].contains(name) {
                flags.insert(name)
            } else if let value = iterator.next() {
                values[name] = value
            }
        }
    }

    func string(_ name: String) throws -> String {
        guard let value = values[name] else { throw BenchError("missing --\(name)") }
        return value
    }

    func int(_ name: String) throws -> Int {
        guard let value = Int(try string(name)) else { throw BenchError("--\(name) must be a whole number") }
        return value
    }

    func double(_ name: String) throws -> Double {
        guard let value = Double(try string(name)) else { throw BenchError("--\(name) must be a number") }
        return value
    }
}

installChildCleanup()

let command = CommandLine.arguments.dropFirst().first ?? "help"
let arguments = Arguments(CommandLine.arguments.dropFirst(2))
do {
    switch command {
    case "all":
        try await Orchestrator(arguments).run()
    case "replay":
        emit(try InProcess.replay(db: try arguments.string("db"), repeats: try arguments.int("repeats")))
    case "scale-one-run":
        emit(try await InProcess.scaleOneRun(
            members: try arguments.int("members"), stages: try arguments.int("stages"),
            concurrency: try arguments.int("concurrency"), work: try arguments.string("work"), cap: try arguments.double("cap")))
    case "scale-many-runs":
        emit(try await InProcess.scaleManyRuns(
            members: try arguments.int("members"), placements: try arguments.int("placements"), runs: try arguments.int("runs"),
            work: try arguments.string("work"), cap: try arguments.double("cap")))
    case "short-runs":
        emit(try await InProcess.manyShortRuns(
            runs: try arguments.int("runs"), members: try arguments.int("members"), work: try arguments.string("work")))
    case "append":
        emit(try await AppendBench.profile(arguments))
    default:
        print("usage: flotilla-bench all [--quick] [--json FILE] --flotilla PATH --peer SCRIPT [--cache DIR]")
        exit(command == "help" ? 0 : 2)
    }
} catch {
    FileHandle.standardError.write(Data("flotilla-bench \(command): \(error)\n".utf8))
    stopAllChildren()
    exit(1)
}
