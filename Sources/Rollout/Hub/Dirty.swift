import FleetAPI

/// The objects whose controllers may have something to record: what events touched since they last settled.
/// Everything else is known to be settled, so a write costs what it changes, not the size of the fleet.
public struct Dirty: Sendable, Equatable {
    /// CustomResourceDefinitions, whose names are accepted against every other definition's.
    public var definitions: Set<ObjectKey> = []
    /// Member clusters by name, whose access and join state the member cluster controller keeps (agents only).
    public var memberClusters: Set<String> = []
    /// Works whose status a member's agent may have changed.
    public var works: Set<ObjectKey> = []
    public var placements: Set<ObjectKey> = []
    /// Placements whose policy, picks or member clusters changed since they were last scheduled: scheduling
    /// looks at every member, so a change to what a placement selects does not run it.
    public var reschedule: Set<ObjectKey> = []
    /// Evictions not yet carried out or refused.
    public var evictions: Set<ObjectKey> = []
    public var overrides: Set<ObjectKey> = []
    public var runs: Set<ObjectKey> = []
    /// Deployments, StatefulSets, DaemonSets and Jobs, for a plain server that simulates them rolling out.
    public var workloads: Set<ObjectKey> = []
    /// Runs, workloads and members that settled since the hub last asked: their next deadline (a wait, a
    /// rollout's end, a heartbeat growing too old) may have moved.
    public var settled: Set<ObjectKey> = []
    /// Runs whose placement, members or spec changed since they were last validated: KubeFleet's revalidation
    /// maps every member to a stage, so it runs only when what it reads has changed.
    public var revalidate: Set<ObjectKey> = []

    public init() {}

    /// Every controller's every object: how a hub starts. Member clusters only when `controllers` has agents, the
    /// only ones that reconcile them: a set of every member's name cost more than the rest together.
    public static func everything(in state: HubState, running controllers: ControllerSet) -> Dirty {
        var dirty = Dirty()
        dirty.definitions = Set(state.objects.keys(ofKind: ResourceKind.customResourceDefinition.kind))
        if controllers.agents != nil { dirty.memberClusters = Set(state.memberNames) }
        dirty.works = Set(state.objects.keys(ofKind: ResourceKind.work.kind))
        dirty.placements = Set(state.placements.keys)
        dirty.reschedule = dirty.placements
        dirty.evictions = Set(state.objects.keys(ofKind: ResourceKind.clusterResourcePlacementEviction.kind))
        dirty.overrides = Set(state.overrideKeys)
        dirty.runs = Set(state.runs.keys)
        dirty.revalidate = dirty.runs
        dirty.workloads = Set(WorkloadController.kinds.flatMap { state.objects.keys(ofKind: $0) })
        return dirty
    }

    public var isEmpty: Bool {
        definitions.isEmpty && memberClusters.isEmpty && works.isEmpty && placements.isEmpty && evictions.isEmpty && overrides.isEmpty
            && runs.isEmpty && workloads.isEmpty
    }

    /// A deadline fell due: a simulated workload's rollout, a member's heartbeat growing too old, or a run's
    /// wait or stuck check.
    mutating func due(_ key: ObjectKey) {
        if WorkloadController.kinds.contains(key.kind) {
            workloads.insert(key)
        } else if key.kind == ResourceKind.memberCluster.kind {
            memberClusters.insert(key.name)
        } else if key.kind == ResourceKind.clusterResourcePlacement.kind || key.kind == ResourceKind.resourcePlacement.kind {
            placements.insert(key)
        } else {
            runs.insert(key)
        }
    }

    mutating func placementAndRuns(_ placement: ObjectKey, in state: HubState) {
        placements.insert(placement)
        runs.formUnion(state.runsByPlacement[placement] ?? [])
        revalidate.formUnion(state.runsByPlacement[placement] ?? [])
    }
}

extension HubState {
    /// The override objects, whose controller takes override snapshots.
    var overrideKeys: [ObjectKey] {
        [ResourceKind.clusterResourceOverride, .resourceOverride].flatMap { objects.keys(ofKind: $0.kind) }
    }
}

extension FleetEvent {
    /// Marks what the event touches, given the state before it: every object whose controller reads what the
    /// event changes. Sound means complete: a controller not marked would record nothing if asked.
    public func touches(in state: HubState, _ dirty: inout Dirty) {
        switch self {
        case .objectCreated(let e): objectTouches(e.key, object: e.object, after: e.object, in: state, &dirty)
        case .objectUpdated(let e):
            var after = e.object
            after["status"] = state.objects[e.key]?.status
            objectTouches(e.key, object: e.object, after: after, in: state, &dirty)
        case .objectStatusUpdated(let e):
            var after = state.objects[e.key]?.json
            after?["status"] = e.status
            objectTouches(e.key, object: state.objects[e.key]?.json, after: after, in: state, &dirty)
        case .objectDeleted(let e): objectTouches(e.key, object: state.objects[e.key]?.json, after: nil, in: state, &dirty)
        case .policySnapshotCreated(let e):
            dirty.placementAndRuns(e.placement, in: state)
            dirty.reschedule.insert(e.placement)
        case .resourceSnapshotCreated(let e): dirty.placementAndRuns(e.placement, in: state)
        case .placementScheduled(let e):
            dirty.placementAndRuns(e.placement, in: state)
            dirty.reschedule.insert(e.placement)
        case .clusterRolloutStarted(let e): dirty.placements.insert(e.placement)
        case .clusterRolloutRemoved(let e): dirty.placements.insert(e.placement)
        case .approvalAccepted(let e):
            if let run = Self.run(ofApproval: e.request, object: state.objects[e.request]?.json) { dirty.runs.insert(run) }
        case .memberApplied(let e): memberTouches(e.cluster, e.placement, in: state, &dirty)
        case .memberApplyFailed(let e): memberTouches(e.cluster, e.placement, in: state, &dirty)
        case .memberDiffReported(let e): memberTouches(e.cluster, e.placement, in: state, &dirty)
        case .memberRemoved(let e):
            // The deletion stage waits on removals without binding the cluster: every run of the placement.
            dirty.runs.formUnion(state.runsByPlacement[e.placement] ?? [])
        case .controllerHalted:
            break
        case .clusterUpdateStarted(let e):
            dirty.runs.insert(e.run)
            // A run that takes over a cluster fails the run that held it.
            if let placement = state.runs[e.run]?.placement, let holder = state.placements[placement]?.bindings[e.cluster]?.run {
                dirty.runs.insert(holder)
            }
        default:
            if let run = runKey { dirty.runs.insert(run) }
        }
    }

    private func memberTouches(_ cluster: String, _ placement: ObjectKey, in state: HubState, _ dirty: inout Dirty) {
        if let binding = state.placements[placement]?.bindings[cluster] {
            // A run's cluster, or one the placement's rolling update is waiting on.
            if let run = binding.run { dirty.runs.insert(run) } else { dirty.placements.insert(placement) }
        } else {
            dirty.runs.formUnion(state.runsByPlacement[placement] ?? [])
        }
    }

    /// - Parameters:
    ///   - object: what controllers read of the object: the new manifest, or the stored one for a status write
    ///     or a deletion.
    ///   - after: the object as the event leaves it, nil once deleted.
    private func objectTouches(_ key: ObjectKey, object: JSON?, after: JSON?, in state: HubState, _ dirty: inout Dirty) {
        guard let kind = state.kind(of: key) else { return }
        switch kind {
        case .clusterResourcePlacement, .resourcePlacement:
            dirty.placementAndRuns(key, in: state)
            dirty.reschedule.insert(key)
        case .clusterStagedUpdateRun, .stagedUpdateRun:
            dirty.runs.insert(key)
            dirty.revalidate.insert(key)
            if let name = object?[path: ["spec", "placementName"]]?.stringValue {
                // A run naming a pruned snapshot has its placement re-create it.
                dirty.placements.insert(PlacementNames.placementKey(forRun: key, placementName: name))
            }
        case .clusterStagedUpdateStrategy, .stagedUpdateStrategy:
            dirty.runs.formUnion(state.waitingRuns)
        case .clusterApprovalRequest, .approvalRequest:
            if let run = Self.run(ofApproval: key, object: object) { dirty.runs.insert(run) }
        case .clusterResourceOverride, .resourceOverride:
            dirty.overrides.insert(key)
            dirty.runs.formUnion(state.waitingRuns)
        case .clusterResourceOverrideSnapshot, .resourceOverrideSnapshot:
            if let parent = object?[path: ["metadata", "labels", FleetLabel.parentOverride]]?.stringValue {
                let overrideKind: ResourceKind = kind == .clusterResourceOverrideSnapshot ? .clusterResourceOverride : .resourceOverride
                dirty.overrides.insert(ObjectKey(overrideKind, namespace: key.namespace, name: parent))
            }
            dirty.runs.formUnion(state.waitingRuns)
            // Rolling updates re-bind the clusters a new override snapshot selects.
            for (placement, placementState) in state.placements
            where placementState.spec?.strategyType == .rollingUpdate && (key.namespace.isEmpty || placement.namespace == key.namespace) {
                dirty.placements.insert(placement)
            }
        case .clusterResourceSnapshot, .resourceSnapshot, .clusterSchedulingPolicySnapshot, .schedulingPolicySnapshot:
            if let parent = object?[path: ["metadata", "labels", FleetLabel.parentPlacement]]?.stringValue {
                let placementKind: ResourceKind = key.namespace.isEmpty ? .clusterResourcePlacement : .resourcePlacement
                let placement = ObjectKey(placementKind, namespace: key.namespace, name: parent)
                dirty.placementAndRuns(placement, in: state)
                // The policy snapshot holds the policy a placement compares its own with.
                if kind == .clusterSchedulingPolicySnapshot || kind == .schedulingPolicySnapshot { dirty.reschedule.insert(placement) }
            }
        case .customResourceDefinition:
            // Freed or taken names can change whether any other definition in the group is accepted.
            dirty.definitions.formUnion(state.objects.keys(ofKind: kind.kind))
            dirty.definitions.insert(key)
            // A kind served or no longer served makes selectors naming it valid or invalid.
            dirty.placements.formUnion(state.placements.keys)
            dirty.reschedule.formUnion(state.placements.keys)
        case .work:
            dirty.works.insert(key)
        case .clusterResourcePlacementEviction:
            // Looked at when written, as KubeFleet reconciles an eviction on each change of its spec.
            if after != nil { dirty.evictions.insert(key) }
        case .memberCluster:
            dirty.memberClusters.insert(key.name)
            // Scheduling and every run's stage membership read member labels, taints and eligibility; a heartbeat
            // changes none of them.
            let before = state.objects[key]
            let unchanged = before.map { before in
                after.map { after in
                    let updated = StoredObject(key: key, json: after, generation: before.generation, resourceVersion: before.resourceVersion)
                    return updated.labels == before.labels && updated.spec["taints"] == before.spec["taints"]
                        && MemberClusterController.isEligible(updated) == MemberClusterController.isEligible(before)
                } ?? false
            } ?? false
            if unchanged { return }
            dirty.placements.formUnion(state.placements.keys)
            dirty.reschedule.formUnion(state.placements.keys)
            dirty.runs.formUnion(state.runs.keys)
            dirty.revalidate.formUnion(state.runs.keys)
        default:
            if WorkloadController.kinds.contains(kind.keyName) { dirty.workloads.insert(key) }
            // A resource a placement may select: the cluster-scoped placements, and those in its namespace.
            let namespace = kind == .namespace ? key.name : key.namespace
            for placement in state.placements.keys where placement.namespace.isEmpty || placement.namespace == namespace {
                dirty.placements.insert(placement)
            }
        }
    }

    /// The run an approval request belongs to.
    static func run(ofApproval key: ObjectKey, object: JSON?) -> ObjectKey? {
        guard let name = object?[path: ["spec", "parentStageRollout"]]?.stringValue else { return nil }
        let kind: ResourceKind = key.kind == ResourceKind.clusterApprovalRequest.kind ? .clusterStagedUpdateRun : .stagedUpdateRun
        return ObjectKey(kind, namespace: key.namespace, name: name)
    }
}
