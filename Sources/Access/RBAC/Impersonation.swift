import FleetAPI
import Foundation

/// `kubectl --as`: the `Impersonate-*` headers, each item authorized as verb `impersonate` for the real user
/// before the request goes on as the impersonated one (`filters/impersonation.go`).
public struct Impersonation: Sendable, Hashable {
    public var user: String?
    public var groups: [String]
    public var uid: String?
    public var extra: [String: [String]]

    public init(user: String? = nil, groups: [String] = [], uid: String? = nil, extra: [String: [String]] = [:]) {
        self.user = user
        self.groups = groups
        self.uid = uid
        self.extra = extra
    }

    /// The impersonation a request asks for, from its headers (lowercased names, every value of each); nil
    /// when it asks for none.
    public static func requested(_ headers: [String: [String]]) -> Impersonation? {
        var request = Impersonation()
        request.user = headers["impersonate-user"]?.first
        request.groups = headers["impersonate-group"] ?? []
        request.uid = headers["impersonate-uid"]?.first
        for (name, values) in headers where name.hasPrefix("impersonate-extra-") {
            let key = String(name.dropFirst("impersonate-extra-".count))
            request.extra[key.removingPercentEncoding ?? key, default: []] += values
        }
        let asksForSomething = request.user != nil || !request.groups.isEmpty || request.uid != nil || !request.extra.isEmpty
        return asksForSomething ? request : nil
    }

    public enum Refusal: Error, Sendable, Hashable {
        /// A group, uid or extra without a user: the API server answers a plain-text 500 with this text.
        case withoutUser(String)
        case forbidden(Forbidden)
    }

    /// Who the request acts as, once `real` may impersonate every item asked for.
    public func apply(as real: UserInfo, requestURI: String, authorizer: Authorizer) throws(Refusal) -> UserInfo {
        guard let user, !user.isEmpty else {
            var asked: [String] = groups.map { "group \($0)" }
            if let uid { asked.append("uid \(uid)") }
            asked += extra.keys.sorted().map { "extra \($0)" }
            throw .withoutUser("Internal Server Error: \(GoQuote.quote(requestURI)): requested [\(asked.joined(separator: " "))] without impersonating a user")
        }
        var checks: [RequestAttributes] = []
        if let account = ServiceAccountName.parse(user) {
            checks.append(RequestAttributes(verb: "impersonate", apiVersion: "v1", resource: "serviceaccounts", namespace: account.namespace, name: account.name))
        } else {
            checks.append(RequestAttributes(verb: "impersonate", apiVersion: "v1", resource: "users", name: user))
        }
        for group in groups {
            checks.append(RequestAttributes(verb: "impersonate", apiVersion: "v1", resource: "groups", name: group))
        }
        if let uid {
            checks.append(RequestAttributes(verb: "impersonate", apiGroup: "authentication.k8s.io", apiVersion: "v1", resource: "uids", name: uid))
        }
        for key in extra.keys.sorted() {
            for value in extra[key] ?? [] {
                checks.append(RequestAttributes(
                    verb: "impersonate", apiGroup: "authentication.k8s.io", apiVersion: "v1", resource: "userextras",
                    subresource: key, name: value))
            }
        }
        for check in checks {
            let decision = authorizer.authorize(real, check)
            if !decision.allowed { throw .forbidden(Forbidden(user: real, request: check, reason: decision.reason)) }
        }
        var groups = self.groups
        if groups.isEmpty, let account = ServiceAccountName.parse(user) {
            groups = ServiceAccountName.groups(namespace: account.namespace)
        }
        var impersonated = UserInfo(name: user, uid: uid ?? "", groups: groups, extra: extra)
        if user == UserInfo.anonymous.name {
            if !impersonated.groups.contains(UserInfo.unauthenticatedGroup) { impersonated.groups.append(UserInfo.unauthenticatedGroup) }
        } else {
            impersonated = impersonated.addingAuthenticatedGroup()
        }
        return impersonated
    }
}
