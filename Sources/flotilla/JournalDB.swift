import ArgumentParser
import Foundation
import Journal
import Rollout

/// The journal `--db` names, a file or a PostgreSQL URL (`postgres://USER@HOST:PORT/DB`): the one place the
/// commands turn `--db` into a `Journal`, and into the place the hub keeps its credentials and data keys.
struct JournalDB: CustomStringConvertible {
    let location: JournalLocation

    /// - Throws: `ValidationError` naming what a PostgreSQL URL lacks or gets wrong.
    init(_ text: String) throws {
        do {
            location = try JournalLocation(parsing: text)
        } catch {
            throw ValidationError("--db: \(error)")
        }
    }

    /// The path, or the URL without its password.
    var description: String { location.description }

    /// Opens the journal to serve it, creating it when missing.
    func open(readOnly: Bool) throws -> Journal {
        try Hub.openJournal(location, readOnly: readOnly)
    }

    /// Opens an existing journal read-only: the inspecting commands never write, so they run beside a serving hub,
    /// on a read-only file system, and on a database where they may only read.
    func inspect() throws -> Journal {
        guard exists else { throw ValidationError("--db: no journal at \(self)") }
        do {
            return try Hub.openJournal(location, readOnly: true)
        } catch JournalError.unsupportedSchema(version: 0) {
            throw ValidationError("--db: no journal at \(self) (the database has no journal tables)")
        }
    }

    /// Whether several hubs may serve the journal, one leading: a database may be shared, a file has one hub.
    var isShared: Bool {
        if case .postgres = location { return true }
        return false
    }

    /// False only when a file journal's file is missing; a database is asked when opened.
    var exists: Bool {
        guard case .file(let path) = location else { return true }
        return FileManager.default.fileExists(atPath: path)
    }

    /// The file beside which the hub keeps its CA, certificates and data keys (`HubCredentials` adds `.pki`): the
    /// journal file itself, or for a PostgreSQL journal `flotilla-HOST-PORT-DB` in the working directory. Keys stay
    /// on the hub's machine, out of the database every reader of the journal can reach.
    var credentialsBase: String {
        guard case .postgres(let url) = location, let parts = URL(string: url) else {
            if case .file(let path) = location { return path }
            return "flotilla-postgres"
        }
        let name = [parts.host ?? "", parts.port.map(String.init) ?? "5432", String(parts.path.dropFirst())]
            .joined(separator: "-")
        return "flotilla-" + String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" })
    }
}
