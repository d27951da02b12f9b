import Access
import FleetAPI
import Foundation
import Logging
import Rollout

/// The Kubernetes API over a hub: discovery, OpenAPI, and every resource verb kubectl uses.
///
/// A handler decodes, calls the hub, encodes; the hub decides and records. Nothing is recorded for a
/// refused request, because the hub decides before it records.
public struct APIHandler: Sendable {
    public let hub: Hub
    let logger: Logger
    let lists = ListSnapshots()
    /// Nil under `--insecure-http`: every request is anonymous and allowed.
    let access: AccessControl?
    let tokens: TokenRequests?
    /// How writes reach the leader while another hub leads; nil for a hub that always leads.
    let forwarding: LeaderForwarding?

    /// - Parameters:
    ///   - authenticator: who may use the hub; nil turns authentication, authorization and the per-user limits off.
    ///   - limits: what each authenticated user may have open at once.
    ///   - forwarding: how writes reach the leader while another hub leads.
    public init(
        hub: Hub, authenticator: Authenticator? = nil, limits: RequestLimiter.Limits = .init(),
        forwarding: LeaderForwarding? = nil, logger: Logger = Logger(label: "flotilla.api")
    ) {
        self.hub = hub
        self.forwarding = forwarding
        self.logger = logger
        self.access = authenticator.map { AccessControl(authenticator: $0, hub: hub, limits: limits, logger: logger) }
        self.tokens = authenticator?.serviceAccounts.map(TokenRequests.init)
    }

    public func handle(_ request: APIRequest) async -> APIResponse {
        // The console's own requests are admitted one by one, as each reads through the API.
        if ConsoleRoutes.serves(request.path) { return await ConsoleRoutes(api: self).handle(request) }
        var request = request
        let authorizer: Authorizer?
        switch await admit(&request) {
        case .refused(let response): return response
        case .admitted(let allowedBy): authorizer = allowedBy
        }
        if let forwarding, let leader = await forwarding.target(of: request) {
            request.slot?.release()
            let response = await forwarding.forward(request, to: leader)
            // The leader made the write durable before it answered: folding it in first means the client's next
            // read through this hub sees its own write, as a read after a write does on the API server.
            if (200..<300).contains(response.status) { _ = try? await hub.catchUp() }
            return response
        }
        let response = await respond(request, authorizer: authorizer)
        // A watch's stream gives its slot back when it ends; any other request is done now.
        if case .bytes = response.body { request.slot?.release() }
        return response
    }

    func respond(_ request: APIRequest, authorizer: Authorizer?) async -> APIResponse {
        do {
            return try await route(request, authorizer: authorizer)
        } catch let status as KubeStatus {
            return status.response
        } catch let error as HubError {
            return KubeStatus.from(error, kind: .namespace).response
        } catch {
            // Internals (SQL, file paths) go to the log only; the client gets an id to find them by.
            let id = UUID().uuidString.prefix(8).lowercased()
            logger.error("request failed", metadata: ["id": "\(id)", "method": "\(request.method)", "path": "\(request.path)", "error": "\(error)"])
            return KubeStatus(
                code: 500, reason: "InternalError",
                message: "Internal error occurred: the hub could not complete the request (see its log, error id \(id))"
            ).response
        }
    }

    enum Admission {
        /// With the authorizer that allowed it; nil when nothing is checked (`--insecure-http`).
        case admitted(Authorizer?)
        case refused(APIResponse)
    }

    /// Access control for a request, which learns who it acts as: nothing further happens for a refused one.
    func admit(_ request: inout APIRequest) async -> Admission {
        guard let access else {
            request.identity = .insecure(request.impersonation)
            return .admitted(nil)
        }
        switch await access.check(request) {
        case .refused(let response):
            return .refused(response)
        case .allowed(let identity, let authorizer, let slot):
            request.identity = identity
            request.slot = slot
            return .admitted(authorizer)
        }
    }

    /// The answer to a request access control refuses, or nil when it may go ahead: for endpoints served
    /// outside the API, such as `/metrics`.
    public func refusal(_ request: APIRequest) async -> APIResponse? {
        var request = request
        if case .refused(let response) = await admit(&request) { return response }
        request.slot?.release()
        return nil
    }

    /// `/readyz`: ready while the hub writes its journal, or, one of several hubs, while it follows a leader; the
    /// API server's check lines then say which this hub is.
    func readiness() async -> APIResponse {
        let refusal = await hub.refusal
        guard let forwarding else {
            return refusal.map { .text("[-]journal: \($0)\nreadyz check failed\n", status: 503) } ?? .text("ok")
        }
        let role = await forwarding.role()
        if let refusal, await forwarding.leader() == nil {
            return .text("[-]journal: \(refusal)\n[-]leadership: \(role)\nreadyz check failed\n", status: 503)
        }
        return .text("[+]journal ok\n[+]leadership: \(role)\nreadyz check passed\n")
    }

    func route(_ request: APIRequest, authorizer: Authorizer?) async throws -> APIResponse {
        var segments = request.path.split(separator: "/").map(String.init)
        var pastSegment: String?
        if segments.first == "as-of", segments.count >= 2 {
            guard request.method == "GET" else { throw PastView.refuseWrite(request.method) }
            pastSegment = segments[1]
            segments.removeFirst(2)
        }
        var member: String?
        if segments.first == "members", segments.count >= 2 {
            member = segments[1]
            segments.removeFirst(2)
        }
        switch (request.method, segments.first) {
        case ("GET", "version"): return .json(Discovery.version)
        case ("GET", "healthz"), ("GET", "livez"): return .text("ok")
        case ("GET", "readyz"): return await readiness()
        case ("GET", "openapi"): return try openAPI(Array(segments.dropFirst()), await hub.state.kinds)
        case (_, "flotilla"): return try AuditEndpoint(hub: hub).handle(request, segments)
        case (_, "api"), (_, "apis"): break
        default: throw KubeStatus(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
        }
        let past = try pastSegment.map { try PastView.at($0, in: hub.journal) }
        let registry = if let past { past.state.kinds } else { await hub.state.kinds }
        let core = segments[0] == "api"
        if segments.count == 1 {
            guard request.method == "GET" else { throw KubeStatus.methodNotAllowed("discovery is read-only") }
            if request.wantsAggregatedDiscovery {
                return .json(Discovery.aggregated(core: core, registry), contentType: APIResponse.aggregatedDiscovery)
            }
            return .json(core ? Discovery.apiVersions : Discovery.apiGroupList(registry))
        }
        let group = core ? "" : segments[1]
        let versionIndex = core ? 1 : 2
        if Reviews.groups.contains(group), pastSegment == nil, member == nil, segments.count > versionIndex + 1 {
            let reviews = Reviews(request: request, body: try ResourceHandler.decode(request), authorizer: authorizer, now: hub.clock.now())
            return try reviews.handle(group: group, version: segments[versionIndex], resource: Array(segments.dropFirst(versionIndex + 1)))
        }
        guard segments.count > versionIndex else {
            guard let found = Discovery.groups(registry).first(where: { $0.name == group }) else {
                throw KubeStatus(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
            }
            let versions: [JSON] = found.versions.map { ["groupVersion": .string("\(group)/\($0)"), "version": .string($0)] }
            return .json(["kind": "APIGroup", "apiVersion": "v1", "name": .string(group), "versions": .array(versions), "preferredVersion": versions[0]])
        }
        let version = segments[versionIndex]
        let rest = Array(segments.dropFirst(versionIndex + 1))
        if rest.isEmpty {
            guard let list = Discovery.resourceList(group: group, version: version, registry) else {
                throw KubeStatus(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
            }
            return .json(list)
        }
        guard let path = ResourcePath.parse(rest, group: group, version: version, registry) else {
            throw KubeStatus(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
        }
        if let member { return try await MemberView(hub: hub, member: member, past: past).handle(request, path) }
        if path.kind == .serviceAccount, path.subresource == "token", past == nil, let namespace = path.namespace, let name = path.name {
            guard request.method == "POST", let tokens else {
                throw KubeStatus.methodNotAllowed("the server does not allow this method on the requested resource")
            }
            return try await tokens.create(namespace: namespace, name: name, body: try ResourceHandler.decode(request), hub: hub)
        }
        return try await ResourceHandler(
            hub: hub, request: request, path: path, kinds: registry, past: past, lists: lists, authorizer: authorizer
        ).handle()
    }

    func openAPI(_ segments: [String], _ registry: KindRegistry) throws -> APIResponse {
        guard segments.first == "v3" else {
            throw KubeStatus(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
        }
        if segments.count == 1 { return .json(OpenAPIDocuments.index(registry)) }
        guard let document = OpenAPIDocuments.document(groupVersion: segments.dropFirst().joined(separator: "/"), registry) else {
            throw KubeStatus(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
        }
        return .json(document)
    }
}
