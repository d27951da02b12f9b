import FleetAPI
import Foundation

/// Every controller, in the order the hub runs them: CRDs (the kinds served), members with agents and what their
/// Works report, placements (scheduling and resource snapshots), overrides
/// (override snapshots), then update runs. Pure: the next batch of events one controller wants recorded now.
public enum Controllers {
    /// Looks only at the dirty objects, in the same order a scan of every object would take; an object that
    /// has nothing to record is settled and leaves the set.
    ///
    /// - Parameter agents: members reached through agents, whose namespaces, access and join state the member
    ///   cluster controller keeps; nil for simulated members.
    public static func step(
        _ state: HubState, now: Date, dirty: inout Dirty, agents: AgentMembers? = nil
    ) -> (actor: String, events: [FleetEvent])? {
        for key in dirty.definitions.sorted() {
            let events = DefinitionController.reconcile(key, in: state, now: now)
            if !events.isEmpty { return (DefinitionController.actor, events) }
            dirty.definitions.remove(key)
        }
        if let agents {
            for name in dirty.memberClusters.sorted() {
                let events = MemberClusterController.reconcile(name, in: state, now: now, agents: agents)
                if !events.isEmpty { return (MemberClusterController.actor, events) }
                dirty.memberClusters.remove(name)
                dirty.settledMembers.insert(name)
            }
        }
        dirty.memberClusters.removeAll()
        for key in dirty.works.sorted() {
            if let reported = WorkStatusController.reconcile(key, in: state) { return reported }
            dirty.works.remove(key)
        }
        for key in dirty.placements.sorted() {
            if state.halted[key] == nil {
                let events = PlacementController.reconcile(key, in: state)
                if !events.isEmpty { return (PlacementController.actor, events) }
            }
            dirty.placements.remove(key)
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
            dirty.settledRuns.insert(key)
        }
        return nil
    }

    /// Looks at every object: what a hub without a dirty set would do, and what checks the dirty set is sound.
    public static func step(_ state: HubState, now: Date, agents: AgentMembers? = nil) -> (actor: String, events: [FleetEvent])? {
        var dirty = Dirty.everything(in: state)
        return step(state, now: now, dirty: &dirty, agents: agents)
    }
}
