import FleetAPI
import Foundation

/// KubeFleet's scheduler and placement controller for one placement, as a pure reconcile: the policy
/// snapshot and its PickAll/PickFixed/PickN decision, and a new resource snapshot whenever the selected
/// content changes, pruning the oldest snapshot objects past `revisionHistoryLimit` as KubeFleet does and
/// re-creating a pruned one when a run names it.
public enum PlacementController {
    /// Who the journal records as writing the controller's events.
    public static let actor = "controller/placement"

    /// - Parameter rescheduling: whether the placement's policy, picks or the member clusters changed since it was
    ///   last scheduled; when not, its picks stand and the scheduler does not look at every member.
    public static func reconcile(_ key: ObjectKey, in state: HubState, rescheduling: Bool = true) -> [FleetEvent] {
        guard let placement = state.placements[key], let spec = placement.spec else { return [] }
        // KubeFleet checks the selectors before it takes any snapshot, and waits for the user to fix them.
        if invalidSelectors(spec, placement: key, in: state) != nil { return [] }
        let latestPolicy = placement.policyIndex.flatMap {
            state.objects[PlacementNames.policySnapshotKey(key, index: $0)]?.spec["policy"]
        }
        let policy = state.objects[key]?.spec["policy"] ?? ["placementType": "PickAll"]
        let policyChanged = placement.policyIndex == nil || latestPolicy.map(Self.hashedPolicy) != Self.hashedPolicy(policy)
        if policyChanged || rescheduling, let event = schedule(key, placement: placement, spec: spec, policyChanged: policyChanged, in: state) {
            return [event]
        }
        if let restored = restoreSnapshot(key, placement: placement, in: state) {
            return [restored]
        }
        let resources = selectedResources(spec, placement: key, in: state)
        let hash = ResourceHash.sha256Hex(JSON.array(resources).serialized())
        if let latest = placement.latestResourceIndex, placement.resourceSnapshots[latest]?.hash == hash {
            return []
        }
        let index = (placement.latestResourceIndex ?? -1) + 1
        let snapshotKey = PlacementNames.resourceSnapshotKey(key, index: index)
        let pruned = prunedSnapshots(key, placement: placement, limit: spec.revisionHistoryLimit, in: state)
        return pruned.map { .objectDeleted(ObjectDeleted(key: $0)) } + [
            .resourceSnapshotCreated(
                ResourceSnapshotCreated(
                    placement: key, index: index, uid: ObjectUID.make(for: snapshotKey, after: state.lastSeq),
                    hash: hash, resources: resources))
        ]
    }

    /// The scheduler's decision when it differs from what the placement holds: a new policy snapshot when the policy
    /// changed, else new picks under the same one. Under the same policy, what is picked stays picked while its
    /// cluster is a member of the fleet.
    static func schedule(
        _ key: ObjectKey, placement: PlacementState, spec: PlacementSpec, policyChanged: Bool, in state: HubState
    ) -> FleetEvent? {
        // PickFixed picks by name alone and holds nothing, so its clusters are not looked up here.
        let held = policyChanged || spec.placementType == .pickFixed ? [] : placement.scheduledClusters.filter { state.memberLabels[$0] != nil }
        let scheduled = Scheduler.schedule(spec, current: placement.scheduledClusters, held: held, in: state)
        if policyChanged {
            let index = (placement.policyIndex ?? -1) + 1
            let event = PolicySnapshotCreated(
                placement: key, index: index,
                uid: ObjectUID.make(for: PlacementNames.policySnapshotKey(key, index: index), after: state.lastSeq),
                clusters: scheduled.clusters, decisions: scheduled.decisions)
            return .policySnapshotCreated(event)
        }
        guard scheduled.clusters != placement.scheduledClusters else { return nil }
        return .placementScheduled(PlacementScheduled(placement: key, clusters: scheduled.clusters, decisions: scheduled.decisions))
    }

    /// KubeFleet's default `revisionHistoryLimit`.
    public static let defaultRevisionHistoryLimit = 10

    /// The snapshot objects KubeFleet deletes before it takes a new one: all but the newest `limit - 1`, so
    /// that with the new one `limit` remain. Their content stays in the placement's state (and the journal),
    /// so a run can still name them.
    static func prunedSnapshots(_ key: ObjectKey, placement: PlacementState, limit: Int?, in state: HubState) -> [ObjectKey] {
        let keep = max(1, limit ?? defaultRevisionHistoryLimit) - 1
        let live = placement.resourceSnapshots.keys.sorted(by: >)
            .map { PlacementNames.resourceSnapshotKey(key, index: $0) }
            .filter { state.objects[$0] != nil }
        return live.dropFirst(keep).reversed()
    }

    /// A pruned snapshot that a run about to initialize names, re-created with the content and hash it was
    /// taken with, so the run rolls back to exactly that content. It is not the latest snapshot.
    static func restoreSnapshot(_ key: ObjectKey, placement: PlacementState, in state: HubState) -> FleetEvent? {
        guard let placementObject = state.objects[key] else { return nil }
        let waiting = state.waitingRuns.compactMap { state.runs[$0] }.filter { $0.placement == key }.sorted { $0.key < $1.key }
        for run in waiting {
            guard let index = run.spec.resourceSnapshotIndex.flatMap({ Int($0) }),
                let snapshot = placement.resourceSnapshots[index]
            else { continue }
            let snapshotKey = PlacementNames.resourceSnapshotKey(key, index: index)
            guard state.objects[snapshotKey] == nil else { continue }
            let taken = ResourceSnapshotCreated(
                placement: key, index: index, uid: "", hash: snapshot.hash, resources: snapshot.resources)
            var object = SnapshotObjects.resourceSnapshot(taken, placement: placementObject, key: snapshotKey)
            object[path: ["metadata", "labels", FleetLabel.isLatestSnapshot]] =
                index == placement.latestResourceIndex ? "true" : "false"
            return .objectCreated(
                ObjectCreated(key: snapshotKey, uid: ObjectUID.make(for: snapshotKey, after: state.lastSeq), object: object))
        }
        return nil
    }

    /// The part of a policy that makes a new policy snapshot when it changes: everything but PickN's count,
    /// which KubeFleet scales under the same snapshot.
    static func hashedPolicy(_ policy: JSON) -> JSON {
        var policy = policy
        policy["numberOfClusters"] = nil
        return policy
    }

    /// Namespaces before what they hold, and definitions before the custom objects they define.
    private static func applyRank(_ key: ObjectKey) -> Int {
        switch key.kind {
        case ResourceKind.namespace.kind: 0
        case ResourceKind.customResourceDefinition.kind: 1
        default: 2
        }
    }

    /// What a placement propagates, stripped to what a member needs, namespaces first.
    public static func selectedResources(_ spec: PlacementSpec, placement: ObjectKey, in state: HubState) -> [JSON] {
        var selected: [ObjectKey: StoredObject] = [:]
        let placementNamespace = PlacementNames.isClusterScoped(placement) ? nil : placement.namespace
        for selector in spec.resourceSelectors {
            guard let kind = state.kinds.lookup(group: selector.group, kind: selector.kind), kind.isPropagated else {
                continue
            }
            let candidates: [StoredObject]
            if let name = selector.name, !name.isEmpty, kind.namespaced == (placementNamespace != nil) {
                // A selector by name names one key: look it up rather than sort and filter the whole kind, which
                // made reconciling every placement at start-up cost placements times objects.
                candidates = state.objects[ObjectKey(kind, namespace: placementNamespace ?? "", name: name)].map { [$0] } ?? []
            } else {
                candidates = state.objects(ofKind: kind, namespace: placementNamespace).filter { object in
                    if let name = selector.name, !name.isEmpty { return object.key.name == name }
                    return selector.labelSelector.map { $0.matches(object.labels) } ?? true
                }
            }
            for object in candidates {
                selected[object.key] = object
                if kind == .namespace && placementNamespace == nil {
                    for childKey in state.objects.keys(inNamespace: object.key.name)
                    where state.kind(of: childKey)?.isPropagated ?? false {
                        selected[childKey] = state.objects[childKey]
                    }
                }
            }
        }
        return selected.values
            .sorted { lhs, rhs in
                let (lhsRank, rhsRank) = (applyRank(lhs.key), applyRank(rhs.key))
                if lhsRank != rhsRank { return lhsRank < rhsRank }
                return lhs.key < rhs.key
            }
            .map(propagated)
    }

    /// The object without what the hub owns: server metadata, status, and kubectl's apply bookkeeping.
    static func propagated(_ object: StoredObject) -> JSON {
        var json = object.json
        json["status"] = nil
        var metadata: JSON = ["name": .string(object.key.name)]
        if !object.key.namespace.isEmpty { metadata["namespace"] = .string(object.key.namespace) }
        if let labels = json[path: ["metadata", "labels"]], labels != .emptyObject { metadata["labels"] = labels }
        var annotations = json[path: ["metadata", "annotations"]]?.objectValue ?? [:]
        annotations["kubectl.kubernetes.io/last-applied-configuration"] = nil
        if !annotations.isEmpty { metadata["annotations"] = .object(annotations) }
        json["metadata"] = metadata
        return json
    }

    /// Why the placement's selectors cannot be resolved, in KubeFleet's words: a selector naming a kind the hub
    /// does not serve. Nil when every selector resolves.
    static func invalidSelectors(_ spec: PlacementSpec, placement key: ObjectKey, in state: HubState) -> String? {
        for selector in spec.resourceSelectors where state.kinds.lookup(group: selector.group, kind: selector.kind).map({ !$0.versions.contains(selector.version) }) ?? true {
            let version = selector.group.isEmpty ? selector.version : "\(selector.group)/\(selector.version)"
            return "The resource selectors are invalid: failed to process the request due to a client error: invalid placement "
                + "\(key.namespace)/\(key.name), failed to get GVR of the selector: no matches for kind \"\(selector.kind)\" in version \"\(version)\""
        }
        return nil
    }
}

extension ResourceKind {
    /// Kinds a placement may select: workload kinds and envelopes, never the fleet's own objects.
    public var isPropagated: Bool {
        isEnvelope || ![ResourceKind.placementGroup, ResourceKind.clusterGroup, ResourceKind.flotillaGroup].contains(group)
    }
}
