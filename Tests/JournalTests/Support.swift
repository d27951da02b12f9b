import Foundation
import Testing

@testable import Journal

/// Runs `body` with the path of a journal file in a fresh temporary directory, removed afterwards.
func withJournalFile(_ body: (String) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("flotilla-journal-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try await body(directory.appendingPathComponent("test.journal").path)
}

/// The stores the journal tests run on: SQLite always, and PostgreSQL when `FLOTILLA_TEST_POSTGRES` holds the URL
/// of a database on a running server (`postgres://USER@HOST:PORT/DB`), as `tools/lib/postgres.sh` makes one.
enum TestStore: Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres(url: String)

    static let all: [TestStore] = {
        guard let url = ProcessInfo.processInfo.environment["FLOTILLA_TEST_POSTGRES"], !url.isEmpty else { return [.sqlite] }
        return [.sqlite, .postgres(url: url)]
    }()

    /// The PostgreSQL store alone, when there is one: for tests of what only PostgreSQL has.
    static let postgres: [TestStore] = all.filter { if case .postgres = $0 { true } else { false } }

    var testDescription: String {
        switch self {
        case .sqlite: "SQLite"
        case .postgres: "PostgreSQL"
        }
    }
}

/// A fresh, empty journal on one store: a file in a temporary directory, or a schema of its own in the test
/// database (named in the URL's `search_path`), dropped afterwards.
struct TestPlace: Sendable {
    let store: TestStore
    let location: JournalLocation

    var isPostgres: Bool { if case .postgres = store { true } else { false } }

    /// Opens the journal here, without a seed dictionary unless given one.
    func open(
        seedDictionary: [UInt8]? = nil, readOnly: Bool = false, synchronous: Synchronous = .full
    ) throws -> Journal {
        try Journal(location: location, seedDictionary: seedDictionary, readOnly: readOnly, synchronous: synchronous)
    }

    /// Closes `journal` and opens it again.
    func reopen(_ journal: Journal) throws -> Journal {
        journal.close()
        return try open()
    }

    /// A plain connection to the journal's database, as an outside process would have.
    func outside() throws -> OutsideSQL {
        switch location {
        case .file(let path): OutsideSQL(sqlite: try outsideConnection(path))
        case .postgres(let url): OutsideSQL(postgres: try PostgresConnection(url: url))
        }
    }
}

/// Runs `body` with a fresh journal place on `store`, removed afterwards.
func withJournal(_ store: TestStore, _ body: (TestPlace) async throws -> Void) async throws {
    switch store {
    case .sqlite:
        try await withJournalFile { path in try await body(TestPlace(store: store, location: .file(path))) }
    case .postgres(let url):
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let admin = try PostgresConnection(url: url)
        try admin.execute("CREATE SCHEMA \(schema)")
        defer { try? admin.execute("DROP SCHEMA \(schema) CASCADE") }
        let scoped = url + (url.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(schema)"
        try await body(TestPlace(store: store, location: .postgres(scoped)))
    }
}

/// SQL on a journal's database from outside the journal. Statements are written in SQLite's spelling; on
/// PostgreSQL its blob literals (`x'0102'`, `zeroblob(32)`) are rewritten to `bytea` ones.
final class OutsideSQL {
    private let sqlite: Connection?
    private let postgres: PostgresConnection?

    init(sqlite: Connection) {
        self.sqlite = sqlite
        self.postgres = nil
    }

    init(postgres: PostgresConnection) {
        self.sqlite = nil
        self.postgres = postgres
    }

    func execute(_ sql: String) throws {
        if let sqlite {
            try sqlite.execute(sql)
        } else if let postgres {
            try postgres.execute(Self.postgresSpelling(sql))
        }
    }

    /// Runs `sql` with `?1` (`$1` on PostgreSQL) bound to `bytes`.
    func execute(_ sql: String, binding bytes: [UInt8]) throws {
        if let sqlite {
            let statement = try sqlite.prepare(sql)
            try statement.bind(bytes, at: 1)
            _ = try statement.step()
        } else if let postgres {
            try postgres.query(sql.replacingOccurrences(of: "?1", with: "$1"), [.bytea(bytes)]).clear()
        }
    }

    func int64(_ sql: String) throws -> Int64? {
        if let sqlite { return try sqlite.int64(sql) }
        return try postgres!.int64(Self.postgresSpelling(sql))
    }

    func blob(_ sql: String) throws -> [UInt8]? {
        if let sqlite {
            let statement = try sqlite.prepare(sql)
            return try statement.step() ? statement.blob(at: 0) : nil
        }
        let result = try postgres!.query(sql)
        defer { result.clear() }
        return result.rows > 0 ? result.bytea(row: 0, column: 0) : nil
    }

    /// Every row of a query of integer columns.
    func rows(_ sql: String, columns: Int) throws -> [[Int64]] {
        if let sqlite {
            let statement = try sqlite.prepare(sql)
            var rows: [[Int64]] = []
            while try statement.step() { rows.append((0..<columns).map { statement.int64(at: Int32($0)) }) }
            return rows
        }
        let result = try postgres!.query(sql)
        defer { result.clear() }
        return (0..<result.rows).map { row in (0..<columns).map { result.int64(row: row, column: $0) } }
    }

    /// The first column of every row, as text; PostgreSQL only.
    func texts(_ sql: String) throws -> [String] {
        let result = try postgres!.query(sql)
        defer { result.clear() }
        return (0..<result.rows).map { result.text(row: $0, column: 0) }
    }

    /// Turns off the append-only triggers, as an attacker with the database's owner rights could.
    func allowTampering() throws {
        if let sqlite {
            try sqlite.execute(
                """
                DROP TRIGGER events_no_update;
                DROP TRIGGER events_no_delete;
                DROP TRIGGER events_insert_next;
                DROP TRIGGER dictionaries_no_update;
                """)
        } else if let postgres {
            try postgres.execute("ALTER TABLE events DISABLE TRIGGER USER; ALTER TABLE dictionaries DISABLE TRIGGER USER")
        }
    }

    /// SQLite's blob literals in PostgreSQL's spelling.
    static func postgresSpelling(_ sql: String) -> String {
        var text = sql.replacingOccurrences(of: "zeroblob(32)", with: "decode(repeat('00', 32), 'hex')")
        while let range = text.range(of: #"x'([0-9a-fA-F]*)'"#, options: .regularExpression) {
            let hex = text[range].dropFirst(2).dropLast()
            text.replaceSubrange(range, with: "'\\x\(hex)'::bytea")
        }
        return text
    }
}

func event(_ type: String = "Tested.v1", time: Int64 = 1_764_168_667_000, payload: String = #"{"ok":true}"#)
    -> NewEvent
{
    NewEvent(type: type, time: time, actor: "tests", payload: Array(payload.utf8))
}

/// Reproducible pseudo-random numbers (SplitMix64), so compression numbers do not drift between runs.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }

    mutating func hex(_ count: Int) -> String {
        String((0..<count).map { _ in Array("0123456789abcdef")[below(16)] })
    }
}

/// A condition change on a Fleet object, shaped like the status events the hub records.
func conditionEvent(_ random: inout SplitMix64, index: Int) -> NewEvent {
    let kinds = [
        ("ClusterStagedUpdateRun", "Progressing", "UpdateRunStarted"),
        ("ClusterStagedUpdateRun", "Succeeded", "UpdateRunSucceeded"),
        ("ClusterResourcePlacement", "ClusterResourcePlacementScheduled", "SchedulingPolicyFulfilled"),
        ("ClusterResourcePlacement", "ClusterResourcePlacementAvailable", "ResourceAvailable"),
        ("ClusterApprovalRequest", "Approved", "ApprovalGranted"),
    ]
    let (kind, type, reason) = kinds[random.below(kinds.count)]
    let name = ["example-run", "canary-rollout", "prod-rollout", "web-app"][random.below(4)] + "-\(random.below(40))"
    let cluster = ["member-1", "member-2", "member-3", "kind-cluster-1", "aks-eastus-2"][random.below(5)]
    let generation = 1 + random.below(9)
    let second = index % 60
    let json = """
        {"apiVersion":"placement.kubernetes-fleet.io/v1beta1","kind":"\(kind)","metadata":{"name":"\(name)",\
        "uid":"\(random.hex(8))-\(random.hex(4))-\(random.hex(4))-\(random.hex(4))-\(random.hex(12))",\
        "generation":\(generation),"resourceVersion":"\(1000 + index)"},"cluster":"\(cluster)",\
        "condition":{"type":"\(type)","status":"\(random.below(4) == 0 ? "False" : "True")",\
        "reason":"\(reason)","message":"cluster \(cluster) of \(kind) \(name) is \(reason) \
        at generation \(generation)",\
        "lastTransitionTime":"2025-11-26T14:\(10 + index % 40):\(second < 10 ? "0" : "")\(second)Z",\
        "observedGeneration":\(generation)}}
        """
    return NewEvent(
        type: "ConditionChanged.v1", time: 1_764_168_667_000 + Int64(index) * 1000, actor: "controller",
        payload: Array(json.utf8))
}

/// Concatenated sample events: a seed dictionary made of the same kind of payloads as the log will hold.
func seedDictionary(count: Int) -> [UInt8] {
    var random = SplitMix64(seed: 7)
    return (0..<count).flatMap { conditionEvent(&random, index: $0).payload }
}

/// Incompressible-ish bytes mixed with structure: exercises raw storage and big blocks.
func noisyPayload(_ random: inout SplitMix64, count: Int) -> [UInt8] {
    (0..<count).map { index in index % 3 == 0 ? UInt8(truncatingIfNeeded: random.next()) : UInt8(index % 251) }
}

/// Runs SQL on a second, plain connection to the journal file, as an outside process would.
func outsideConnection(_ path: String) throws -> Connection {
    let connection = try Connection(path: path, create: false)
    connection.setBusyTimeout(milliseconds: 5000)
    return connection
}
