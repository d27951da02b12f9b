import ArgumentParser
import FleetAPI
import Foundation
import Rollout

extension Flotilla {
    struct AuditCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "audit",
            abstract: "Who did what and when: a run's every step, what a cluster held, or what a user did.",
            discussion: """
                Reads the journal file (--db) or asks a running hub, found as kubectl finds it (--kubeconfig, $KUBECONFIG, --context, --server). Every line carries the seq of the \
                event it comes from. An approval line names the request, its stage and run, who approved it, when, \
                with what message, and `plan`: the SHA-256 of the canonical JSON of the run's UpdateRunInitialized \
                payload (its frozen stage plan), the bytes `flotilla journal log --payload` prints.
                """)

        @Option(name: .long, help: "Every step of this update run: edits, controller steps, approvals, member reports.")
        var run: String?

        @Option(name: [.short, .long], help: "The run's namespace: a StagedUpdateRun rather than a ClusterStagedUpdateRun.")
        var namespace: String?

        @Option(name: .long, help: "Which placement and snapshot index this member cluster held, from when to when.")
        var cluster: String?

        @Option(name: .long, help: "Only what this user (or controller, e.g. controller/updaterun) did.")
        var actor: String?

        @Option(name: .long, help: "Only from this time: RFC 3339, or a duration such as 2h meaning that long ago.")
        var since: String?

        @Option(name: .long, help: "Only up to this time: RFC 3339, or a duration such as 30m meaning that long ago.")
        var until: String?

        @Option(name: [.short, .long], help: "yaml or json; a table when left out.")
        var output: OutputFormat?

        @Option(name: .long, help: "The journal: a file, or a PostgreSQL URL (postgres://USER@HOST:PORT/DB).")
        var db: String?

        @OptionGroup(title: "A running hub, instead of --db") var connection: HubConnection

        func validate() throws {
            if db != nil && (connection.server != nil || connection.kubeconfig != nil || connection.context != nil) {
                throw ValidationError("--db or a hub (--server, --kubeconfig, --context): give one, the journal file or the hub")
            }
            do {
                _ = try query(now: Date())
            } catch {
                throw ValidationError(error.description)
            }
        }

        func query(now: Date) throws(AuditQueryError) -> AuditQuery {
            try AuditQuery(run: run, namespace: namespace, cluster: cluster, actor: actor, since: since, until: until, now: now)
        }

        func run() async throws {
            let lines: [AuditLine]
            if db == nil {
                let (body, code) = try await HubClient(try connection.resolve()).request(
                    "GET", "/flotilla/v1/audit",
                    query: ["run": run, "namespace": namespace, "cluster": cluster, "actor": actor, "since": since, "until": until])
                guard code == 200 else { throw HubClient.failure(body, code) }
                lines = (try JSON.parse(Array(body))["lines"]?.arrayValue ?? []).compactMap(AuditLine.init(json:))
            } else {
                let db = try JournalDB(self.db!)
                let journal = try db.inspect()
                defer { journal.close() }
                lines = Audit.lines(try History.envelopes(journal, unsealing: try Flotilla.unsealing(journal: db)), try query(now: Date()))
            }
            switch output {
            case .some(let format): print(format.render(["lines": .array(lines.map(\.json))]), terminator: "")
            case nil where lines.isEmpty: print("No events match.")
            case nil: print(TablePrinter.format(AuditLine.table(lines, holdings: cluster != nil)), terminator: "")
            }
        }
    }
}
