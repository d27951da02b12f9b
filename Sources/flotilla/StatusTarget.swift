import ArgumentParser
import Console
import FleetAPI
import Foundation
import KubeClient

/// What `flotilla status` and `flotilla timeline` look at: a run or a placement, cluster-scoped or in a
/// namespace, and how to read it from the hub.
struct StatusTarget {
    enum Kind {
        case run, placement
    }

    var kind: Kind
    var namespace: String?
    var name: String

    /// The names kubectl accepts for these kinds; `placement` is a ClusterResourcePlacement, or a
    /// ResourcePlacement when a namespace is given.
    init(kind: String, name: String, namespace: String?) throws {
        let cluster: Bool
        switch kind.lowercased() {
        case "csur", "clusterstagedupdaterun", "clusterstagedupdateruns": (self.kind, cluster) = (.run, true)
        case "sur", "stagedupdaterun", "stagedupdateruns": (self.kind, cluster) = (.run, false)
        case "crp", "clusterresourceplacement", "clusterresourceplacements": (self.kind, cluster) = (.placement, true)
        case "rp", "resourceplacement", "resourceplacements": (self.kind, cluster) = (.placement, false)
        case "placement", "placements": (self.kind, cluster) = (.placement, namespace == nil)
        default:
            throw ValidationError(
                "KIND: \"\(kind)\" is not a run or a placement; use csur, sur, crp, rp or placement (or their long names)")
        }
        if cluster && namespace != nil {
            throw ValidationError("--namespace does not apply to \(kind), which is cluster-scoped; use sur or rp for a namespaced one")
        }
        self.namespace = cluster ? nil : (namespace ?? "default")
        self.name = name
    }

    static let group = "placement.kubernetes-fleet.io"

    var runs: ResourceType {
        namespace == nil
            ? ResourceType(group: Self.group, version: "v1beta1", kind: "ClusterStagedUpdateRun", resource: "clusterstagedupdateruns", namespaced: false)
            : ResourceType(group: Self.group, version: "v1beta1", kind: "StagedUpdateRun", resource: "stagedupdateruns", namespaced: true)
    }

    var placements: ResourceType {
        namespace == nil
            ? ResourceType(group: Self.group, version: "v1beta1", kind: "ClusterResourcePlacement", resource: "clusterresourceplacements", namespaced: false)
            : ResourceType(group: Self.group, version: "v1beta1", kind: "ResourcePlacement", resource: "resourceplacements", namespaced: true)
    }

    /// The collections whose changes redraw the view: the run itself, or the placement and every run (a run names
    /// its placement in its spec, which a field selector cannot pick).
    var watches: [(type: ResourceType, fieldSelector: String?)] {
        switch kind {
        case .run: [(runs, "metadata.name=\(name)")]
        case .placement: [(placements, "metadata.name=\(name)"), (runs, nil)]
        }
    }

    /// The view as the hub has it now.
    func read(_ client: KubeClient) async throws -> Snapshot {
        switch kind {
        case .run:
            return .run(try await readRun(client))
        case .placement:
            let placement = try await object(client, placements)
            let (items, _) = try await client.list(runs, namespace: namespace)
            return .placement(try PlacementView(placement: placement, runs: items))
        }
    }

    /// The run, with who approved its requests.
    func readRun(_ client: KubeClient) async throws -> RunView {
        let run = try await object(client, runs)
        return try RunView(run: run, approvals: try await approvals(client))
    }

    func object(_ client: KubeClient, _ type: ResourceType) async throws -> JSON {
        guard let object = try await client.get(type, namespace: namespace, name: name) else {
            throw CommandError("Error from server (NotFound): \(type.resource).\(Self.group) \"\(name)\" not found")
        }
        return object
    }

    /// Who approved each of the run's approval requests, from the hub's audit. A caller the audit refuses still
    /// sees the run, only without the approvers' names.
    func approvals(_ client: KubeClient) async throws -> [String: Approval] {
        var query = [("run", name)]
        if let namespace { query.append(("namespace", namespace)) }
        let (code, body) = try await client.send("GET", "/flotilla/v1/audit", query: query)
        guard code == 200 else { return [:] }
        return Approval.byRequest(auditLines: (try JSON.parse(body))["lines"]?.arrayValue ?? [])
    }
}

/// A view read from the hub, ready to render.
enum Snapshot {
    case run(RunView)
    case placement(PlacementView)

    func lines(now: Date, style: StatusLines.Style, command: String) -> [String] {
        switch self {
        case .run(let view): StatusLines.render(view, now: now, style: style, command: command)
        case .placement(let view): StatusLines.render(view, now: now, style: style)
        }
    }

    /// A finished run: `--watch` stops there.
    var finished: RunState? {
        if case .run(let view) = self, view.state.isFinished { return view.state }
        return nil
    }

    /// Whether something on screen counts down or up by the second: a running wait, cluster or stage.
    var ticks: Bool {
        guard case .run(let view) = self else { return false }
        return !view.state.isFinished && view.start != nil
    }
}
