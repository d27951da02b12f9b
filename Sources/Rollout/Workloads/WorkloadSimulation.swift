import Foundation

/// What `--simulate-workloads` and `--fail-workload` ask of a plain API server: Deployments, StatefulSets,
/// DaemonSets and Jobs report rolled out `delay` seconds after their spec last changed, as kubelets and the
/// controller manager would, except the failing ones, which never become available.
public struct WorkloadSimulation: Sendable, Equatable {
    public var delay: TimeInterval
    /// `NAME` (in any namespace) or `NAMESPACE/NAME`.
    public var failing: [String]

    public init(delay: TimeInterval, failing: [String] = []) {
        self.delay = delay
        self.failing = failing
    }

    func fails(_ key: ObjectKey) -> Bool {
        failing.contains { $0 == key.name || $0 == "\(key.namespace)/\(key.name)" }
    }
}
