import FleetAPI
import Foundation
import Rollout

/// Flotilla's read-only history queries, answered from the hub's journal rather than its live state, so they
/// see every event ever recorded:
///
/// - `GET /flotilla/v1/audit?run=&namespace=&cluster=&actor=&since=&until=`: `{"lines": [...]}`, as
///   `flotilla audit` prints them;
/// - `GET /flotilla/v1/snapshots?placement=&namespace=`: every resource snapshot the placement ever took, which
///   `flotilla rollback` checks an index against before it creates a run; with `&diff=A,B`, what changed from
///   snapshot A to B as `flotilla snapshots --diff A B` prints it (text), which the web console shows.
struct AuditEndpoint {
    let hub: Hub

    func handle(_ request: APIRequest, _ segments: [String]) throws -> APIResponse {
        guard segments.count == 3, segments[1] == "v1", ["audit", "snapshots"].contains(segments[2]) else {
            throw KubeStatus(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
        }
        guard request.method == "GET" else { throw KubeStatus.methodNotAllowed("/flotilla/v1/\(segments[2]) is read-only") }
        let envelopes = try History.envelopes(hub.journal)
        return segments[2] == "audit" ? try audit(request, envelopes) : try snapshots(request, envelopes)
    }

    func audit(_ request: APIRequest, _ envelopes: [Envelope]) throws -> APIResponse {
        let query: AuditQuery
        do {
            query = try AuditQuery(
                run: request.query["run"], namespace: request.query["namespace"], cluster: request.query["cluster"],
                actor: request.query["actor"], since: request.query["since"], until: request.query["until"], now: hub.clock.now())
        } catch {
            throw KubeStatus.badRequest("\(error.option): \(error.rule)")
        }
        return .json(["lines": .array(Audit.lines(envelopes, query).map(\.json))])
    }

    func snapshots(_ request: APIRequest, _ envelopes: [Envelope]) throws -> APIResponse {
        guard let name = request.query["placement"], !name.isEmpty else {
            throw KubeStatus.badRequest("placement: required, the placement's name")
        }
        let placement = request.query["namespace"].map { ObjectKey(.resourcePlacement, namespace: $0, name: name) }
            ?? ObjectKey(.clusterResourcePlacement, name: name)
        let history = PlacementHistory.of(placement, in: envelopes)
        guard history.exists else {
            throw KubeStatus.notFound(placement.resourceKind!.plural, name, group: ResourceKind.placementGroup)
        }
        if let diff = request.query["diff"] { return try self.diff(diff, history) }
        return .json(history.json)
    }

    func diff(_ indices: String, _ history: PlacementHistory) throws -> APIResponse {
        let parts = indices.split(separator: ",").map { Int($0) }
        guard parts.count == 2, let from = parts[0], let to = parts[1] else {
            throw KubeStatus.badRequest("diff: two snapshot indices A,B, such as 0,1")
        }
        let snapshots = try [from, to].map { index in
            guard let snapshot = history.snapshot(index) else {
                throw KubeStatus.badRequest("diff: placement \(history.placement.name) never took a resource snapshot with index \(index)")
            }
            return snapshot
        }
        return .text(
            SnapshotDiff.diff(snapshots[0], snapshots[1], placement: history.placement.name)
                ?? "snapshots \(from) and \(to) select the same content\n")
    }
}
