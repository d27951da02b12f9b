import Access

/// Who a request acts as once access control let it through, and what the journal records for it.
public struct RequestIdentity: Sendable, Hashable {
    public var user: UserInfo
    /// The authenticated user when the request impersonates `user`.
    public var impersonator: UserInfo?

    public init(user: UserInfo, impersonator: UserInfo? = nil) {
        self.user = user
        self.impersonator = impersonator
    }

    public var actor: String { Actor(user: user, impersonator: impersonator).recorded }

    /// `--insecure-http`: nobody is authenticated, and an `Impersonate-User` is taken at its word, though the
    /// journal still says the request was anonymous.
    static func insecure(_ impersonation: Impersonation?) -> RequestIdentity {
        guard let name = impersonation?.user, !name.isEmpty else { return RequestIdentity(user: .anonymous) }
        return RequestIdentity(user: UserInfo(name: name, groups: impersonation?.groups ?? []), impersonator: .anonymous)
    }
}
