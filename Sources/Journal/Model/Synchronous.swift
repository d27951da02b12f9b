/// How far a commit has reached the disk when the journal reports it durable: SQLite's `synchronous` setting, with
/// the journal in WAL mode, or PostgreSQL's `synchronous_commit` (`on` for `.full`; `off` for `.normal`, where the
/// newest commits can be lost if the server crashes, never corrupting the database).
///
/// ```swift
/// let journal = try Journal(path: "fleet.journal", synchronous: .normal)
/// ```
///
/// Related documentation: <https://www.sqlite.org/pragma.html#pragma_synchronous>,
/// <https://www.sqlite.org/wal.html#performance_considerations>,
/// <https://www.postgresql.org/docs/15/runtime-config-wal.html#GUC-SYNCHRONOUS-COMMIT>
public enum Synchronous: String, Sendable, CaseIterable {
    /// Each commit is synced to disk before it returns: a committed event survives a power loss. The default.
    case full = "FULL"
    /// Commits are written to the WAL without a sync, which happens at checkpoints: a committed event survives the
    /// process crashing, but the newest commits can be lost with the machine's power (never corrupting the file).
    case normal = "NORMAL"

    /// The value `PRAGMA synchronous` reads back in this mode.
    var pragmaValue: Int64 {
        switch self {
        case .full: 2
        case .normal: 1
        }
    }

    /// The `synchronous_commit` a PostgreSQL journal's writer sets in this mode.
    var synchronousCommit: String {
        switch self {
        case .full: "on"
        case .normal: "off"
        }
    }
}
