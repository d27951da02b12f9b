import FleetAPI
import Foundation

extension Hub {
    /// The annotation a dry-run create of a run carries its plan in: JSON, as `RunPlan` makes it, or the
    /// initialization failure as `{"error": message}`.
    public static let planAnnotation = "flotilla.dev/plan"

    /// A run created in a dry run is initialized in the preview as it would be now, so its status shows the stages
    /// and clusters it would freeze, and it carries its plan: what it would do, before it does.
    func preview(_ rendered: JSON?, ofRun key: ObjectKey, in preview: inout HubState, seq: inout Int64) -> JSON? {
        guard var rendered, let run = preview.runs[key], !run.isInitialized else { return rendered }
        let initialization = UpdateRunController.initialize(run, in: preview)
        let plan: JSON
        switch RunPlan.plan(initialization, of: run, in: preview) {
        case .success(let made): plan = made
        case .failure(let failure): plan = ["error": .string(failure.message)]
        }
        for event in initialization.events(of: key) {
            seq += 1
            preview.evolve(Envelope(seq: seq, time: clock.now(), actor: "dry-run", event: event))
        }
        rendered = preview.render(key) ?? rendered
        rendered[path: ["metadata", "annotations", Self.planAnnotation]] = .string(plan.serializedString())
        return rendered
    }
}
