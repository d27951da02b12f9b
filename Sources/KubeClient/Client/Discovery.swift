import FleetAPI

/// Maps an `apiVersion` and `kind` to the resource that serves it, from the server's legacy discovery
/// (`/api/v1`, `/apis/GROUP/VERSION`), one group-version at a time and cached; a kind not found is looked up
/// afresh, since a CRD applied a moment ago may serve it now.
public actor Discovery {
    let client: KubeClient
    var groupVersions: [String: [String: ResourceType]] = [:]

    public init(_ client: KubeClient) {
        self.client = client
    }

    public func resolve(apiVersion: String, kind: String) async throws(KubeError) -> ResourceType {
        if let known = groupVersions[apiVersion]?[kind] { return known }
        let fetched = try await fetch(apiVersion)
        groupVersions[apiVersion] = fetched
        guard let type = fetched[kind] else {
            throw .status(
                code: 404, reason: "NotFound", message: "no matches for kind \"\(kind)\" in version \"\(apiVersion)\"")
        }
        return type
    }

    private func fetch(_ apiVersion: String) async throws(KubeError) -> [String: ResourceType] {
        let (group, version) = ResourceType.split(apiVersion: apiVersion)
        let path = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        let list: JSONResources
        do throws(KubeError) {
            list = JSONResources(try await client.json("GET", path))
        } catch let error where error.isNotFound {
            return [:]
        }
        var types: [String: ResourceType] = [:]
        for (name, kind, namespaced) in list.resources where !name.contains("/") {
            types[kind] = ResourceType(group: group, version: version, kind: kind, resource: name, namespaced: namespaced)
        }
        return types
    }
}

/// The `resources` of an `APIResourceList`.
struct JSONResources {
    var resources: [(name: String, kind: String, namespaced: Bool)]

    init(_ list: JSON) {
        resources = (list["resources"]?.arrayValue ?? []).compactMap { entry in
            guard let name = entry["name"]?.stringValue, let kind = entry["kind"]?.stringValue else { return nil }
            return (name, kind, entry["namespaced"]?.boolValue ?? false)
        }
    }
}
