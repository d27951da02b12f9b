import ArgumentParser

@main
struct Flotilla: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flotilla",
        abstract: "A staged-rollout hub for Kubernetes fleets, recorded in an append-only journal.",
        subcommands: [
            Serve.self, KubeconfigCommand.self, Approve.self, Demo.self, JournalCommand.self, Get.self, AuditCommand.self,
            Snapshots.self, Rollback.self, AgentCommand.self, Drain.self, Uncordon.self,
        ]
    )
}

extension Flotilla {
    /// Where `flotilla serve` listens unless told otherwise.
    static let defaultPort = 7480
}

/// The journal file a command reads or writes.
struct JournalOptions: ParsableArguments {
    @Option(name: .long, help: "The journal file.")
    var db: String = "flotilla.journal"
}

/// A command's failure, printed as `Error: <message>` without the usage text that a `ValidationError` adds.
struct Failure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
