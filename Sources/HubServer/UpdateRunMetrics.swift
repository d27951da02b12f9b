import FleetAPI
import Foundation
import Prometheus
import Rollout

/// KubeFleet's three update-run metrics, under their names and labels, computed from the runs' recorded status
/// at each scrape: a projection like any other, so a restarted hub reports the same series.
enum UpdateRunMetrics {
    static var statusTimestamp: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "fleet", subsystem: "workload", metricName: "update_run_status_last_timestamp", unitName: "seconds",
        helpText: "When the run's first current condition among Succeeded, Progressing and Initialized last changed") }
    static var approvalLatency: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "fleet", subsystem: "workload", metricName: "update_run_approval_request_latency", unitName: "seconds",
        helpText: "From an approval request's creation to its approval") }
    static var stageDuration: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "fleet", subsystem: "workload", metricName: "update_run_stage_cluster_updating_duration",
        unitName: "seconds", helpText: "From a stage's start until all its clusters are updated, tasks excluded") }
    static let approvalBuckets: [Double] = [60, 300, 900, 1800, 3600, 7200, 21600, 43200, 86400]
    static let stageBuckets: [Double] = [15, 30, 60, 120, 300, 600, 1800, 3600]

    static func record(_ state: HubState, into registry: PrometheusCollectorRegistry) {
        for run in state.runs.values.sorted(by: { $0.key < $1.key }) {
            let identity = [("namespace", run.key.namespace), ("name", run.key.name)]
            let conditions = run.status.conditions ?? []
            if let condition = ["Succeeded", "Progressing", "Initialized"].lazy.compactMap({ conditions[type: $0] }).first {
                let labels = identity + [
                    ("state", run.desiredState.rawValue), ("condition", condition.type),
                    ("status", condition.status.rawValue), ("reason", condition.reason),
                    ("failureType", failureType(condition)),
                ]
                registry.makeGauge(descriptor: statusTimestamp, labels: labels)
                    .set(to: condition.lastTransitionTime.timeIntervalSince1970)
            }
            for stage in run.status.stagesStatus ?? [] {
                for (phase, tasks) in [("beforeStage", stage.beforeStageTaskStatus), ("afterStage", stage.afterStageTaskStatus)] {
                    for task in tasks ?? [] {
                        let taskConditions = task.conditions ?? []
                        guard let created = taskConditions[type: "ApprovalRequestCreated"],
                            let approved = taskConditions[type: "ApprovalRequestApproved"]
                        else { continue }
                        registry.makeValueHistogram(descriptor: approvalLatency, labels: identity + [("taskType", phase)], buckets: approvalBuckets)
                            .record(approved.lastTransitionTime.timeIntervalSince(created.lastTransitionTime))
                    }
                }
                let finished = stage.clusters.compactMap { ($0.conditions ?? [])[type: "Succeeded"] }
                guard let start = stage.startTime, !stage.clusters.isEmpty, finished.count == stage.clusters.count,
                    finished.allSatisfy({ $0.status == .true }), let end = finished.map(\.lastTransitionTime).max()
                else { continue }
                registry.makeValueHistogram(descriptor: stageDuration, labels: identity, buckets: stageBuckets)
                    .record(end.timeIntervalSince(start))
            }
        }
    }

    /// KubeFleet's classification: a user error when the failure text says so, an internal one for other
    /// failures and for stuck runs, none otherwise.
    static func failureType(_ condition: Condition) -> String {
        let failed = condition.status == .false && ["UpdateRunFailed", "UpdateRunInitializedFailed"].contains(condition.reason)
        if failed {
            return condition.message.contains("failed to process the request due to a client error") ? "user_error" : "internal_error"
        }
        return condition.reason == "UpdateRunStuck" ? "internal_error" : "none"
    }
}
