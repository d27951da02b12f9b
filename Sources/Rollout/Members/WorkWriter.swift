import FleetAPI
import Foundation

/// KubeFleet's work generator: the Work that tells a member's agent what one placement holds there.
public enum WorkWriter {
    public static let actor = "controller/work-generator"
    public static let namespacePrefix = "fleet-member-"
    public static let parentIndexLabel = "kubernetes-fleet.io/parent-resource-snapshot-index"
    public static let parentNamespaceLabel = "kubernetes-fleet.io/parent-placement-namespace"

    /// The namespace a member's Works live in.
    public static func namespace(ofMember cluster: String) -> String { namespacePrefix + cluster }

    /// `<placement>-work`, or `<namespace>.<placement>-work` for a ResourcePlacement, as KubeFleet names them.
    public static func workKey(cluster: String, placement: ObjectKey) -> ObjectKey {
        let name = PlacementNames.isClusterScoped(placement) ? placement.name : "\(placement.namespace).\(placement.name)"
        return ObjectKey(.work, namespace: namespace(ofMember: cluster), name: "\(name)-work")
    }

    /// What handing `work` to an agent records: the Works written or changed (the main one and one per envelope),
    /// envelope Works no longer wanted deleted, or all deleted with the member's removal; nothing when the Works
    /// already say it.
    static func events(for work: MemberWork, in state: HubState) -> [FleetEvent] {
        let key = workKey(cluster: work.cluster, placement: work.placement)
        switch work.action {
        case .apply(let index, let objects), .reportDiff(let index, let objects):
            let desired = manifests(key, placement: work.placement, index: index, objects: objects, applyStrategy: work.applyStrategy)
            let wanted = Set(desired.map(\.key))
            return desired.compactMap { written($0.key, $0.manifest, in: state) }
                + envelopeWorkKeys(of: key, in: state).filter { !wanted.contains($0) }.map { .objectDeleted(ObjectDeleted(key: $0)) }
        case .remove:
            // The agent removes what it applied once the Work is gone; the hub's binding goes with the Work.
            return ([key] + envelopeWorkKeys(of: key, in: state)).filter { state.objects[$0] != nil }.map { .objectDeleted(ObjectDeleted(key: $0)) }
                + [.memberRemoved(MemberRemoved(cluster: work.cluster, placement: work.placement))]
        case .fail(let index, let message):
            let last = state.members[work.cluster]?.failures[work.placement]
            if last?.resourceIndex == index && last?.message == message { return [] }
            return [.memberApplyFailed(MemberApplyFailed(cluster: work.cluster, placement: work.placement, resourceIndex: index, message: message))]
        }
    }

    /// The Work at `key` created, or updated when its spec or labels differ from `desired`.
    static func written(_ key: ObjectKey, _ desired: JSON, in state: HubState) -> FleetEvent? {
        guard let existing = state.objects[key] else {
            return .objectCreated(ObjectCreated(key: key, uid: ObjectUID.make(for: key, after: state.lastSeq), object: desired))
        }
        let current = ["spec": existing.json["spec"], "labels": existing.json[path: ["metadata", "labels"]]]
        if current == ["spec": desired["spec"], "labels": desired[path: ["metadata", "labels"]]] { return nil }
        return .objectUpdated(ObjectUpdated(key: key, object: desired))
    }

    static func manifest(_ key: ObjectKey, placement: ObjectKey, index: Int, objects: [JSON], applyStrategy: JSON?) -> JSON {
        var labels: JSON = [FleetLabel.parentPlacement: .string(placement.name), parentIndexLabel: .string(String(index))]
        if !PlacementNames.isClusterScoped(placement) { labels[parentNamespaceLabel] = .string(placement.namespace) }
        var spec: JSON = ["workload": ["manifests": .array(objects)]]
        if let applyStrategy { spec["applyStrategy"] = applyStrategy }
        return [
            "apiVersion": .string(ResourceKind.work.apiVersion), "kind": "Work",
            "metadata": ["name": .string(key.name), "namespace": .string(key.namespace), "labels": labels],
            "spec": spec,
        ]
    }

    /// The member and placement a Work's key names, as `workKey` or `envelopeWorkKey` makes it; nil for a key
    /// neither makes.
    static func target(ofWork key: ObjectKey) -> (cluster: String, placement: ObjectKey)? {
        let main = mainWorkName(ofEnvelopeWork: key.name) ?? key.name
        guard key.namespace.hasPrefix(namespacePrefix), main.hasSuffix("-work") else { return nil }
        let cluster = String(key.namespace.dropFirst(namespacePrefix.count))
        let name = String(main.dropLast("-work".count))
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        let placement =
            parts.count == 2
            ? ObjectKey(.resourcePlacement, namespace: parts[0], name: parts[1]) : ObjectKey(.clusterResourcePlacement, name: name)
        return (cluster, placement)
    }

    /// The member, placement and snapshot index a Work is for; nil for a Work the hub did not write.
    static func owner(of work: StoredObject) -> (cluster: String, placement: ObjectKey, index: Int)? {
        guard let (cluster, placement) = target(ofWork: work.key), work.labels[FleetLabel.parentPlacement] == placement.name,
            let index = work.labels[parentIndexLabel].flatMap(Int.init)
        else { return nil }
        return (cluster, placement, index)
    }
}
