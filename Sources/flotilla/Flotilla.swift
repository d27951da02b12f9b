import ArgumentParser
import Foundation

@main
struct Flotilla: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: invokedAs,
        abstract: "A staged-rollout hub for Kubernetes fleets, recorded in an append-only journal.",
        subcommands: [
            Serve.self, KubeconfigCommand.self, Approve.self, Status.self, Timeline.self, Demo.self, JournalCommand.self,
            Get.self, AuditCommand.self, Snapshots.self, Rollback.self, AgentCommand.self, InstallPlugin.self, Drain.self,
            Uncordon.self, Plan.self,
        ]
    )
}

extension Flotilla {
    /// Where `flotilla serve` listens unless told otherwise.
    static let defaultPort = 7480

    /// `kubectl flotilla` when kubectl runs this binary as its plugin (through a `kubectl-flotilla` link, see
    /// `install-plugin`), so usage lines and the commands a view suggests are the ones the user types.
    static let invokedAs =
        (CommandLine.arguments.first.map { ($0 as NSString).lastPathComponent } == "kubectl-flotilla") ? "kubectl flotilla" : "flotilla"

    /// This binary's own path, links resolved: what `install-plugin` links to.
    static var executablePath: String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        let argument = CommandLine.arguments[0]
        let absolute = argument.hasPrefix("/") ? argument : FileManager.default.currentDirectoryPath + "/" + argument
        return (absolute as NSString).resolvingSymlinksInPath
    }
}

/// The journal a command reads or writes.
struct JournalOptions: ParsableArguments {
    @Option(name: .long, help: "The journal: a file, or a PostgreSQL URL (postgres://USER@HOST:PORT/DB).")
    var db: String = "flotilla.journal"

    func validate() throws {
        _ = try JournalDB(db)
    }

    var journal: JournalDB {
        get throws { try JournalDB(db) }
    }
}

/// A command's failure, printed as `Error: <message>` without the usage text that a `ValidationError` adds.
struct Failure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
