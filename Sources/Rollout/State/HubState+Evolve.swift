import FleetAPI
import Foundation

extension HubState {
    /// Folds one recorded event in. Total: an event that names something missing changes nothing, so a
    /// journal always replays.
    public mutating func evolve(_ envelope: Envelope) {
        evolve(envelope, deferring: nil)
    }

    /// Folds recorded events in, in order, as `replay` does: the same state as evolving each, for less.
    public mutating func evolve(contentsOf envelopes: [Envelope]) {
        var deferred = DeferredTouches()
        evolveDeferring(&deferred) { evolve in
            for index in envelopes.indices { evolve(envelopes[index]) }
        }
        showVersions(of: deferred)
    }

    /// Folds in, without showing versions, the events `events` hands to the function it is given, as one batch:
    /// the objects it touched last are stamped as it ends, and `deferred` goes on gathering the objects to show.
    mutating func evolveDeferring(
        _ deferred: inout DeferredTouches, _ events: ((Envelope) -> Void) throws -> Void
    ) rethrows {
        // Reached through a pointer that lives only as long as the batch: a class's fields pay dynamic
        // exclusivity checks on each touch.
        try withUnsafeMutablePointer(to: &deferred) { deferred in
            // Stamped however the batch ends: the events folded before a failure stay folded.
            defer { for touch in deferred.pointee.takePending() { stamp(touch, deferring: deferred) } }
            try events { evolve($0, deferring: deferred) }
        }
    }

    /// With `deferred`, an object's JSON keeps its old `metadata.resourceVersion` until `showVersions`: a replay
    /// writes it once an object rather than on every event that touches it (most of a journal's events touch a run
    /// or a placement). Nothing folding reads the JSON's version, nor the version of an object it only touched.
    mutating func evolve(_ envelope: Envelope, deferring deferred: UnsafeMutablePointer<DeferredTouches>?) {
        lastSeq = envelope.seq
        let time = envelope.time
        let stamp = Stamp(seq: envelope.seq, deferred: deferred)
        switch envelope.event {
        case .objectCreated(let e):
            create(e.key, json: e.object, uid: e.uid, stamp: stamp, time: time)
            runs[e.key]?.approvals.creator = envelope.actor
            reindexKinds(after: e.key)
        case .objectUpdated(let e):
            let generation = objects[e.key]?.generation
            update(e.key, json: e.object, stamp: stamp)
            if objects[e.key]?.generation != generation { halted[e.key] = nil }
            reindexKinds(after: e.key)
        case .objectStatusUpdated(let e):
            objects.modify(e.key) {
                $0.json["status"] = e.status
                if let managed = e.managedFields {
                    let kept: JSON? = managed.arrayValue?.isEmpty == false ? managed : nil
                    $0.json[path: ["metadata", "managedFields"]] = kept
                }
                Self.touch(&$0, stamp: stamp)
            }
            reindexKinds(after: e.key)
            if e.key.kind == ResourceKind.memberCluster.kind { indexMember(e.key.name) }
            // What an agent reports on a Work shows in its placement's status.
            if e.key.kind == ResourceKind.work.kind, let (_, placement) = WorkWriter.target(ofWork: e.key) { touch(placement, stamp: stamp) }
        case .objectDeleted(let e):
            defer { reindexKinds(after: e.key) }
            objects[e.key] = nil
            placements[e.key] = nil
            halted[e.key] = nil
            let placement = runs[e.key]?.placement
            runs[e.key] = nil
            indexRun(e.key, placement: placement)
            if e.key.kind == ResourceKind.memberCluster.kind {
                let held = members.removeValue(forKey: e.key.name)?.applied.keys.map { $0 } ?? []
                for placement in held { indexHolder(e.key.name, of: placement) }
                indexMember(e.key.name)
            }
        case .policySnapshotCreated(let e):
            evolvePolicySnapshot(e, stamp: stamp, time: time)
        case .resourceSnapshotCreated(let e):
            evolveResourceSnapshot(e, stamp: stamp, time: time)
        case .placementScheduled(let e):
            placements[e.placement]?.scheduledClusters = e.clusters
            touch(e.placement, stamp: stamp)
            rescheduled(e, stamp: stamp, time: time)
        case .clusterRolloutStarted(let e):
            placements[e.placement]?.bindings[e.cluster] = .init(run: nil, resourceIndex: e.resourceIndex, since: time, overrides: e.overrides)
            touch(e.placement, stamp: stamp)
        case .clusterRolloutRemoved(let e):
            placements[e.placement]?.bindings[e.cluster] = nil
            touch(e.placement, stamp: stamp)
        case .approvalAccepted(let e):
            objects.modify(e.request) { object in
                var conditions = ApprovalRequestStatus.conditions(of: object.status)
                conditions.set(
                    Condition(
                        type: "ApprovalAccepted", status: .true, reason: "ApprovalRequestApprovalAccepted",
                        message: "The approval request has been approved and cannot be reverted",
                        observedGeneration: e.generation, lastTransitionTime: time))
                // The status as encoding an `ApprovalRequestStatus` gives, built directly: the encoder's walk
                // cost more than the rest of the event.
                object.json["status"] = ["conditions": .array(conditions.map(\.json))]
                Self.touch(&object, stamp: stamp)
            }
        case .memberApplied(let e):
            // One lookup of the member for both changes; the member now holds the placement. A member that held it
            // already is among its holders (`holders` follows `applied`), so only a first apply files it there:
            // most applies are a later run's.
            var heldAlready = false
            modifyMember(e.cluster) { member in
                let applied = MemberState.Applied(
                    resourceIndex: e.resourceIndex, objects: e.objects, since: time, untrackable: e.untrackable)
                heldAlready = member.applied.updateValue(applied, forKey: e.placement) != nil
                if !member.failures.isEmpty { member.failures[e.placement] = nil }
            }
            if !heldAlready { holders[e.placement, default: []].insert(e.cluster) }
            touch(e.placement, stamp: stamp)
        case .memberApplyFailed(let e):
            members[e.cluster, default: MemberState()].failures[e.placement] = e
            touch(e.placement, stamp: stamp)
        case .memberDiffReported(let e):
            modifyMember(e.cluster) { member in
                member.reported[e.placement] = .init(resourceIndex: e.resourceIndex, differences: e.differences)
                if !member.failures.isEmpty { member.failures[e.placement] = nil }
            }
            touch(e.placement, stamp: stamp)
        case .memberRemoved(let e):
            members[e.cluster]?.applied[e.placement] = nil
            members[e.cluster]?.failures[e.placement] = nil
            indexHolder(e.cluster, of: e.placement)
            touch(e.placement, stamp: stamp)
        case .controllerHalted(let e):
            halted[e.key] = Halt(message: e.message, time: time)
            touch(e.key, stamp: stamp)
        case .updateRunInitialized, .updateRunInitializationFailed, .stageSkipped, .clusterUpdateStarted,
            .clusterUpdateSucceeded, .clusterUpdateFailed, .clusterUpdateSkipped, .clusterUpdateAvailable, .scheduleWindowOpened, .scheduleWindowClosed, .metricMeasured, .updateRunStuck, .stageWaiting, .timedWaitElapsed,
            .approvalRequested, .approvalTaskApproved, .approvalDecided, .stageSucceeded, .updateRunSucceeded, .updateRunFailed,
            .updateRunStopping, .updateRunStopped, .updateRunResumed:
            evolveRun(envelope, stamp: stamp)
        }
    }

    /// Changes the member in place, adding it when missing.
    private mutating func modifyMember(_ cluster: String, _ body: (inout MemberState) -> Void) {
        body(&members[cluster, default: MemberState()])
    }

    /// Changes the run in place: a copy would cost what the run holds, on every one of its events.
    /// The run is found once and changed where it is: a run's events are most of a journal.
    private mutating func evolveRun(_ envelope: Envelope, stamp: Stamp) {
        guard let runKey = envelope.event.runKey, let index = runs.index(forKey: runKey) else { return }
        if case .clusterUpdateStarted(let ref) = envelope.event { start(ref, ofRunAt: index, at: envelope.time, stamp: stamp) }
        // A run's events never move it to another placement; only whether it still waits can change.
        if Self.evolve(&runs.values[index], by: envelope.event, at: envelope.time) { indexRun(runKey, placement: nil) }
        touch(runKey, stamp: stamp)
    }

    /// Folds an event into the run where it lies; true when it settled the run or unsettled it.
    private static func evolve(_ run: inout UpdateRunState, by event: FleetEvent, at time: Date) -> Bool {
        let wasSettled = run.isSettled
        run.evolve(event, at: time)
        return run.isSettled != wasSettled
    }

    /// The run starts a cluster: KubeFleet binds the cluster to the run's snapshot, and a run that rolls back on
    /// failure keeps what the cluster held before.
    private mutating func start(
        _ ref: ClusterRef, ofRunAt index: Dictionary<ObjectKey, UpdateRunState>.Index, at time: Date, stamp: Stamp
    ) {
        let (run, placement, inStages, rollsBack, snapshot) = Self.read(&runs.values[index]) {
            ($0.key, $0.placement, ref.stage < $0.stages.count, $0.rollsBackOnFailure, $0.snapshotIndex(for: ref.cluster))
        }
        guard inStages else { return }
        if rollsBack {
            runs.values[index].keepHeld(ref.cluster, HeldSnapshot(resourceIndex: members[ref.cluster]?.applied[placement]?.resourceIndex))
        }
        guard let snapshot else { return }
        if let slot = placements.index(forKey: placement) {
            placements.values[slot].bindings[ref.cluster] = .init(run: run, resourceIndex: snapshot, since: time)
        }
        touch(placement, stamp: stamp)
    }

    /// Reads the run where it lies: the dictionary's getter would copy all it holds.
    private static func read<T>(_ run: inout UpdateRunState, _ body: (UpdateRunState) -> T) -> T { body(run) }

    /// A CRD changed: the kinds served may have too.
    private mutating func reindexKinds(after key: ObjectKey) {
        if key.kind == ResourceKind.customResourceDefinition.kind { indexKinds() }
    }

    private mutating func create(_ key: ObjectKey, json: JSON, uid: String, stamp: Stamp, time: Date) {
        guard let kind = kind(of: key) else { return }
        var json = json
        let generation: Int64 = kind.tracksGeneration ? 1 : 0
        // Metadata changed once for its fields: a path set per field finds and rebuilds it each time. Its version
        // shows at once even when the fold defers versions: most objects are never touched again, and
        // `showVersions` then finds them as they are rather than changing each one more.
        var metadata = json["metadata"] ?? .emptyObject
        metadata["uid"] = .string(uid)
        metadata["creationTimestamp"] = .string(KubeTime.format(time))
        if kind.tracksGeneration { metadata["generation"] = .int(generation) }
        metadata["resourceVersion"] = .string(String(stamp.seq))
        json["metadata"] = metadata
        var object = StoredObject(key: key, json: json, generation: generation, resourceVersion: stamp.seq)
        Self.touch(&object, stamp: stamp)
        objects[key] = object
        // By the key's kind name, which names a built-in kind alone: matching `ResourceKind` values compares and
        // copies every field of theirs, case by case.
        switch key.kind {
        case ResourceKind.clusterResourcePlacement.kind, ResourceKind.resourcePlacement.kind:
            placements[key] = PlacementState(spec: PlacementSpec(json: object.spec))
        case ResourceKind.clusterStagedUpdateRun.kind, ResourceKind.stagedUpdateRun.kind:
            if let spec = UpdateRunSpec(json: object.spec) {
                var run = UpdateRunState(key: key, spec: spec, generation: generation)
                run.configure(annotations: object.annotations)
                runs[key] = run
                indexRun(key, placement: nil)
            }
        case ResourceKind.memberCluster.kind:
            members[key.name] = members[key.name] ?? MemberState()
            indexMember(key.name)
        default:
            break
        }
    }

    private mutating func update(_ key: ObjectKey, json: JSON, stamp: Stamp) {
        guard var object = objects[key], let kind = kind(of: key) else { return }
        var json = json
        let metadata = object.json["metadata"] ?? .emptyObject
        for field in ["uid", "creationTimestamp"] {
            json[path: ["metadata", field]] = metadata[field]
        }
        if kind.hasStatus { json["status"] = object.json["status"] }
        if kind.tracksGeneration {
            if Self.specPart(json) != Self.specPart(object.json) { object.generation += 1 }
            json[path: ["metadata", "generation"]] = .int(object.generation)
        }
        object.json = json
        Self.touch(&object, stamp: stamp)
        objects[key] = object
        if placements[key] != nil { placements[key]?.spec = PlacementSpec(json: object.spec) }
        if kind == .memberCluster { indexMember(key.name) }
        if var run = runs[key], let spec = UpdateRunSpec(json: object.spec) {
            run.spec = spec
            run.generation = object.generation
            run.configure(annotations: object.annotations)
            runs[key] = run
        }
    }

    /// Everything but metadata and status: what bumps `generation` when it changes.
    static func specPart(_ json: JSON) -> JSON {
        var rest = json
        rest["metadata"] = nil
        rest["status"] = nil
        return rest
    }

    /// A status the hub computes changed: the object's resourceVersion moves so watchers and clients see it.
    private mutating func touch(_ key: ObjectKey, stamp: Stamp) {
        guard let deferred = stamp.deferred else {
            objects.modify(key) { Self.touch(&$0, stamp: stamp) }
            return
        }
        if let pushedOut = deferred.pointee.note(key, at: stamp.seq) { self.stamp(pushedOut, deferring: deferred) }
    }

    /// Stamps a deferred touch. The object may have been stamped by a later event since, or deleted and made anew:
    /// its version is then the later one.
    private mutating func stamp(
        _ touch: DeferredTouches.Touch, deferring deferred: UnsafeMutablePointer<DeferredTouches>
    ) {
        objects.modify(touch.key) { object in
            guard touch.seq > object.resourceVersion else { return }
            object.resourceVersion = touch.seq
            deferred.pointee.versionChanged(object.key)
        }
    }

    private static func touch(_ object: inout StoredObject, stamp: Stamp) {
        guard let deferred = stamp.deferred else {
            object.resourceVersion = stamp.seq
            object.showVersion()
            return
        }
        // An object made by this event shows its version already.
        guard object.resourceVersion != stamp.seq else { return }
        object.resourceVersion = stamp.seq
        deferred.pointee.versionChanged(object.key)
    }

    /// Writes their resourceVersion into the JSON of the objects a fold in batches (`evolveDeferring`) left without
    /// it.
    mutating func showVersions(of deferred: DeferredTouches) {
        for key in deferred.unshown { objects.modify(key) { $0.showVersion() } }
    }

    /// A new decision under the same policy: the latest policy snapshot shows it, as KubeFleet's scheduler
    /// rewrites the snapshot's status.
    private mutating func rescheduled(_ e: PlacementScheduled, stamp: Stamp, time: Date) {
        guard let decisions = e.decisions, let index = placements[e.placement]?.policyIndex else { return }
        placements[e.placement]?.decisions = decisions
        placements[e.placement]?.scheduledAt = time
        let key = PlacementNames.policySnapshotKey(e.placement, index: index)
        objects.modify(key) { snapshot in
            let scheduled = Scheduler.scheduledCondition(snapshot.spec["policy"] ?? .emptyObject, picked: e.clusters.count)
            snapshot.json[path: ["status", "targetClusters"]] = .array(decisions)
            if var conditions = snapshot.json[path: ["status", "conditions"]]?.arrayValue, !conditions.isEmpty {
                conditions[0]["status"] = .string(scheduled.status)
                conditions[0]["reason"] = .string(scheduled.reason)
                conditions[0]["message"] = .string(scheduled.message)
                snapshot.json[path: ["status", "conditions"]] = .array(conditions)
            }
            Self.touch(&snapshot, stamp: stamp)
        }
    }

    /// The snapshot marked latest before the one taken at `seq`: only the previous latest can carry the label, so
    /// taking a snapshot costs the same however many the placement keeps.
    private mutating func flipLatest(_ previous: ObjectKey?, stamp: Stamp) {
        guard let previous, objects[previous]?.labels[FleetLabel.isLatestSnapshot] == "true" else { return }
        objects.modify(previous) {
            $0.json[path: ["metadata", "labels", FleetLabel.isLatestSnapshot]] = "false"
            Self.touch(&$0, stamp: stamp)
        }
    }

    private mutating func evolvePolicySnapshot(_ e: PolicySnapshotCreated, stamp: Stamp, time: Date) {
        guard let placementObject = objects[e.placement] else { return }
        let key = PlacementNames.policySnapshotKey(e.placement, index: e.index)
        let json = SnapshotObjects.policySnapshot(e, placement: placementObject, key: key, time: time)
        create(key, json: json, uid: e.uid, stamp: stamp, time: time)
        flipLatest(previousLatestSnapshot(of: .policySnapshotCreated(e)), stamp: stamp)
        placements[e.placement]?.policyIndex = e.index
        placements[e.placement]?.scheduledClusters = e.clusters
        placements[e.placement]?.decisions = json[path: ["status", "targetClusters"]]?.arrayValue ?? []
        placements[e.placement]?.scheduledAt = time
        touch(e.placement, stamp: stamp)
    }

    private mutating func evolveResourceSnapshot(_ e: ResourceSnapshotCreated, stamp: Stamp, time: Date) {
        guard let placementObject = objects[e.placement] else { return }
        let key = PlacementNames.resourceSnapshotKey(e.placement, index: e.index)
        let json = SnapshotObjects.resourceSnapshot(e, placement: placementObject, key: key)
        create(key, json: json, uid: e.uid, stamp: stamp, time: time)
        flipLatest(previousLatestSnapshot(of: .resourceSnapshotCreated(e)), stamp: stamp)
        placements[e.placement]?.resourceSnapshots[e.index] = .init(hash: e.hash, resources: e.resources)
        placements[e.placement]?.latestResourceIndex = e.index
        touch(e.placement, stamp: stamp)
    }
}

/// What folding an event stamps on what it touches: the event's seq as their resourceVersion, at once and shown in
/// their JSON, or, while a batch folds, noted in `deferred` when the event only touches them.
struct Stamp {
    var seq: Int64
    var deferred: UnsafeMutablePointer<DeferredTouches>?
}

extension StoredObject {
    /// Writes `resourceVersion` into the JSON, unless it is there already: a checkpoint's objects have it, and
    /// their trees may be shared.
    mutating func showVersion() {
        let version = String(resourceVersion)
        guard json[path: Self.resourceVersionPath]?.stringValue != version else { return }
        json[path: Self.resourceVersionPath] = .string(version)
    }

    private static let resourceVersionPath = ["metadata", "resourceVersion"]
}

extension HubState {
    /// The snapshot a snapshot-taking event stops marking latest, other than the one it takes.
    func previousLatestSnapshot(of event: FleetEvent) -> ObjectKey? {
        switch event {
        case .policySnapshotCreated(let e):
            guard let index = placements[e.placement]?.policyIndex, index != e.index else { return nil }
            return PlacementNames.policySnapshotKey(e.placement, index: index)
        case .resourceSnapshotCreated(let e):
            guard let index = placements[e.placement]?.latestResourceIndex, index != e.index else { return nil }
            return PlacementNames.resourceSnapshotKey(e.placement, index: index)
        default:
            return nil
        }
    }
}

extension ResourceKind {
    /// Custom resources and apps kinds carry `metadata.generation`; core kinds such as ConfigMap do not.
    public var tracksGeneration: Bool { !group.isEmpty }
}

extension FleetEvent {
    /// The run an update-run event belongs to.
    var runKey: ObjectKey? {
        switch self {
        case .updateRunInitialized(let e): e.run
        case .updateRunInitializationFailed(let e), .updateRunFailed(let e): e.run
        case .stageSkipped(let e), .stageWaiting(let e), .stageSucceeded(let e), .updateRunStopping(let e),
            .updateRunStopped(let e), .updateRunResumed(let e):
            e.run
        case .clusterUpdateStarted(let e), .clusterUpdateSucceeded(let e), .clusterUpdateSkipped(let e),
            .clusterUpdateAvailable(let e): e.run
        case .scheduleWindowOpened(let e), .scheduleWindowClosed(let e): e.run
        case .metricMeasured(let e): e.run
        case .clusterUpdateFailed(let e): e.run
        case .updateRunStuck(let e): e.run
        case .timedWaitElapsed(let e), .approvalRequested(let e), .approvalTaskApproved(let e): e.run
        case .updateRunSucceeded(let e): e.run
        case .approvalDecided(let e): e.run
        default: nil
        }
    }
}
