import FleetAPI

/// Takes a new override snapshot whenever an override's spec changes, as KubeFleet's override controller does;
/// runs freeze the snapshots each cluster gets at initialization.
public enum OverrideController {
    public static func reconcile(_ key: ObjectKey, in state: HubState) -> [FleetEvent] {
        guard let override = state.objects[key], let snapshotKind = snapshotKind(of: key) else { return [] }
        let snapshots = state.objects(ofKind: snapshotKind, namespace: key.namespace).filter {
            $0.labels[FleetLabel.parentOverride] == key.name
        }
        let latest = snapshots.max { index(of: $0) < index(of: $1) }
        if let latest, latest.spec["overrideSpec"] == override.spec { return [] }
        let next = latest.map { index(of: $0) + 1 } ?? 0
        let snapshotKey = ObjectKey(snapshotKind, namespace: key.namespace, name: "\(key.name)-\(next)")
        var metadata: JSON = [
            "name": .string(snapshotKey.name),
            "labels": [
                FleetLabel.parentOverride: .string(key.name), FleetLabel.overrideIndex: .string(String(next)),
                FleetLabel.isLatestSnapshot: "true",
            ],
            "ownerReferences": [SnapshotObjects.ownerReference(override)],
        ]
        if !key.namespace.isEmpty { metadata["namespace"] = .string(key.namespace) }
        let object: JSON = [
            "apiVersion": .string(snapshotKind.apiVersion), "kind": .string(snapshotKind.kind), "metadata": metadata,
            "spec": ["overrideSpec": override.spec, "overrideHash": .string(ResourceHash.sha256Hex(override.spec.serialized()))],
        ]
        var events: [FleetEvent] = [
            .objectCreated(ObjectCreated(key: snapshotKey, uid: ObjectUID.make(for: snapshotKey, after: state.lastSeq), object: object))
        ]
        if var previous = latest?.json {
            previous[path: ["metadata", "labels", FleetLabel.isLatestSnapshot]] = "false"
            events.append(.objectUpdated(ObjectUpdated(key: latest!.key, object: previous)))
        }
        return events
    }

    static func snapshotKind(of key: ObjectKey) -> ResourceKind? {
        switch key.kind {
        case ResourceKind.clusterResourceOverride.kind: .clusterResourceOverrideSnapshot
        case ResourceKind.resourceOverride.kind: .resourceOverrideSnapshot
        default: nil
        }
    }

    static func index(of snapshot: StoredObject) -> Int {
        Int(snapshot.labels[FleetLabel.overrideIndex] ?? "") ?? -1
    }
}
