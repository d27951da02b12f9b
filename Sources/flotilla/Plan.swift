import ArgumentParser
import FleetAPI
import Foundation

extension Flotilla {
    /// What a staged run would do, before it runs: the hub initializes it in a dry run (`dryRun=All`), which writes
    /// nothing, and returns the plan it would follow.
    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what a staged update run would do, before it runs.",
            discussion: "Sends the run in FILE to the hub as a dry-run create, which records nothing, and prints the stages "
                + "with their clusters in order and in the batches maxConcurrency allows, the gates and waits, an estimated "
                + "timeline from how long each cluster took in earlier runs, and the blast radius per stage (clusters and "
                + "objects changed), with the diff for the first cluster. `kubectl create --dry-run=server -o yaml` shows the "
                + "same plan in the run's flotilla.dev/plan annotation.")

        @Option(name: [.short, .customLong("filename")], help: "The run's manifest (YAML or JSON).")
        var file: String

        @Option(name: [.short, .long], help: "The namespace of a StagedUpdateRun whose manifest names none.")
        var namespace: String?

        @OptionGroup var connection: HubConnection

        func run() async throws {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw CommandError("cannot read \(file)") }
            let run = try YAML.parse(text)
            let apiVersion = run["apiVersion"]?.stringValue ?? ""
            let kindName = run["kind"]?.stringValue ?? ""
            guard let kind = ResourceKind.lookup(apiVersion: apiVersion, kind: kindName),
                kind == .clusterStagedUpdateRun || kind == .stagedUpdateRun
            else {
                throw CommandError("\(file): kind must be ClusterStagedUpdateRun or StagedUpdateRun in placement.kubernetes-fleet.io, got \"\(kindName)\" in \"\(apiVersion)\"")
            }
            let runNamespace = run[path: ["metadata", "namespace"]]?.stringValue ?? namespace ?? "default"
            let path = "/apis/\(apiVersion)/" + (kind.namespaced ? "namespaces/\(runNamespace)/" : "") + kind.plural
            let hub = HubClient(try connection.resolve())
            let (body, code) = try await hub.request("POST", path, query: ["dryRun": "All"], body: Data(run.serialized()))
            guard code == 200 || code == 201 else { throw HubClient.failure(body, code) }
            let preview = try JSON.parse(Array(body))
            guard let annotation = preview[path: ["metadata", "annotations", "flotilla.dev/plan"]]?.stringValue else {
                throw CommandError("the hub returned no plan for \(kindName) \(run[path: ["metadata", "name"]]?.stringValue ?? "")")
            }
            let plan = try JSON.parse(Array(annotation.utf8))
            if let error = plan["error"]?.stringValue { throw CommandError("the run would fail to initialize: \(error)") }
            print(Self.render(plan, run: preview, kind: kindName))
        }

        static func render(_ plan: JSON, run: JSON, kind: String) -> String {
            let name = run[path: ["metadata", "name"]]?.stringValue ?? ""
            let placement = run[path: ["spec", "placementName"]]?.stringValue ?? ""
            var lines = [
                "Plan for \(kind) \(name): placement \(placement), resource snapshot \(plan["resourceSnapshotIndex"]?.intValue ?? 0), "
                    + "policy snapshot \(plan["policySnapshotIndex"]?.stringValue ?? "")"
            ]
            var rows = [["STAGE", "CLUSTERS (BATCHES IN ORDER)", "GATES", "ESTIMATED", "CHANGES"]]
            for stage in plan["stages"]?.arrayValue ?? [] {
                let batches = (stage["batches"]?.arrayValue ?? []).map { batch in
                    "[" + (batch.arrayValue ?? []).compactMap(\.stringValue).joined(separator: " ") + "]"
                }.joined(separator: " ")
                let before = (stage["beforeStageTasks"]?.arrayValue ?? []).compactMap(\.stringValue).map { "before: \($0)" }
                let after = (stage["afterStageTasks"]?.arrayValue ?? []).compactMap(\.stringValue).map { "after: \($0)" }
                let gates = (before + after).joined(separator: ", ")
                let start = duration(stage["estimatedStartSeconds"]?.intValue ?? 0)
                let end = duration(stage["estimatedEndSeconds"]?.intValue ?? 0)
                let radius = stage["blastRadius"] ?? .emptyObject
                rows.append([
                    stage["name"]?.stringValue ?? "", batches, gates.isEmpty ? "-" : gates, "\(start) → \(end)",
                    "\(radius["clusters"]?.intValue ?? 0) cluster(s), \(radius["objects"]?.intValue ?? 0) object(s)",
                ])
            }
            let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
            lines += rows.map { row in
                row.enumerated().map { $0.offset == row.count - 1 ? $0.element : $0.element.padding(toLength: widths[$0.offset] + 3, withPad: " ", startingAt: 0) }
                    .joined()
            }
            let deleting = (plan["deletionClusters"]?.arrayValue ?? []).compactMap(\.stringValue)
            if !deleting.isEmpty { lines.append("Then removes the placement from: \(deleting.joined(separator: " "))") }
            let approvals = plan["approvals"]?.intValue ?? 0
            let observations = plan["latencyObservations"]?.intValue ?? 0
            lines.append(
                "Estimated: \(duration(plan["estimatedSeconds"]?.intValue ?? 0))"
                    + (approvals > 0 ? " plus \(approvals) approval(s)" : "")
                    + (observations > 0
                        ? " (each cluster's median time in earlier runs; \(observations) observed)"
                        : " (no earlier runs to time the clusters by: waits only)"))
            if let diff = plan["firstClusterDiff"], let cluster = diff["cluster"]?.stringValue {
                let text = (diff["lines"]?.arrayValue ?? []).compactMap(\.stringValue)
                lines.append(text.isEmpty ? "No change on \(cluster), the first cluster." : "Diff on \(cluster), the first cluster:")
                lines += text
            }
            return lines.joined(separator: "\n")
        }

        static func duration(_ seconds: Int64) -> String { GoDuration(milliseconds: seconds * 1000).description }
    }
}
