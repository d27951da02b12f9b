public import FleetAPI

/// The verbs on objects, as client-go's dynamic client has them.
extension KubeClient {
    /// The object, or nil when the server says 404.
    public func get(_ type: ResourceType, namespace: String? = nil, name: String) async throws(KubeError) -> JSON? {
        do throws(KubeError) {
            return try await json("GET", type.path(namespace: namespace, name: name))
        } catch let error where error.isNotFound {
            return nil
        }
    }

    /// Every object of a type (in one namespace, or all), and the list's resourceVersion to watch from.
    public func list(_ type: ResourceType, namespace: String? = nil) async throws(KubeError) -> (
        items: [JSON], resourceVersion: String
    ) {
        let list = try await json("GET", type.path(namespace: namespace))
        return (list["items"]?.arrayValue ?? [], list["metadata"]?["resourceVersion"]?.stringValue ?? "")
    }

    public func create(_ type: ResourceType, namespace: String? = nil, _ object: JSON) async throws(KubeError) -> JSON {
        try await json("POST", type.path(namespace: namespace), body: object)
    }

    /// Server-side apply (`application/apply-patch+yaml`, sent as JSON as kubectl sends it): creates the object or
    /// merges `object` into it as `fieldManager`'s fields; `force` takes fields other managers own.
    public func apply(
        _ type: ResourceType, namespace: String? = nil, name: String, _ object: JSON, fieldManager: String,
        force: Bool = false
    ) async throws(KubeError) -> JSON {
        try await json(
            "PATCH", type.path(namespace: namespace, name: name),
            query: [("fieldManager", fieldManager), ("force", force ? "true" : "false")], body: object,
            contentType: "application/apply-patch+yaml")
    }

    /// A JSON merge patch (RFC 7386) of the object, or of its `subresource` (`status`).
    public func mergePatch(
        _ type: ResourceType, namespace: String? = nil, name: String, subresource: String? = nil, _ patch: JSON,
        fieldManager: String? = nil
    ) async throws(KubeError) -> JSON {
        try await json(
            "PATCH", type.path(namespace: namespace, name: name, subresource: subresource),
            query: fieldManager.map { [("fieldManager", $0)] } ?? [], body: patch,
            contentType: "application/merge-patch+json")
    }

    /// Deletes the object; true when it was there. `propagationPolicy` as the API's DeleteOptions.
    @discardableResult
    public func delete(
        _ type: ResourceType, namespace: String? = nil, name: String, propagationPolicy: String = "Background"
    ) async throws(KubeError) -> Bool {
        let options: JSON = [
            "apiVersion": "v1", "kind": "DeleteOptions", "propagationPolicy": .string(propagationPolicy),
        ]
        do throws(KubeError) {
            _ = try await json("DELETE", type.path(namespace: namespace, name: name), body: options)
            return true
        } catch let error where error.isNotFound {
            return false
        }
    }

    /// `/version`: the server's `gitVersion` and the rest of its build information.
    public func version() async throws(KubeError) -> JSON {
        try await json("GET", "/version")
    }
}
