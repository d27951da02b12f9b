/// Where a journal lives, as `--db` names it: a SQLite file path, or a PostgreSQL URL
/// (`postgres://USER@HOST:PORT/DB`, or `postgresql://`; query parameters such as `?options=...` go to libpq).
///
/// ```swift
/// let location = try JournalLocation(parsing: "postgres://flotilla@127.0.0.1:5432/fleet")
/// ```
public enum JournalLocation: Sendable, Equatable {
    case file(String)
    case postgres(String)

    /// Reads `text` as a PostgreSQL URL when it starts with `postgres://` or `postgresql://`, and as a file path
    /// otherwise.
    ///
    /// - Throws: `JournalError.invalidLocation` naming what a PostgreSQL URL lacks (a host, a database) or gets
    ///   wrong (its port).
    public init(parsing text: String) throws(JournalError) {
        guard let scheme = Self.schemes.first(where: { text.hasPrefix($0) }) else {
            self = .file(text)
            return
        }
        let rest = text.dropFirst(scheme.count)
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        let database = rest.dropFirst(authority.count).prefix { $0 != "?" }.dropFirst()
        let hostAndPort = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
        let host = hostAndPort.hasPrefix("[") ? hostAndPort.prefix { $0 != "]" } : hostAndPort.prefix { $0 != ":" }
        let afterHost = hostAndPort.dropFirst(host.count).drop { $0 == "]" }
        let shown = Self.redacting(text)
        guard !host.isEmpty else {
            throw .invalidLocation("\(shown) names no host (expected postgres://USER@HOST:PORT/DB)")
        }
        if afterHost.first == ":" {
            let port = afterHost.dropFirst()
            guard let number = Int(port), 1...65535 ~= number else {
                throw .invalidLocation("\(shown) has port '\(port)', not a number from 1 to 65535")
            }
        }
        guard !database.isEmpty else {
            throw .invalidLocation("\(shown) names no database (expected postgres://USER@HOST:PORT/DB)")
        }
        self = .postgres(text)
    }

    private static let schemes = ["postgres://", "postgresql://"]

    /// A URL with any password replaced by `***`, for messages and logs.
    static func redacting(_ url: String) -> String {
        guard let scheme = schemes.first(where: { url.hasPrefix($0) }) else { return url }
        let rest = url.dropFirst(scheme.count)
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else {
            return url
        }
        return scheme + rest[..<colon] + ":***" + rest[at...]
    }
}

extension JournalLocation: CustomStringConvertible {
    /// The path, or the URL without its password.
    public var description: String {
        switch self {
        case .file(let path): path
        case .postgres(let url): Self.redacting(url)
        }
    }
}
