/// The `/openapi/v3` documents. kubectl's default `--validate=strict` needs them: a kind whose PATCH operation
/// lists `fieldValidation` is validated by the server (`?fieldValidation=Strict`, see `SchemaValidator`);
/// without one kubectl falls back to `/openapi/v2` and fails. `kubectl explain` renders the component schemas,
/// and `kubectl apply` sends strategic merge patches only where the PATCH operation offers them.
public enum OpenAPIDocuments {
    /// The `/openapi/v3` body: every group/version `registry` serves and where its document lives.
    public static func index(_ registry: KindRegistry = KindRegistry()) -> JSON {
        if registry.custom.isEmpty { return indexBody }
        return indexBody(paths: Set(documents.keys).union(registry.custom.values.flatMap { custom in
            custom.kind.versions.map { path(group: custom.kind.group, version: $0) }
        }))
    }

    /// The document of `api/v1` or `apis/<group>/<version>` (a leading `/` is allowed); nil when `registry`
    /// serves no such group/version. Built-in documents are built once; a CRD's group/version is built from the
    /// definitions in force when asked.
    public static func document(groupVersion path: String, _ registry: KindRegistry = KindRegistry()) -> JSON? {
        let path = path.hasPrefix("/") ? String(path.dropFirst()) : path
        let custom = registry.custom.values.filter { custom in
            custom.kind.versions.contains { self.path(group: custom.kind.group, version: $0) == path }
        }
        guard let first = custom.first?.kind else { return documents[path] }
        let version = first.versions.first { self.path(group: first.group, version: $0) == path }!
        let kinds = registry.all.filter { $0.group == first.group && $0.versions.contains(version) }
        return build(group: first.group, version: version, kinds: kinds, registry: registry)
    }

    private static func path(group: String, version: String) -> String {
        group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)"
    }

    private static let documents: [String: JSON] = {
        var kindsByPath: [String: (group: String, version: String, kinds: [ResourceKind])] = [:]
        for kind in ResourceKind.all {
            for version in kind.versions {
                kindsByPath[path(group: kind.group, version: version), default: (kind.group, version, [])].kinds.append(kind)
            }
        }
        let registry = KindRegistry()
        return kindsByPath.mapValues { build(group: $0.group, version: $0.version, kinds: $0.kinds, registry: registry) }
    }()

    private static let indexBody = indexBody(paths: Set(documents.keys))

    private static func indexBody(paths: Set<String>) -> JSON {
        ["paths": .object(paths.reduce(into: [:]) { $0[$1] = ["serverRelativeURL": .string("/openapi/v3/\($1)")] })]
    }

    private static func build(group: String, version: String, kinds: [ResourceKind], registry: KindRegistry) -> JSON {
        var paths: [String: JSON] = [:]
        var schemas = KindSchemas.meta
        for kind in kinds {
            paths.merge(Operations(kind: kind, version: version).paths) { _, new in new }
            schemas[KindSchemas.componentName(kind, version: version)] = registry.schema(for: kind, version: version)
            schemas[KindSchemas.componentName(kind, version: version, suffix: "List")] = KindSchemas.listSchema(
                kind, version: version)
        }
        return [
            "openapi": "3.0.0",
            "info": ["title": "Flotilla", "version": .string(group.isEmpty ? version : "\(group)/\(version)")],
            "paths": .object(paths),
            "components": ["schemas": .object(schemas)],
        ]
    }
}

/// The REST operations of one kind at one version, shaped and named as kube-apiserver publishes them.
private struct Operations {
    let kind: ResourceKind
    let version: String

    var paths: [String: JSON] {
        let root = kind.group.isEmpty ? "/api/\(version)" : "/apis/\(kind.group)/\(version)"
        let collection = kind.namespaced ? "\(root)/namespaces/{namespace}/\(kind.plural)" : "\(root)/\(kind.plural)"
        let scope = kind.namespaced ? [Parameter.namespace] : []
        let itemScope = scope + [Parameter.name]
        let schema = KindSchemas.componentName(kind, version: version)
        let list = KindSchemas.componentName(kind, version: version, suffix: "List")
        var paths: [String: JSON] = [
            collection: pathItem(
                scope,
                [
                    "get": operation(
                        "list", "list\(stem)", "List or watch \(kind.kind) objects.", Parameter.listing,
                        responses: ["200": response(list, "OK", watchable: true)]),
                    "post": operation(
                        "post", "create\(stem)", "Create a \(kind.kind).", Parameter.writing, body: body(schema),
                        responses: ["200": response(schema, "OK"), "201": response(schema, "Created")]),
                ]),
            "\(collection)/{name}": pathItem(
                itemScope,
                [
                    "get": operation(
                        "get", "read\(stem)", "Read one \(kind.kind).", [], responses: ["200": response(schema, "OK")]),
                    "put": operation(
                        "put", "replace\(stem)", "Replace one \(kind.kind).", Parameter.writing, body: body(schema),
                        responses: ["200": response(schema, "OK"), "201": response(schema, "Created")]),
                    "patch": operation(
                        "patch", "patch\(stem)", "Partially update one \(kind.kind).", Parameter.patching,
                        body: patchBody, responses: ["200": response(schema, "OK"), "201": response(schema, "Created")]),
                    "delete": operation(
                        "delete", "delete\(stem)", "Delete one \(kind.kind).", Parameter.deleting,
                        body: body(KindSchemas.deleteOptions),
                        responses: [
                            "200": response(KindSchemas.apiStatus, "OK"),
                            "202": response(KindSchemas.apiStatus, "Accepted"),
                        ]),
                ]),
        ]
        if kind.namespaced {
            paths["\(root)/\(kind.plural)"] = pathItem(
                [],
                [
                    "get": operation(
                        "list", "list\(groupStem)\(kind.kind)ForAllNamespaces",
                        "List or watch \(kind.kind) objects in every namespace.", Parameter.listing,
                        responses: ["200": response(list, "OK", watchable: true)])
                ])
        }
        if kind.hasStatus {
            // The status operations carry no group-version-kind: kubectl takes the first PATCH it finds for a
            // kind, and paths are unordered, so only the main resource's PATCH may name it.
            paths["\(collection)/{name}/status"] = pathItem(
                itemScope,
                [
                    "get": operation(
                        "get", "read\(stem)Status", "Read the status of one \(kind.kind).", [],
                        responses: ["200": response(schema, "OK")], gvk: false),
                    "put": operation(
                        "put", "replace\(stem)Status", "Replace the status of one \(kind.kind).", Parameter.writing,
                        body: body(schema), responses: ["200": response(schema, "OK")], gvk: false),
                    "patch": operation(
                        "patch", "patch\(stem)Status", "Partially update the status of one \(kind.kind).",
                        Parameter.patching, body: patchBody, responses: ["200": response(schema, "OK")], gvk: false),
                ])
        }
        return paths
    }

    /// `CoreV1`, `AppsV1`, `PlacementKubernetesFleetIoV1beta1`: the prefix of kube-apiserver's operation IDs.
    private var groupStem: String {
        let group = kind.group.isEmpty ? ["core"] : kind.group.split(whereSeparator: { $0 == "." || $0 == "-" })
        return (group + [Substring(version)]).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    private var stem: String { "\(groupStem)\(kind.namespaced ? "Namespaced" : "")\(kind.kind)" }

    /// Strategic merge is offered only for built-in kinds, as kube-apiserver does: for custom resources kubectl
    /// must send JSON merge patches.
    private var patchBody: JSON {
        var types = ["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json"]
        if KindSchemas.isBuiltIn(kind) { types.append("application/strategic-merge-patch+json") }
        return body(KindSchemas.patchBody, contentTypes: types)
    }

    private func pathItem(_ parameters: [JSON], _ operations: [String: JSON]) -> JSON {
        var item = JSON.object(operations)
        item["parameters"] = .array(parameters + [Parameter.pretty])
        return item
    }

    private func operation(
        _ action: String, _ id: String, _ description: String, _ parameters: [JSON], body: JSON? = nil,
        responses: [String: JSON], gvk: Bool = true
    ) -> JSON {
        var operation: JSON = [
            "operationId": .string(id),
            "description": .string(description),
            "parameters": .array(parameters),
            "responses": .object(responses),
            "x-kubernetes-action": .string(action),
        ]
        operation["requestBody"] = body
        if gvk {
            operation["x-kubernetes-group-version-kind"] = KindSchemas.groupVersionKind(kind, version: version)
        }
        return operation
    }

    private func body(_ component: String, contentTypes: [String] = ["*/*"]) -> JSON {
        let media: JSON = ["schema": ["$ref": .string("#/components/schemas/\(component)")]]
        return [
            "required": true, "content": .object(Dictionary(uniqueKeysWithValues: contentTypes.map { ($0, media) })),
        ]
    }

    private func response(_ component: String, _ description: String, watchable: Bool = false) -> JSON {
        let media: JSON = ["schema": ["$ref": .string("#/components/schemas/\(component)")]]
        var content: [String: JSON] = ["application/json": media, "application/yaml": media]
        if watchable { content["application/json;stream=watch"] = media }
        return ["description": .string(description), "content": .object(content)]
    }
}

/// The request parameters kubectl and clients send, with kube-apiserver's names.
private enum Parameter {
    static let name = path("name", "Name of the object.")
    static let namespace = path("namespace", "Namespace of the object.")
    static let pretty = query("pretty", "Indent the response when true.")

    static let writing = [
        query("dryRun", "`All` validates the request without persisting it."),
        query("fieldManager", "Name of the actor making the change."),
        query(
            "fieldValidation",
            "What to do with unknown or duplicate fields: Ignore drops them, Warn keeps going with a warning, "
                + "Strict (kubectl's default) refuses the request."),
    ]
    static let patching =
        writing + [query("force", "Take over fields another manager owns (apply patches only).", type: "boolean")]
    static let deleting = [
        query("dryRun", "`All` validates the request without persisting it."),
        query("gracePeriodSeconds", "Seconds before the object is removed.", type: "integer"),
        query("propagationPolicy", "Orphan, Background or Foreground deletion of dependents."),
    ]
    static let listing = [
        query("labelSelector", "Only objects whose labels match."),
        query("fieldSelector", "Only objects whose fields match, such as metadata.name=x."),
        query("limit", "Page size.", type: "integer"),
        query("continue", "Token from the previous page."),
        query("resourceVersion", "Read or watch from this version."),
        query("resourceVersionMatch", "How resourceVersion is matched on lists."),
        query("watch", "Stream changes instead of returning a list.", type: "boolean"),
        query("allowWatchBookmarks", "Allow BOOKMARK events in a watch.", type: "boolean"),
        query("sendInitialEvents", "Start a watch with the current objects as ADDED events.", type: "boolean"),
        query("timeoutSeconds", "End the list or watch after this many seconds.", type: "integer"),
    ]

    private static func path(_ name: String, _ description: String) -> JSON {
        [
            "name": .string(name), "in": "path", "required": true, "description": .string(description),
            "schema": ["type": "string"],
        ]
    }

    private static func query(_ name: String, _ description: String, type: String = "string") -> JSON {
        ["name": .string(name), "in": "query", "description": .string(description), "schema": ["type": .string(type)]]
    }
}
