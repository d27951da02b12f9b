import Access
import FleetAPI
import Foundation
import Logging
import Rollout
import Synchronization

/// The API server's filter chain in front of every request: authentication (401), impersonation, the limits on
/// what each user has open at once (429), then authorization against the RBAC objects the hub holds (403). A
/// refused request reaches no handler, so it records nothing.
struct AccessControl: Sendable {
    let authenticator: Authenticator
    let hub: Hub
    let logger: Logger
    let limits: UserLimits
    private let policies = PolicyCache()

    init(authenticator: Authenticator, hub: Hub, limits: RequestLimiter.Limits, logger: Logger) {
        self.authenticator = authenticator
        self.hub = hub
        self.limits = UserLimits(limits)
        self.logger = logger
    }

    /// Paths anyone may ask, signed in or not: what `system:public-info-viewer` grants.
    static let publicPaths: Set<String> = ["/healthz", "/livez", "/readyz", "/version", "/version/"]

    enum Verdict: Sendable {
        /// With the slot it holds within its user's limits.
        case allowed(RequestIdentity, Authorizer, LimitSlot)
        case refused(APIResponse)
    }

    func check(_ request: APIRequest) async -> Verdict {
        let state = await hub.state
        let authorizer = policies.authorizer(for: state)
        let outcome = authenticator.authenticate(
            certificate: request.clientCertificate, authorization: request.header("authorization"),
            headers: request.remoteIdentity, now: hub.clock.now()
        ) { namespace, name in
            state.objects[ObjectKey(.serviceAccount, namespace: namespace, name: name)]?.json[path: ["metadata", "uid"]]?.stringValue
        }
        let authenticated: UserInfo
        switch outcome {
        case .authenticated(let user):
            authenticated = user
        case .anonymous:
            guard Self.publicPaths.contains(request.path) else { return .refused(Self.unauthorized) }
            authenticated = .anonymous
        case .rejected(let reason):
            // Why goes to the log only: the client learns nothing about which credential failed or how.
            logger.info("authentication failed", metadata: ["path": "\(request.path)", "reason": "\(reason)"])
            return .refused(Self.unauthorized)
        }
        var identity = RequestIdentity(user: authenticated)
        if let impersonation = request.impersonation {
            do {
                identity = RequestIdentity(
                    user: try impersonation.apply(as: authenticated, requestURI: request.uri, authorizer: authorizer),
                    impersonator: authenticated)
            } catch {
                switch error {
                case .withoutUser(let text): return .refused(.text(text, status: 500))
                case .forbidden(let forbidden): return .refused(Self.forbidden(forbidden))
                }
            }
        }
        let attributes = Self.attributes(of: request)
        // Counted against who authenticated, as APF runs between impersonation and authorization.
        guard let slot = limits.admit(authenticated, attributes.verb == "watch" ? .watch : .request) else {
            return .refused(UserLimits.tooManyRequests.response)
        }
        let decision = authorizer.authorize(identity.user, attributes)
        guard decision.allowed else {
            slot.release()
            return .refused(Self.forbidden(Forbidden(user: identity.user, request: attributes, reason: decision.reason)))
        }
        return .allowed(identity, authorizer, slot)
    }

    /// What RBAC checks: the request as the API server would see it. A past view (`/as-of/<seq>/`) and a
    /// member's view (`/members/<name>/`) read the same resources, so they need the same permission.
    static func attributes(of request: APIRequest) -> RequestAttributes {
        var segments = request.path.split(separator: "/").map(String.init)
        if segments.first == "as-of", segments.count >= 2 { segments.removeFirst(2) }
        if segments.first == "members", segments.count >= 2 { segments.removeFirst(2) }
        let path = "/" + segments.joined(separator: "/")
        return RequestAttributes.parse(method: request.method, path: path, query: request.query)
    }

    static let unauthorized = KubeStatus(code: 401, reason: "Unauthorized", message: "Unauthorized").response

    static func forbidden(_ forbidden: Forbidden) -> APIResponse {
        KubeStatus(code: 403, reason: "Forbidden", message: forbidden.message, details: forbidden.details).response
    }
}

/// The authorizer for the RBAC objects of a state, rebuilt only when one of them changed.
final class PolicyCache: Sendable {
    private struct Entry {
        var versions: [ObjectKey: Int64]
        var authorizer: Authorizer
    }

    private let entry = Mutex<Entry?>(nil)
    static let kinds: [ResourceKind] = [.role, .clusterRole, .roleBinding, .clusterRoleBinding]

    func authorizer(for state: HubState) -> Authorizer {
        let objects = Self.kinds.flatMap { state.objects(ofKind: $0) }
        let versions = Dictionary(uniqueKeysWithValues: objects.map { ($0.key, $0.resourceVersion) })
        if let cached = entry.withLock({ $0 }), cached.versions == versions { return cached.authorizer }
        let authorizer = Authorizer(policy: RBACPolicy(objects: objects.sorted { $0.key < $1.key }.map(\.json)))
        entry.withLock { $0 = Entry(versions: versions, authorizer: authorizer) }
        return authorizer
    }
}
