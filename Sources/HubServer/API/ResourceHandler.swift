import Access
import FleetAPI
import Foundation
import Rollout

/// One request on a resource URL: get, list, watch, create, update, patch, delete, and the status subresource.
struct ResourceHandler {
    let hub: Hub
    let request: APIRequest
    let path: ResourcePath
    /// The kinds served when the request came: custom kinds' schemas validate their objects.
    let kinds: KindRegistry
    /// Set under `/as-of/`: reads answer from this earlier state.
    var past: PastView?
    /// The states of paged lists in progress.
    var lists: ListSnapshots
    /// What decided the request, for RBAC's escalation check on roles and bindings; nil when nothing is checked.
    var authorizer: Authorizer?

    var kind: ResourceKind { path.kind }

    /// What tables count ages to.
    var now: Date { past?.time ?? hub.clock.now() }

    func handle() async throws -> APIResponse {
        if let subresource = path.subresource, subresource != "status" || !kind.hasStatus {
            throw KubeStatus(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
        }
        switch (request.method, path.name) {
        case ("GET", nil):
            return try await request.query["watch"].map { $0 == "true" || $0 == "1" } == true ? watch() : list()
        case ("GET", let name?): return try await get(name)
        case ("POST", nil): return try await create()
        case ("PUT", let name?): return try await update(name)
        case ("PATCH", let name?): return try await patch(name)
        case ("DELETE", let name?): return try await delete(name)
        default:
            throw KubeStatus.methodNotAllowed("the server does not allow this method on the requested resource")
        }
    }

    func key(_ name: String) -> ObjectKey {
        ObjectKey(kind, namespace: path.namespace ?? "", name: name)
    }

    /// The object as this URL's version shows it. An aggregated ClusterRole shows the rules it aggregates, as
    /// the API server's aggregation controller writes them in.
    func versioned(_ object: JSON) -> JSON {
        var object = object
        object["apiVersion"] = .string(path.apiVersion)
        if kind == .clusterRole, object["aggregationRule"] != nil, let authorizer,
            let name = object[path: ["metadata", "name"]]?.stringValue, let rules = authorizer.policy.clusterRoleRules(name)
        {
            object["rules"] = .array(rules.map(\.json))
        }
        return object
    }

    func respond(_ object: JSON, status: Int = 200) -> APIResponse {
        if request.wantsTable {
            let rv = Int64(object[path: ["metadata", "resourceVersion"]]?.stringValue ?? "") ?? 0
            return .json(Tables.table(kind, [object], resourceVersion: rv, now: now), status: status, contentType: APIResponse.table)
        }
        return .json(versioned(object), status: status)
    }

    func notFound(_ name: String) -> KubeStatus {
        KubeStatus.notFound(kind.plural, name, group: kind.group)
    }

    func current(_ name: String) async throws -> JSON {
        let object = if let past { past.state.render(key(name)) } else { await hub.render(key(name)) }
        guard let object else { throw notFound(name) }
        return object
    }

    // MARK: Reads

    func get(_ name: String) async throws -> APIResponse {
        respond(try await current(name))
    }

    /// A list, paged as the API server pages it when asked for a `limit`: every page of one list comes from
    /// the state its first page saw.
    func list() async throws -> APIResponse {
        var token: ContinueToken?
        let source: ListSource
        if let text = request.query["continue"], !text.isEmpty {
            let continued = try ContinueToken(text)
            guard let kept = await lists.source(at: continued.resourceVersion, listScope) else { throw ContinueToken.expired }
            token = continued
            source = kept
        } else {
            let current = if let past { past.state } else { await hub.state }
            source = ListSource(state: current, listScope)
        }
        let state = source.state
        let (items, next, remaining) = try page(of: source, after: token)
        if next != nil { await lists.keep(state, listScope, sortedKeys: source.keys) }
        var metadata: JSON = ["resourceVersion": .string(String(state.lastSeq))]
        if let next { metadata["continue"] = .string(next.encoded) }
        if let remaining { metadata["remainingItemCount"] = .int(Int64(remaining)) }
        if request.wantsTable {
            var table = Tables.table(kind, items, resourceVersion: state.lastSeq, now: now)
            table["metadata"] = metadata
            return .json(table, contentType: APIResponse.table)
        }
        return .json([
            "kind": .string("\(kind.kind)List"), "apiVersion": .string(path.apiVersion),
            "metadata": metadata, "items": .array(items.map(versioned)),
        ])
    }

    // MARK: Writes

    func decodeBody() throws -> JSON { try Self.decode(request) }

    /// A request body in any of the media types kubectl sends.
    static func decode(_ request: APIRequest) throws -> JSON {
        let contentType = request.header("content-type") ?? "application/json"
        do {
            if contentType.hasPrefix("application/vnd.kubernetes.protobuf") { return try KubeProtobuf.decode(request.body) }
            if contentType.contains("yaml") { return try YAML.parse(String(decoding: request.body, as: UTF8.self)) }
            if contentType.hasPrefix("application/json") || contentType.hasPrefix("*/*") { return try JSON.parse(request.body) }
        } catch let status as KubeStatus {
            throw status
        } catch let error as KubeProtobufError {
            throw KubeStatus(code: 415, reason: "UnsupportedMediaType", message: "\(error)")
        } catch {
            throw KubeStatus.badRequest("the body of the request could not be decoded: \(error)")
        }
        throw KubeStatus.unsupportedMediaType(contentType)
    }

    /// The manifest as the URL places it: its kind's apiVersion and kind, and the URL's namespace.
    func placed(_ body: JSON, name: String?) throws -> JSON {
        var object = body
        if object["apiVersion"] == nil { object["apiVersion"] = .string(path.apiVersion) }
        if object["kind"] == nil { object["kind"] = .string(kind.kind) }
        guard object["kind"]?.stringValue == kind.kind else {
            throw KubeStatus.badRequest("the kind \(object["kind"]?.stringValue ?? "") does not match the URL's \(kind.kind)")
        }
        if let namespace = path.namespace {
            let stated = object[path: ["metadata", "namespace"]]?.stringValue ?? ""
            if !stated.isEmpty && stated != namespace {
                throw KubeStatus.badRequest("the namespace of the provided object does not match the namespace sent on the request")
            }
            object[path: ["metadata", "namespace"]] = .string(namespace)
        }
        if let name {
            let stated = object[path: ["metadata", "name"]]?.stringValue ?? ""
            if !stated.isEmpty && stated != name {
                throw KubeStatus.badRequest("the name of the object (\(stated)) does not match the name on the URL (\(name))")
            }
            object[path: ["metadata", "name"]] = .string(name)
        }
        try checkFields(object)
        return object
    }

    /// `fieldValidation=Strict` (kubectl's default): unknown fields are refused as the API server refuses them.
    func checkFields(_ object: JSON) throws {
        guard (request.query["fieldValidation"] ?? "Strict") == "Strict" else { return }
        let unknown = SchemaValidator.unknownFields(in: object, kind: kind, version: path.version, registry: kinds)
        guard !unknown.isEmpty else { return }
        let list = unknown.map { "unknown field \"\($0)\"" }.joined(separator: ", ")
        throw KubeStatus.badRequest(
            "\(kind.kind) in version \"\(path.version)\" cannot be handled as a \(kind.kind): strict decoding error: \(list)")
    }

    /// Who the write is recorded as in the object's managed fields: the `fieldManager` parameter, or else the
    /// client's User-Agent up to its first `/` (`kubectl`), as the API server names it; nil when it sends neither.
    var writer: FieldWriter? {
        let agent = request.header("user-agent").map { String($0.prefix { $0 != "/" }) }
        guard let manager = request.query["fieldManager"] ?? agent, !manager.isEmpty else { return nil }
        return FieldWriter(manager: manager, apiVersion: path.apiVersion, subresource: path.subresource)
    }

    func send(_ command: ObjectCommand) async throws -> JSON? {
        do {
            if request.isDryRun { return try await hub.dryRun(command, writer: writer, actor: request.actor) }
            return try await hub.send(command, actor: request.actor, writer: writer)
        } catch let error as HubError {
            throw KubeStatus.from(error, kind: kind)
        }
    }

    /// A write computed inside the hub from the object as it stands then, so no concurrent write is lost.
    func send(
        to name: String, _ compute: @escaping @Sendable (JSON?) throws -> ObjectCommand
    ) async throws -> (before: JSON?, after: JSON?) {
        do {
            return try await hub.send(to: key(name), actor: request.actor, writer: writer, dryRun: request.isDryRun, compute)
        } catch let error as HubError {
            throw KubeStatus.from(error, kind: kind)
        }
    }

    /// Refuses a role or binding that grants what its writer does not hold (RBAC's escalation check).
    func checkEscalation(_ object: JSON, previous: JSON?) throws {
        guard let authorizer, PolicyCache.kinds.contains(kind) else { return }
        if let refusal = Escalation.refusal(
            writing: object, previousAggregation: previous?["aggregationRule"], by: request.identity.user, authorizer: authorizer)
        {
            throw KubeStatus(
                code: 403, reason: "Forbidden", message: refusal,
                details: ["name": .string(object[path: ["metadata", "name"]]?.stringValue ?? ""), "group": .string(kind.group), "kind": .string(kind.plural)])
        }
    }

    func create() async throws -> APIResponse {
        let object = try placed(try decodeBody(), name: nil)
        try checkEscalation(object, previous: nil)
        guard let created = try await send(.create(object)) else { throw KubeStatus.badRequest("nothing was created") }
        return respond(created, status: 201)
    }

    func update(_ name: String) async throws -> APIResponse {
        let body = try placed(try decodeBody(), name: name)
        guard path.subresource == "status" else {
            let handler = self
            let (_, updated) = try await send(to: name) { live in
                try handler.checkEscalation(body, previous: live)
                return .update(body)
            }
            guard let updated else { throw notFound(name) }
            return respond(updated)
        }
        let handler = self
        let (_, updated) = try await send(to: name) { live in
            guard let live else { throw handler.notFound(name) }
            if let version = body[path: ["metadata", "resourceVersion"]]?.stringValue, !version.isEmpty,
                version != live[path: ["metadata", "resourceVersion"]]?.stringValue
            {
                throw HubError.conflict(kind: handler.kind.plural, name: name)
            }
            return .updateStatus(handler.key(name), body["status"] ?? .emptyObject)
        }
        guard let updated else { throw notFound(name) }
        return respond(updated)
    }

    func patch(_ name: String) async throws -> APIResponse {
        let handler = self
        let body = request.body
        let contentType = request.header("content-type") ?? ""
        let isApply = contentType.hasPrefix("application/apply-patch")
        try checkPatchOptions(apply: isApply)
        let (live, result) = try await send(to: name) { live in
            if isApply && handler.path.subresource == nil {
                let applied = try handler.placed(try handler.configuration(body), name: name)
                try handler.checkEscalation(applied, previous: live)
                return .serverSideApply(applied, force: handler.request.query["force"] == "true")
            }
            let patched = try handler.patched(live, name: name, contentType: contentType, body: body)
            if handler.path.subresource == "status" {
                guard live != nil else { throw handler.notFound(name) }
                return .updateStatus(handler.key(name), patched["status"] ?? .emptyObject)
            }
            var object = try handler.placed(patched, name: name)
            // A resourceVersion in the patch is a precondition; the live one copied in by the merge is not.
            if object[path: ["metadata", "resourceVersion"]] == live?[path: ["metadata", "resourceVersion"]] {
                object[path: ["metadata", "resourceVersion"]] = nil
            }
            try handler.checkEscalation(object, previous: live)
            return live == nil ? .create(object) : .update(object)
        }
        guard let result else { throw notFound(name) }
        return respond(result, status: live == nil ? 201 : 200)
    }

    /// `fieldManager` is required for an apply, and `force` is for nothing else, as `PatchOptions` validation says.
    func checkPatchOptions(apply: Bool) throws {
        if apply, (request.query["fieldManager"] ?? "").isEmpty {
            throw KubeStatus.invalidOption("fieldManager", "Required value: is required for apply patch")
        }
        if !apply, request.query["force"] != nil {
            throw KubeStatus.invalidOption("force", "Forbidden: may not be specified for non-apply patch")
        }
    }

    /// An apply patch's body: the configuration, YAML or JSON, which must be an object.
    func configuration(_ body: [UInt8]) throws -> JSON {
        let applied: JSON
        do {
            applied = try YAML.parse(String(decoding: body, as: UTF8.self))
        } catch {
            throw KubeStatus.badRequest("the patch could not be decoded: \(error)")
        }
        guard case .object = applied else { throw KubeStatus.badRequest("invalid apply configuration: expected an object") }
        return applied
    }

    /// The object after the patch in the request's body, decided against `live` as the hub holds it.
    func patched(_ live: JSON?, name: String, contentType: String, body: [UInt8]) throws -> JSON {
        do {
            guard let live else { throw notFound(name) }
            if contentType.hasPrefix("application/apply-patch") {
                // An apply to the status subresource: the configuration's status merged into the live one.
                return MergePatch.apply(try placed(try configuration(body), name: name), to: live)
            }
            let patch = try JSON.parse(body)
            if let version = patch[path: ["metadata", "resourceVersion"]]?.stringValue,
                version != live[path: ["metadata", "resourceVersion"]]?.stringValue
            {
                throw KubeStatus.from(.conflict(kind: kind.plural, name: name), kind: kind)
            }
            if contentType.hasPrefix("application/merge-patch+json") {
                return MergePatch.apply(patch, to: live)
            } else if contentType.hasPrefix("application/json-patch+json") {
                return try JSONPatch.apply(patch, to: live)
            } else if contentType.hasPrefix("application/strategic-merge-patch+json") {
                guard kind.isBuiltIn, StrategicMergePatch.supports(kind: kind.kind) else {
                    throw kind.isCustom ? KubeStatus.unsupportedPatch(contentType) : KubeStatus.unsupportedMediaType(contentType)
                }
                return try StrategicMergePatch.apply(patch, to: live, kind: kind.kind)
            }
            throw KubeStatus.unsupportedMediaType(contentType)
        } catch let error as PatchError {
            if case .malformed = error { throw KubeStatus.badRequest("\(error)") }
            throw KubeStatus(code: 422, reason: "Invalid", message: "\(error)")
        } catch let status as KubeStatus {
            throw status
        } catch {
            throw KubeStatus.badRequest("the patch could not be decoded: \(error)")
        }
    }

    func delete(_ name: String) async throws -> APIResponse {
        let handler = self
        let (live, _) = try await send(to: name) { live in
            guard live != nil else { throw handler.notFound(name) }
            return .delete(handler.key(name))
        }
        guard let live else { throw notFound(name) }
        return respond(live)
    }
}
