import FleetAPI
import Foundation

/// The objects KubeFleet's placement controller writes, built from the events that record them.
enum SnapshotObjects {
    static func ownerReference(_ placement: StoredObject) -> JSON {
        [
            "apiVersion": .string(placement.json["apiVersion"]?.stringValue ?? ""),
            "blockOwnerDeletion": true,
            "controller": true,
            "kind": .string(placement.key.kind),
            "name": .string(placement.key.name),
            "uid": placement.json[path: ["metadata", "uid"]] ?? .null,
        ]
    }

    static func metadata(_ key: ObjectKey) -> JSON {
        var metadata: JSON = ["name": .string(key.name)]
        if !key.namespace.isEmpty { metadata["namespace"] = .string(key.namespace) }
        return metadata
    }

    static func resourceSnapshot(_ e: ResourceSnapshotCreated, placement: StoredObject, key: ObjectKey) -> JSON {
        let kind = key.resourceKind!
        var metadata = metadata(key)
        metadata["labels"] = [
            FleetLabel.isLatestSnapshot: "true",
            FleetLabel.parentPlacement: .string(e.placement.name),
            FleetLabel.resourceIndex: .string(String(e.index)),
        ]
        metadata["annotations"] = [
            FleetLabel.numberOfEnvelopedObjects: .string(String(e.resources.filter(Envelopes.isEnvelope).count)),
            FleetLabel.numberOfResourceSnapshots: "1",
            FleetLabel.resourceHash: .string(e.hash),
        ]
        metadata["ownerReferences"] = [ownerReference(placement)]
        return [
            "apiVersion": .string(kind.apiVersion),
            "kind": .string(kind.kind),
            "metadata": metadata,
            "spec": ["selectedResources": .array(e.resources)],
        ]
    }

    static func policySnapshot(
        _ e: PolicySnapshotCreated, placement: StoredObject, key: ObjectKey, time: Date
    ) -> JSON {
        let kind = key.resourceKind!
        let policy = placement.spec["policy"] ?? ["placementType": "PickAll"]
        var metadata = metadata(key)
        metadata["labels"] = [
            FleetLabel.isLatestSnapshot: "true",
            FleetLabel.parentPlacement: .string(e.placement.name),
            FleetLabel.policyIndex: .string(String(e.index)),
        ]
        if let count = policy["numberOfClusters"] {
            metadata["annotations"] = [FleetLabel.numberOfClusters: .string(String(count.intValue ?? 0))]
        }
        metadata["ownerReferences"] = [ownerReference(placement)]
        let targets: [JSON] = e.decisions ?? e.clusters.map {
            ["clusterName": .string($0), "selected": true, "reason": "picked by scheduling policy"]
        }
        let scheduled = Scheduler.scheduledCondition(policy, picked: e.clusters.count)
        return [
            "apiVersion": .string(kind.apiVersion),
            "kind": .string(kind.kind),
            "metadata": metadata,
            "spec": ["policy": policy, "policyHash": .string(ResourceHash.sha256Hex(policy.serialized()))],
            "status": [
                "conditions": [
                    [
                        "type": "Scheduled", "status": .string(scheduled.status), "reason": .string(scheduled.reason),
                        "message": .string(scheduled.message),
                        "observedGeneration": 1, "lastTransitionTime": .string(KubeTime.format(time)),
                    ]
                ],
                "observedCRPGeneration": .int(placement.generation),
                "targetClusters": .array(targets),
            ],
        ]
    }
}
