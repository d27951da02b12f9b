import FleetAPI
import Foundation

/// What an audit asks for: one run's steps, or what one cluster held, or everything; narrowed to one actor and
/// to a time window. The CLI and the hub's audit endpoint build it the same way, so both refuse the same input.
public struct AuditQuery: Sendable, Hashable {
    public var run: ObjectKey?
    public var cluster: String?
    public var actor: String?
    public var since: Date?
    public var until: Date?

    public init(run: ObjectKey? = nil, cluster: String? = nil, actor: String? = nil, since: Date? = nil, until: Date? = nil) {
        self.run = run
        self.cluster = cluster
        self.actor = actor
        self.since = since
        self.until = until
    }

    /// Builds a query from its text form: `run` in `namespace` is a StagedUpdateRun, without one a
    /// ClusterStagedUpdateRun; `since` and `until` are RFC 3339 times or durations before `now`.
    ///
    /// - Throws: `AuditQueryError` naming the option and its rule.
    public init(
        run: String?, namespace: String?, cluster: String?, actor: String?, since: String?, until: String?, now: Date
    ) throws(AuditQueryError) {
        if run != nil && cluster != nil { throw .init(option: "cluster", rule: "cannot be combined with run: ask for one run or one cluster") }
        if namespace != nil && run == nil { throw .init(option: "namespace", rule: "only applies to run, naming a namespaced StagedUpdateRun") }
        for (option, value) in [("run", run), ("namespace", namespace), ("cluster", cluster), ("actor", actor)] where value?.isEmpty == true {
            throw .init(option: option, rule: "must not be empty")
        }
        self.run = run.map { name in
            namespace.map { ObjectKey(.stagedUpdateRun, namespace: $0, name: name) } ?? ObjectKey(.clusterStagedUpdateRun, name: name)
        }
        self.cluster = cluster
        self.actor = actor
        self.since = try since.map { text throws(AuditQueryError) in try Self.time(text, option: "since", now: now) }
        self.until = try until.map { text throws(AuditQueryError) in try Self.time(text, option: "until", now: now) }
        if let start = self.since, let end = self.until, start > end {
            throw .init(option: "until", rule: "must not be before since")
        }
    }

    /// An RFC 3339 time, or a duration in hours, minutes and seconds (`2h`, `90m`, `1h30m`) meaning that long
    /// before `now`.
    static func time(_ text: String, option: String, now: Date) throws(AuditQueryError) -> Date {
        if let time = KubeTime.parse(text) { return time }
        if let duration = GoDuration(parsing: text) { return now.addingTimeInterval(-Double(duration.milliseconds) / 1000) }
        throw .init(option: option, rule: "must be an RFC 3339 time such as 2025-07-22T21:29:00Z or a duration such as 2h, 30m or 1h30m")
    }

    /// Whether a line that spans `from`...`to` (an instant when `to` is `from`; open when nil) meets the window.
    func overlaps(from: Date, to: Date?) -> Bool {
        if let since, let to, to < since { return false }
        if let until, from > until { return false }
        return true
    }
}

/// An audit option that breaks its rule.
public struct AuditQueryError: Error, Hashable, CustomStringConvertible {
    public var option: String
    public var rule: String

    public var description: String { "--\(option): \(rule)" }
}
