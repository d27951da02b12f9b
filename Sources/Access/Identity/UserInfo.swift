/// Who a request comes from, as the API server's `user.Info` holds it.
public struct UserInfo: Sendable, Hashable, Codable {
    public var name: String
    public var uid: String
    public var groups: [String]
    public var extra: [String: [String]]

    public init(name: String, uid: String = "", groups: [String] = [], extra: [String: [String]] = [:]) {
        self.name = name
        self.uid = uid
        self.groups = groups
        self.extra = extra
    }

    public static let anonymous = UserInfo(name: "system:anonymous", groups: ["system:unauthenticated"])
    public static let mastersGroup = "system:masters"
    public static let authenticatedGroup = "system:authenticated"
    public static let unauthenticatedGroup = "system:unauthenticated"

    /// Every identity but the anonymous one is also in `system:authenticated`, unless it already names one of
    /// the two.
    public func addingAuthenticatedGroup() -> UserInfo {
        var user = self
        if !groups.contains(Self.authenticatedGroup) && !groups.contains(Self.unauthenticatedGroup) {
            user.groups.append(Self.authenticatedGroup)
        }
        return user
    }

    public var isMaster: Bool { groups.contains(Self.mastersGroup) }

    /// The ServiceAccount a `system:serviceaccount:<namespace>:<name>` user name stands for.
    public var serviceAccount: (namespace: String, name: String)? { ServiceAccountName.parse(name) }
}

/// The user names and groups of ServiceAccounts.
public enum ServiceAccountName {
    public static let prefix = "system:serviceaccount:"

    public static func user(namespace: String, name: String) -> String { "\(prefix)\(namespace):\(name)" }

    public static func groups(namespace: String) -> [String] {
        ["system:serviceaccounts", "system:serviceaccounts:\(namespace)"]
    }

    public static func parse(_ user: String) -> (namespace: String, name: String)? {
        guard user.hasPrefix(prefix) else { return nil }
        let parts = user.dropFirst(prefix.count).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return (String(parts[0]), String(parts[1]))
    }
}

/// Who a request acts as once access control let it through: the user, and the authenticated one behind it
/// when the request impersonates.
public struct RequestIdentity: Sendable, Hashable {
    public var user: UserInfo
    /// The authenticated user when the request impersonates `user`.
    public var impersonator: UserInfo?

    public init(user: UserInfo, impersonator: UserInfo? = nil) {
        self.user = user
        self.impersonator = impersonator
    }

    /// What the journal records: `alice`, or `alice (as bob)` when alice impersonated bob. The real user comes
    /// first, since the journal's "who" must be the authenticated one.
    public var actor: String {
        guard let impersonator else { return user.name }
        return "\(impersonator.name) (as \(user.name))"
    }

    /// `--insecure-http`: nobody is authenticated, and an `Impersonate-User` is taken at its word, though the
    /// journal still says the request was anonymous.
    public static func insecure(_ impersonation: Impersonation?) -> RequestIdentity {
        guard let name = impersonation?.user, !name.isEmpty else { return RequestIdentity(user: .anonymous) }
        return RequestIdentity(user: UserInfo(name: name, groups: impersonation?.groups ?? []), impersonator: .anonymous)
    }
}
