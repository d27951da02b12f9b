import FleetAPI
import Foundation

/// Which controllers a hub runs. A Fleet hub runs Fleet's: placements, overrides, update runs and the simulated
/// members they drive, and with agents the member cluster controller. A plain API server (`flotilla serve --plain`,
/// a member cluster's stand-in) runs none of them, and may simulate its workloads rolling out. Both run the API
/// server's own: CRD naming and establishing.
public struct ControllerSet: Sendable, Equatable {
    public var fleet: Bool
    public var workloads: WorkloadSimulation?
    /// Members reached through agents, whose namespaces, access and join state the member cluster controller
    /// keeps; nil for simulated members.
    public var agents: AgentMembers?

    public static let hub = ControllerSet(fleet: true, workloads: nil, agents: nil)

    public static func hub(agents: AgentMembers?) -> ControllerSet {
        ControllerSet(fleet: true, workloads: nil, agents: agents)
    }

    public static func plain(workloads: WorkloadSimulation? = nil) -> ControllerSet {
        ControllerSet(fleet: false, workloads: workloads, agents: nil)
    }

    /// When the object at `key` must be reconciled again by itself, if ever: a run's next deadline, a simulated
    /// workload's rollout finishing, a member's heartbeat growing too old, or a rolling update's untrackable
    /// cluster turning ready.
    func nextDeadline(_ key: ObjectKey, in state: HubState, now: Date) -> Date? {
        if let workloads, WorkloadController.kinds.contains(key.kind) {
            return WorkloadController.nextDeadline(key, in: state, now: now, workloads)
        }
        if let agents, key.kind == ResourceKind.memberCluster.kind {
            return MemberClusterController.nextDeadline(key.name, in: state, agents: agents)
        }
        if state.placements[key] != nil { return RolloutController.nextDeadline(key, in: state, now: now) }
        return state.runs[key].flatMap { UpdateRunController.nextDeadline($0, now: now) }
    }
}

/// Every controller, in the order the hub runs them: CRDs (the kinds served), simulated workloads, members with
/// agents and what their Works report, placements (scheduling, resource snapshots and rolling updates), overrides
/// (override snapshots), then update runs. Pure: the next batch of events one controller wants recorded now.
public enum Controllers {
    /// Looks only at the dirty objects, in the same order a scan of every object would take; an object that
    /// has nothing to record is settled and leaves the set.
    public static func step(
        _ state: HubState, now: Date, dirty: inout Dirty, running controllers: ControllerSet = .hub
    ) -> (actor: String, events: [FleetEvent])? {
        for key in dirty.definitions.sorted() {
            let events = DefinitionController.reconcile(key, in: state, now: now)
            if !events.isEmpty { return (DefinitionController.actor, events) }
            dirty.definitions.remove(key)
        }
        if let workloads = controllers.workloads {
            for key in dirty.workloads.sorted() {
                let events = WorkloadController.reconcile(key, in: state, now: now, workloads)
                if !events.isEmpty { return (WorkloadController.actor, events) }
                dirty.workloads.remove(key)
                dirty.settled.insert(key)
            }
        }
        dirty.workloads.removeAll()
        if let agents = controllers.agents {
            for name in dirty.memberClusters.sorted() {
                let events = MemberClusterController.reconcile(name, in: state, now: now, agents: agents)
                if !events.isEmpty { return (MemberClusterController.actor, events) }
                dirty.memberClusters.remove(name)
                dirty.settled.insert(ObjectKey(.memberCluster, name: name))
            }
        }
        dirty.memberClusters.removeAll()
        guard controllers.fleet else {
            dirty.works.removeAll()
            dirty.placements.removeAll()
            dirty.reschedule.removeAll()
            dirty.evictions.removeAll()
            dirty.overrides.removeAll()
            dirty.runs.removeAll()
            dirty.revalidate.removeAll()
            return nil
        }
        for key in dirty.works.sorted() {
            if let reported = WorkStatusController.reconcile(key, in: state) { return reported }
            dirty.works.remove(key)
        }
        for key in dirty.placements.sorted() {
            if state.halted[key] == nil {
                let events = PlacementController.reconcile(key, in: state, rescheduling: dirty.reschedule.contains(key))
                if !events.isEmpty { return (PlacementController.actor, events) }
                // Scheduled, or past needing it: the placement's own events mark it again when they change its picks.
                dirty.reschedule.remove(key)
                let rollout = RolloutController.reconcile(key, in: state, now: now)
                if !rollout.isEmpty { return (RolloutController.actor, rollout) }
            }
            dirty.placements.remove(key)
            dirty.settled.insert(key)
        }
        for key in dirty.evictions.sorted() {
            let events = EvictionController.reconcile(key, in: state, now: now)
            if !events.isEmpty { return (EvictionController.actor, events) }
            dirty.evictions.remove(key)
        }
        for key in dirty.overrides.sorted() {
            if state.halted[key] == nil {
                let events = OverrideController.reconcile(key, in: state)
                if !events.isEmpty { return ("controller/override", events) }
            }
            dirty.overrides.remove(key)
        }
        for key in dirty.runs.sorted() {
            if state.halted[key] == nil, let run = state.runs[key] {
                let events = UpdateRunController.reconcile(
                    run, in: state, now: now, revalidating: dirty.revalidate.contains(key))
                // Validated, or past needing it: the run's own events do not change what validation reads.
                dirty.revalidate.remove(key)
                if !events.isEmpty { return ("controller/updaterun", events) }
            }
            dirty.runs.remove(key)
            dirty.settled.insert(key)
        }
        return nil
    }

    /// Looks at every object: what a hub without a dirty set would do, and what checks the dirty set is sound.
    public static func step(
        _ state: HubState, now: Date, running controllers: ControllerSet = .hub
    ) -> (actor: String, events: [FleetEvent])? {
        var dirty = Dirty.everything(in: state, running: controllers)
        return step(state, now: now, dirty: &dirty, running: controllers)
    }
}
