public import FleetAPI
public import Foundation

/// `flotilla status placement NAME`: the placement's conditions, which snapshot each scheduled cluster holds,
/// and the staged update runs that roll it out, newest last.
public struct PlacementView: Sendable, Equatable {
    public var kind: String
    public var namespace: String?
    public var name: String
    public var latestResourceIndex: String?
    public var conditions: [ConditionView]
    /// Each scheduled cluster and the resource snapshot index it holds, if any yet.
    public var clusters: [Holding]
    public var runs: [RunView]

    public struct Holding: Sendable, Equatable {
        public var cluster: String
        public var index: String?
    }

    /// Reads a `ClusterResourcePlacement` or `ResourcePlacement` and the runs whose `placementName` names it.
    ///
    /// - Throws: `RunViewError` naming the first field out of shape.
    public init(placement: JSON, runs: [JSON]) throws(RunViewError) {
        let kind = placement["kind"]?.stringValue ?? ""
        guard kind == "ClusterResourcePlacement" || kind == "ResourcePlacement" else {
            throw RunViewError(field: "kind", rule: "must be ClusterResourcePlacement or ResourcePlacement, not \"\(kind)\"")
        }
        self.kind = kind
        self.name = try RunView.string(placement, ["metadata", "name"])
        self.namespace = kind == "ResourcePlacement" ? try RunView.string(placement, ["metadata", "namespace"]) : nil
        let status = placement["status"] ?? .emptyObject
        self.latestResourceIndex = status["observedResourceIndex"]?.stringValue
        self.conditions = try RunView.conditions(status["conditions"], "status.conditions")
        var clusters: [Holding] = []
        for (i, entry) in (status["placementStatuses"]?.arrayValue ?? []).enumerated() {
            clusters.append(Holding(
                cluster: try RunView.string(entry, ["clusterName"], "status.placementStatuses[\(i)]"), index: entry["observedResourceIndex"]?.stringValue))
        }
        self.clusters = clusters
        var views: [RunView] = []
        for run in runs where run[path: ["spec", "placementName"]]?.stringValue == name {
            views.append(try RunView(run: run))
        }
        self.runs = views.sorted { ($0.start ?? .distantFuture, $0.name) < ($1.start ?? .distantFuture, $1.name) }
    }
}

extension StatusLines {
    /// The placement's lines: header, conditions, its clusters, and a row per run with its progress bar.
    public static func render(_ view: PlacementView, now: Date, style: Style) -> [String] {
        var lines = [
            "\(view.kind) \(view.namespace.map { "\($0)/" } ?? "")\(view.name)"
                + (view.latestResourceIndex.map { ": latest resource snapshot \($0)" } ?? ""),
            "conditions: " + conditionLine(view.conditions),
            "",
        ]
        let clusters = view.clusters.map { Row(name: $0.cluster, state: $0.index.map { $0 == view.latestResourceIndex ? "Current" : "Behind" } ?? "Pending", took: $0.index ?? "-", detail: "", level: 0) }
        lines += clusters.isEmpty
            ? ["(no clusters scheduled)"]
            : Row.table(clusters, header: Row(name: "CLUSTER", state: "STATE", took: "SNAPSHOT", detail: "", level: 0), style: style)
        lines.append("")
        guard !view.runs.isEmpty else { return lines + ["(no staged update runs for this placement)"] }
        let runs = view.runs.map { run in
            let progress = run.stages.map(\.progress).reduce((0, 0)) { ($0.0 + $1.done, $0.1 + $1.total) }
            return Row(
                name: run.name, state: run.state.rawValue, took: Moments.span(run.start, run.end, now: now),
                detail: "snapshot \(run.resourceSnapshotIndex)  " + bar(progress.0, progress.1), level: 0)
        }
        return lines + Row.table(runs, header: Row(name: "RUN", state: "STATE", took: "TOOK", detail: "PROGRESS", level: 0), style: style)
    }
}
