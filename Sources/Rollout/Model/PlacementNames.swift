import FleetAPI

/// The names KubeFleet gives the objects that hang off a placement, for both scopes.
public enum PlacementNames {
    public static func isClusterScoped(_ placement: ObjectKey) -> Bool {
        placement.kind == ResourceKind.clusterResourcePlacement.kind
    }

    public static func resourceSnapshotKey(_ placement: ObjectKey, index: Int) -> ObjectKey {
        let kind: ResourceKind = isClusterScoped(placement) ? .clusterResourceSnapshot : .resourceSnapshot
        return ObjectKey(kind, namespace: placement.namespace, name: "\(placement.name)-\(index)-snapshot")
    }

    public static func policySnapshotKey(_ placement: ObjectKey, index: Int) -> ObjectKey {
        let kind: ResourceKind =
            isClusterScoped(placement) ? .clusterSchedulingPolicySnapshot : .schedulingPolicySnapshot
        return ObjectKey(kind, namespace: placement.namespace, name: "\(placement.name)-\(index)")
    }

    /// The placement a run of `runKind` in `namespace` names.
    public static func placementKey(forRun run: ObjectKey, placementName: String) -> ObjectKey {
        run.kind == clusterRunKeyName
            ? ObjectKey(kind: clusterPlacementKeyName, name: placementName)
            : ObjectKey(kind: placementKeyName, namespace: run.namespace, name: placementName)
    }

    // The key names `placementKey` compares and builds with, kept apart from their `ResourceKind`s: folding asks
    // for a run's placement on most events, and copying a kind costs all it holds.
    private static let clusterRunKeyName = ResourceKind.clusterStagedUpdateRun.keyName
    private static let clusterPlacementKeyName = ResourceKind.clusterResourcePlacement.keyName
    private static let placementKeyName = ResourceKind.resourcePlacement.keyName

    public static func strategyKey(forRun run: ObjectKey, strategyName: String) -> ObjectKey {
        run.kind == ResourceKind.clusterStagedUpdateRun.kind
            ? ObjectKey(.clusterStagedUpdateStrategy, name: strategyName)
            : ObjectKey(.stagedUpdateStrategy, namespace: run.namespace, name: strategyName)
    }

    public static func approvalKind(forRun run: ObjectKey) -> ResourceKind {
        run.kind == ResourceKind.clusterStagedUpdateRun.kind ? .clusterApprovalRequest : .approvalRequest
    }

    /// `<run>-<stage>` after a stage, as in the seed; `<run>-before-<stage>` before one.
    public static func approvalRequestKey(run: ObjectKey, stage: String, phase: TaskRef.Phase) -> ObjectKey {
        let name = phase == .after ? "\(run.name)-\(stage)" : "\(run.name)-before-\(stage)"
        return ObjectKey(approvalKind(forRun: run), namespace: run.namespace, name: name)
    }
}
