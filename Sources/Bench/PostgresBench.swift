import CLibPQ
import Foundation
import Journal
import Rollout

/// The journal on PostgreSQL, beside the SQLite figures: appends through `Journal.append` and a replay of the
/// benchmark journal copied there. `tools/bench` starts a throwaway server (`tools/lib/postgres.sh`) and passes
/// its database's URL as `--postgres`; each journal gets a fresh schema of its own in that database.
struct PostgresBench {
    let url: String

    /// The URL of a new, empty schema `name` (dropped first if a run left it), for one journal.
    func freshJournal(_ name: String) throws -> String {
        try execute("DROP SCHEMA IF EXISTS \(name) CASCADE; CREATE SCHEMA \(name)")
        return url + (url.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(name)"
    }

    func drop(_ name: String) {
        try? execute("DROP SCHEMA IF EXISTS \(name) CASCADE")
    }

    /// Events per second appending `rows` to a fresh PostgreSQL journal.
    func append(_ rows: [RecordedEvent], mode: AppendBench.Mode, synchronous: Synchronous) async throws -> Double {
        let journal = try Hub.openJournal(.postgres(try freshJournal("bench_append")), synchronous: synchronous)
        defer {
            journal.close()
            drop("bench_append")
        }
        return try await AppendBench.appendRate(rows, mode: mode, to: journal)
    }

    /// The benchmark journal copied into schema `bench_replay` (kept until the next run), for the replay figure.
    func copy(_ corpus: Corpus) async throws -> String {
        let url = try freshJournal("bench_replay")
        let source = try Hub.openJournal(path: corpus.path, readOnly: true)
        defer { source.close() }
        let target = try Hub.openJournal(.postgres(url))
        defer { target.close() }
        _ = try await source.copy(to: target)
        return url
    }

    private func execute(_ sql: String) throws {
        guard let connection = PQconnectdb(url) else { throw BenchError("postgres: cannot allocate a connection") }
        defer { PQfinish(connection) }
        guard PQstatus(connection) == CONNECTION_OK else {
            throw BenchError("postgres: cannot connect to \(url): \(String(cString: PQerrorMessage(connection)))")
        }
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_COMMAND_OK else {
            throw BenchError("postgres: \(String(cString: PQerrorMessage(connection)))")
        }
    }
}
