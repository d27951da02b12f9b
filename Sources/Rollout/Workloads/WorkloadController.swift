import FleetAPI
import Foundation

/// The workload controllers and kubelets of a member cluster, simulated: a Deployment, StatefulSet, DaemonSet or
/// Job whose spec changed reports progress at once (its new generation observed, nothing ready), and rolled out
/// (or, for a failing one, failed) `delay` seconds later, with the status fields and condition reasons the real
/// controllers write, so `kubectl rollout status` and availability checks read it as they read a cluster's.
///
/// Pure: the time a rollout began is the time of the controller manager's last status write, kept in the object's
/// managed fields (a Job's `startTime`), so a restarted server carries on where it stopped.
public enum WorkloadController {
    public static let actor = "controller/workloads"
    /// The field manager the status writes are recorded under, as the controller manager's are.
    static let manager = "kube-controller-manager"
    static let kinds: Set<String> = [
        ResourceKind.deployment.kind, ResourceKind.statefulSet.kind, ResourceKind.daemonSet.kind, ResourceKind.job.kind,
    ]

    /// The status write due now for the workload at `key`, if any.
    public static func reconcile(_ key: ObjectKey, in state: HubState, now: Date, _ simulation: WorkloadSimulation) -> [FleetEvent] {
        guard let object = state.objects[key], let kind = state.kind(of: key) else { return [] }
        let workload = Workload(object: object, fails: simulation.fails(key))
        let phase = workload.phase(now: now, delay: simulation.delay)
        guard let status = workload.status(phase, now: now), status != (object.status ?? .emptyObject) else { return [] }
        var managed = ManagedFields(of: object.json)
        ServerSideApply.update(
            from: ["status": object.status ?? .emptyObject], to: ["status": status], managed: &managed,
            by: FieldWriter(manager: manager, apiVersion: kind.apiVersion, subresource: "status", time: KubeTime.format(now)),
            topology: .builtIn(kind: kind.kind))
        return [.objectStatusUpdated(ObjectStatusUpdated(key: key, status: status, managedFields: managed.json))]
    }

    /// When the workload at `key` next changes by itself: its rollout finishing, or a failing Deployment's
    /// progress deadline passing.
    public static func nextDeadline(_ key: ObjectKey, in state: HubState, now: Date, _ simulation: WorkloadSimulation) -> Date? {
        guard let object = state.objects[key] else { return nil }
        let workload = Workload(object: object, fails: simulation.fails(key))
        return workload.nextChange(delay: simulation.delay).flatMap { $0 > now ? $0 : nil }
    }
}
