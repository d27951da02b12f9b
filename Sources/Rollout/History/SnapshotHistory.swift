import FleetAPI
import Foundation

/// Every resource snapshot a placement ever took, from the journal: when, with which content and hash, whether
/// its object is still live or was pruned past `revisionHistoryLimit`, and which runs took it to which clusters.
public struct PlacementHistory: Sendable, Hashable {
    public struct Snapshot: Sendable, Hashable {
        public var index: Int
        public var hash: String
        public var seq: Int64
        public var time: Date
        public var resources: [JSON]
        /// What became of the snapshot object by the end of the events.
        public var object: Presence
        public var deliveries: [Delivery]
    }

    /// A snapshot object is live, pruned past `revisionHistoryLimit` by the placement controller (a run that
    /// names it re-creates it), or deleted with its placement or by a user.
    public enum Presence: String, Sendable, Hashable {
        case live, pruned, deleted
    }

    /// A run finished updating a cluster to this snapshot.
    public struct Delivery: Sendable, Hashable {
        public var run: String
        public var cluster: String
        public var seq: Int64
        public var time: Date
    }

    public var placement: ObjectKey
    /// Whether the placement exists at the end of the events.
    public var exists: Bool
    public var snapshots: [Snapshot]
    /// The strategy of the placement's latest run: the one a rollback uses unless told otherwise.
    public var latestStrategy: String?
    public var lastSeq: Int64

    public func snapshot(_ index: Int) -> Snapshot? { snapshots.first { $0.index == index } }

    /// The history of `placement`'s latest incarnation (a placement deleted and created again starts its indices
    /// over).
    public static func of(_ placement: ObjectKey, in envelopes: [Envelope]) -> PlacementHistory {
        var history = PlacementHistory(placement: placement, exists: false, snapshots: [], latestStrategy: nil, lastSeq: envelopes.last?.seq ?? 0)
        var runIndices: [ObjectKey: Int] = [:]
        var runStageCounts: [ObjectKey: Int] = [:]
        var isOurs: Set<ObjectKey> = []
        func set(_ key: ObjectKey, _ presence: Presence) {
            guard let index = history.snapshots.firstIndex(where: { PlacementNames.resourceSnapshotKey(placement, index: $0.index) == key }) else { return }
            history.snapshots[index].object = presence
        }
        for envelope in envelopes {
            switch envelope.event {
            case .objectCreated(let e) where e.key == placement:
                history = PlacementHistory(placement: placement, exists: true, snapshots: [], latestStrategy: nil, lastSeq: history.lastSeq)
            case .objectCreated(let e) where PlacementNames.placementKey(forRun: e.key, placementName: e.object[path: ["spec", "placementName"]]?.stringValue ?? "") == placement
                && (e.key.resourceKind == .clusterStagedUpdateRun || e.key.resourceKind == .stagedUpdateRun):
                isOurs.insert(e.key)
                history.latestStrategy = e.object[path: ["spec", "stagedRolloutStrategyName"]]?.stringValue
            case .objectCreated(let e):
                set(e.key, .live)
            case .objectDeleted(let e) where e.key == placement:
                history.exists = false
                for index in history.snapshots.indices { history.snapshots[index].object = .deleted }
            case .objectDeleted(let e):
                isOurs.remove(e.key)
                set(e.key, envelope.actor == PlacementController.actor ? .pruned : .deleted)
            case .resourceSnapshotCreated(let e) where e.placement == placement:
                history.snapshots.append(
                    Snapshot(index: e.index, hash: e.hash, seq: envelope.seq, time: envelope.time, resources: e.resources, object: .live, deliveries: []))
            case .updateRunInitialized(let e) where isOurs.contains(e.run):
                runIndices[e.run] = e.resourceSnapshotIndex
                runStageCounts[e.run] = e.stages.count
            case .clusterUpdateSucceeded(let e) where isOurs.contains(e.run) && e.stage < runStageCounts[e.run] ?? 0:
                guard let index = runIndices[e.run], let position = history.snapshots.firstIndex(where: { $0.index == index }) else { break }
                history.snapshots[position].deliveries.append(Delivery(run: e.run.name, cluster: e.cluster, seq: envelope.seq, time: envelope.time))
            default:
                break
            }
        }
        return history
    }
}

extension PlacementHistory {
    /// The history as the hub's snapshots endpoint gives it.
    public var json: JSON {
        var json: JSON = [
            "placement": ["kind": .string(placement.kind), "namespace": .string(placement.namespace), "name": .string(placement.name)],
            "exists": .bool(exists), "lastSeq": .int(lastSeq),
            "snapshots": .array(snapshots.map { snapshot in
                [
                    "index": .int(Int64(snapshot.index)), "hash": .string(snapshot.hash), "seq": .int(snapshot.seq),
                    "time": .string(KubeTime.format(snapshot.time)), "object": .string(snapshot.object.rawValue),
                    "resources": .array(snapshot.resources),
                    "deliveries": .array(snapshot.deliveries.map { delivery in
                        ["run": .string(delivery.run), "cluster": .string(delivery.cluster), "seq": .int(delivery.seq), "time": .string(KubeTime.format(delivery.time))]
                    }),
                ]
            }),
        ]
        if let latestStrategy { json["latestStrategy"] = .string(latestStrategy) }
        return json
    }

    public init?(json: JSON) {
        guard let kind = json[path: ["placement", "kind"]]?.stringValue, let name = json[path: ["placement", "name"]]?.stringValue,
            let snapshots = json["snapshots"]?.arrayValue
        else { return nil }
        self.placement = ObjectKey(kind: kind, namespace: json[path: ["placement", "namespace"]]?.stringValue ?? "", name: name)
        self.exists = json["exists"]?.boolValue ?? false
        self.lastSeq = json["lastSeq"]?.intValue ?? 0
        self.latestStrategy = json["latestStrategy"]?.stringValue
        self.snapshots = snapshots.compactMap { snapshot in
            guard let index = snapshot["index"]?.intValue, let hash = snapshot["hash"]?.stringValue, let seq = snapshot["seq"]?.intValue,
                let time = snapshot["time"]?.stringValue.flatMap(KubeTime.parse)
            else { return nil }
            let deliveries: [Delivery] = (snapshot["deliveries"]?.arrayValue ?? []).compactMap { delivery in
                guard let run = delivery["run"]?.stringValue, let cluster = delivery["cluster"]?.stringValue,
                    let seq = delivery["seq"]?.intValue, let time = delivery["time"]?.stringValue.flatMap(KubeTime.parse)
                else { return nil }
                return Delivery(run: run, cluster: cluster, seq: seq, time: time)
            }
            return Snapshot(
                index: Int(index), hash: hash, seq: seq, time: time, resources: snapshot["resources"]?.arrayValue ?? [],
                object: snapshot["object"]?.stringValue.flatMap(Presence.init(rawValue:)) ?? .deleted, deliveries: deliveries)
        }
    }
}
