import FleetAPI
import Foundation
import Rollout

/// A member cluster's applied objects, read-only, under `/members/<name>/`: what `kubectl --context <member>`
/// shows.
struct MemberView {
    let hub: Hub
    let member: String
    var past: PastView?

    func handle(_ request: APIRequest, _ path: ResourcePath) async throws -> APIResponse {
        guard request.method == "GET" else {
            throw KubeStatus.methodNotAllowed("member \(member) is read-only through the hub")
        }
        let state = if let past { past.state } else { await hub.state }
        guard state.members[member] != nil else {
            throw KubeStatus(code: 404, reason: "NotFound", message: "member cluster \"\(member)\" is not joined to the hub")
        }
        let selectors = try Selectors(query: request.query)
        let objects = state.members[member]!.objects.filter { object in
            object["kind"]?.stringValue == path.kind.kind
                && (path.namespace == nil || object[path: ["metadata", "namespace"]]?.stringValue == path.namespace)
                && selectors.matches(object)
        }
        let now = past?.time ?? hub.clock.now()
        if let name = path.name {
            guard let object = objects.first(where: { $0[path: ["metadata", "name"]]?.stringValue == name }) else {
                throw KubeStatus.notFound(path.kind.plural, name, group: path.kind.group)
            }
            if request.wantsTable {
                return .json(Tables.table(path.kind, [object], resourceVersion: state.lastSeq, now: now), contentType: APIResponse.table)
            }
            return .json(object)
        }
        if request.wantsTable {
            return .json(Tables.table(path.kind, objects, resourceVersion: state.lastSeq, now: now), contentType: APIResponse.table)
        }
        return .json([
            "kind": .string("\(path.kind.kind)List"), "apiVersion": .string(path.apiVersion),
            "metadata": ["resourceVersion": .string(String(state.lastSeq))], "items": .array(objects),
        ])
    }
}
