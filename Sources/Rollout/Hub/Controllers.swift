import FleetAPI
import Foundation

/// Every controller, in the order the hub runs them: placements (scheduling and resource snapshots), overrides
/// (override snapshots), then update runs. Pure: the next batch of events one controller wants recorded now.
public enum Controllers {
    public static func step(_ state: HubState, now: Date) -> (actor: String, events: [FleetEvent])? {
        for key in state.placements.keys.sorted() where state.halted[key] == nil {
            let events = PlacementController.reconcile(key, in: state)
            if !events.isEmpty { return ("controller/placement", events) }
        }
        for key in state.objects.keys.filter({ OverrideController.snapshotKind(of: $0) != nil && state.halted[$0] == nil }).sorted() {
            let events = OverrideController.reconcile(key, in: state)
            if !events.isEmpty { return ("controller/override", events) }
        }
        for key in state.runs.keys.sorted() where state.halted[key] == nil {
            let events = UpdateRunController.reconcile(state.runs[key]!, in: state, now: now)
            if !events.isEmpty { return ("controller/updaterun", events) }
        }
        return nil
    }
}
