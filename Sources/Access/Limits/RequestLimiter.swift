/// How many requests and watches each user has open, and whether one more may start: the hub's per-user share of
/// what the API server's priority and fairness does, so that one user cannot hold every connection.
///
/// A value with no clock, lock or I/O, so its rules are tested as given/when/then; the server keeps one behind a
/// lock. Users are counted by the name they authenticated as, not the one they impersonate, so impersonating
/// many names buys no more room. `system:masters` is exempt, as the API server exempts it from its 429s.
///
/// ```swift
/// var limiter = RequestLimiter(limits: .init(requests: 1, watches: 1))
/// limiter.admit(alice, .request)  // .counted
/// limiter.admit(alice, .request)  // .refused
/// limiter.release("alice", .request)
/// ```
public struct RequestLimiter: Sendable, Equatable {
    public struct Limits: Sendable, Equatable {
        /// Requests other than watches one user may have in flight at once.
        public var requests: Int
        /// Watches one user may hold open at once.
        public var watches: Int

        public init(requests: Int = 100, watches: Int = 100) {
            self.requests = requests
            self.watches = watches
        }
    }

    /// What is counted: a watch lives long and has its own limit, as the API server counts long-running
    /// requests apart.
    public enum Kind: String, Sendable, Hashable {
        case request
        case watch
    }

    public enum Decision: Sendable, Equatable {
        /// Counted: the caller must `release` it when it ends.
        case counted
        /// Not counted: nothing to release.
        case exempt
        /// Over the user's limit: answer 429.
        case refused
    }

    public struct Key: Sendable, Hashable {
        public var user: String
        public var kind: Kind

        public init(_ user: String, _ kind: Kind) {
            self.user = user
            self.kind = kind
        }
    }

    public let limits: Limits
    /// What each user has open; a user with nothing open has no entry.
    public private(set) var open: [Key: Int] = [:]

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    public func limit(_ kind: Kind) -> Int {
        switch kind {
        case .request: limits.requests
        case .watch: limits.watches
        }
    }

    /// Counts one more `kind` for `user` unless that passes their limit.
    public mutating func admit(_ user: UserInfo, _ kind: Kind) -> Decision {
        if user.isMaster { return .exempt }
        let key = Key(user.name, kind)
        let count = open[key, default: 0]
        guard count < limit(kind) else { return .refused }
        open[key] = count + 1
        return .counted
    }

    /// Ends one counted `kind` of `user`.
    public mutating func release(_ user: String, _ kind: Kind) {
        let key = Key(user, kind)
        guard let count = open[key] else { return }
        open[key] = count > 1 ? count - 1 : nil
    }
}
