import ArgumentParser
import FleetAPI
import Foundation
import Rollout

extension Flotilla {
    struct Snapshots: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every resource snapshot a placement ever took, and which runs took it to which clusters.",
            discussion: """
                Read from the journal, so snapshots pruned past the placement's revisionHistoryLimit are listed too \
                (OBJECT pruned): `flotilla rollback` re-creates them. OBJECT deleted: gone with the placement or deleted \
                by a user. --diff A B shows, per object, a unified diff of \
                the YAML between two indices.
                """)

        @Argument(help: "The placement's name.")
        var placement: String

        @Option(name: [.short, .long], help: "The namespace of a ResourcePlacement; a ClusterResourcePlacement without it.")
        var namespace: String?

        @Option(name: .long, parsing: .upToNextOption, help: "Two snapshot indices, A B: what changed from A to B.")
        var diff: [Int] = []

        @Option(name: [.short, .long], help: "yaml or json; tables when left out.")
        var output: OutputFormat?

        @OptionGroup var options: JournalOptions

        func validate() throws {
            if !diff.isEmpty && diff.count != 2 { throw ValidationError("--diff takes exactly two snapshot indices, A B") }
            if !diff.isEmpty && output != nil { throw ValidationError("--output does not apply to --diff, which prints a unified diff") }
        }

        var placementKey: ObjectKey {
            namespace.map { ObjectKey(.resourcePlacement, namespace: $0, name: placement) } ?? ObjectKey(.clusterResourcePlacement, name: placement)
        }

        func run() async throws {
            let journal = try Flotilla.JournalCommand.open(options)
            defer { journal.close() }
            let history = PlacementHistory.of(placementKey, in: try History.envelopes(journal, unsealing: try Flotilla.unsealing(journal: options.journal)))
            guard !history.snapshots.isEmpty || history.exists else {
                throw CommandError("\(placementKey.resourceKind!.plural) \"\(placement)\" never appears in \(try options.journal)")
            }
            if diff.count == 2 {
                let snapshots = try diff.map { index in
                    guard let snapshot = history.snapshot(index) else { throw Self.unknownIndex(index, option: "--diff", history) }
                    return snapshot
                }
                let changes = SnapshotDiff.diff(snapshots[0], snapshots[1], placement: placement)
                print(changes ?? "snapshots \(diff[0]) and \(diff[1]) select the same content\n", terminator: "")
                return
            }
            if let output {
                print(output.render(history.json), terminator: "")
                return
            }
            let snapshots = history.snapshots.map { snapshot in
                [String(snapshot.index), String(snapshot.seq), KubeTime.format(snapshot.time), snapshot.object.rawValue, snapshot.hash]
            }
            print(TablePrinter.format([["INDEX", "SEQ", "TAKEN", "OBJECT", "HASH"]] + snapshots), terminator: "")
            let deliveries = history.snapshots.flatMap { snapshot in
                snapshot.deliveries.map { [String(snapshot.index), $0.run, $0.cluster, String($0.seq), KubeTime.format($0.time)] }
            }
            if !deliveries.isEmpty {
                print()
                print(TablePrinter.format([["INDEX", "RUN", "CLUSTER", "SEQ", "UPDATED"]] + deliveries), terminator: "")
            }
        }

        /// An index the placement never took, named with the ones it did.
        static func unknownIndex(_ index: Int, option: String, _ history: PlacementHistory) -> CommandError {
            let taken = history.snapshots.map { String($0.index) }.joined(separator: ", ")
            return CommandError("\(option): placement \(history.placement.name) never took a resource snapshot with index \(index) (taken: \(taken.isEmpty ? "none" : taken))")
        }
    }

    struct Rollback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the staged update run that rolls a placement back to an earlier resource snapshot.",
            discussion: """
                Asks the hub which snapshots the placement ever took and refuses an index it never took, creating \
                nothing. A snapshot pruned past revisionHistoryLimit is re-created by the hub, same content and hash, \
                when the run starts. The run uses --strategy, or else the strategy of the placement's latest run, and \
                is named <placement>-rollback-<index>-<seq>.
                """)

        @Argument(help: "The placement's name.")
        var placement: String

        @Option(name: .long, help: "The resource snapshot index to go back to.")
        var to: Int

        @Option(name: .long, help: "The staged update strategy; the placement's latest run's when left out.")
        var strategy: String?

        @Option(name: [.short, .long], help: "The namespace of a ResourcePlacement; a ClusterResourcePlacement without it.")
        var namespace: String?

        @OptionGroup var connection: HubConnection

        @Option(name: .customLong("as"), help: "A user to impersonate, as kubectl --as does; needs the impersonate permission.")
        var impersonate: String?

        func validate() throws {
            guard to >= 0 else { throw ValidationError("--to must be a snapshot index, 0 or more") }
        }

        func run() async throws {
            let hub = HubClient(try connection.resolve(), impersonate: impersonate)
            let (body, code) = try await hub.request("GET", "/flotilla/v1/snapshots", query: ["placement": placement, "namespace": namespace])
            guard code == 200 else { throw HubClient.failure(body, code) }
            guard let history = PlacementHistory(json: try JSON.parse(Array(body))) else {
                throw CommandError("--server: the hub's snapshot history did not decode")
            }
            guard let snapshot = history.snapshot(to) else { throw Snapshots.unknownIndex(to, option: "--to", history) }
            guard let strategy = strategy ?? history.latestStrategy else {
                throw CommandError("--strategy: placement \(placement) has no run to take a strategy from; name one")
            }
            let runKind: ResourceKind = namespace == nil ? .clusterStagedUpdateRun : .stagedUpdateRun
            let name = "\(placement)-rollback-\(to)-\(history.lastSeq)"
            var metadata: JSON = ["name": .string(name)]
            if let namespace { metadata["namespace"] = .string(namespace) }
            let run: JSON = [
                "apiVersion": .string(runKind.apiVersion), "kind": .string(runKind.kind), "metadata": metadata,
                "spec": [
                    "placementName": .string(placement), "resourceSnapshotIndex": .string(String(to)),
                    "stagedRolloutStrategyName": .string(strategy),
                ],
            ]
            let path = "/apis/\(runKind.apiVersion)/" + (namespace.map { "namespaces/\($0)/" } ?? "") + runKind.plural
            let (created, status) = try await hub.request("POST", path, body: Data(run.serialized()))
            guard status == 201 || status == 200 else { throw HubClient.failure(created, status) }
            if snapshot.object != .live {
                print("snapshot \(to) was \(snapshot.object.rawValue); the hub re-creates it with hash \(snapshot.hash) as the run starts")
            }
            print("\(runKind.resourceName)/\(name) created")
        }
    }
}
