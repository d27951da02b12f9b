import FleetAPI
import Foundation

/// One measurement a MetricGate task needs: which, of what, and from when it is due.
public struct MetricQuery: Sendable, Hashable {
    public var task: TaskRef
    public var gate: MetricGate
    /// How many measurements the task has already: this one is the next.
    public var measurement: Int
    public var due: Date
}

/// Flotilla's `MetricGate` task. The controller says which measurements are due (from the times recorded in the
/// journal, so a restarted hub measures on the same schedule) and judges each answer; the hub only asks the
/// metric source. More than `failureLimit` failed measurements fail the stage and the run.
extension UpdateRunController {
    /// The next measurement of each of the current stage's gates and when it falls due: before-stage gates while
    /// the stage waits to start, after-stage gates once its clusters are done; the first at once, each next one
    /// `interval` after the last.
    public static func nextMeasurements(_ run: UpdateRunState) -> [MetricQuery] {
        guard run.isInitialized, !run.isFinished, run.desiredState == .run, let index = run.currentStageIndex else {
            return []
        }
        let stage = run.stages[index]
        guard isWaiting(stage), let since = waitingSince(stage) else { return [] }
        let phase: TaskRef.Phase = run.stageIsStarted(index) ? .after : .before
        let config = run.strategyStages[index]
        let tasks = (phase == .after ? config.afterStageTasks : config.beforeStageTasks) ?? []
        let statuses = (phase == .after ? stage.afterStageTaskStatus : stage.beforeStageTaskStatus) ?? []
        var queries: [MetricQuery] = []
        for (taskIndex, task) in tasks.enumerated() {
            guard let gate = task.metricGate else { continue }
            let status = taskIndex < statuses.count ? statuses[taskIndex] : nil
            if let verdict = (status?.conditions ?? [])[type: "MetricGatePassed"], verdict.status != .unknown { continue }
            let taken = status?.measurements ?? []
            guard taken.count < gate.measurements else { continue }
            let due = taken.last.map { $0.time.addingTimeInterval(gate.spacing) } ?? since
            queries.append(MetricQuery(
                task: TaskRef(run: run.key, stage: index, phase: phase, task: taskIndex), gate: gate,
                measurement: taken.count, due: due))
        }
        return queries
    }

    /// The event recording `sample` as the answer to `query`: passed when its value meets the gate's condition.
    public static func measured(_ query: MetricQuery, _ sample: MetricSample) -> FleetEvent {
        let (value, passed, message): (String?, Bool, String)
        switch sample {
        case .value(let text):
            let condition = try? MetricCondition(parsing: query.gate.successCondition)
            let met = Double(text).map { number in condition?.holds(for: number) ?? false } ?? false
            (value, passed, message) = (
                text, met, "result \(text) \(met ? "meets" : "does not meet") \(query.gate.successCondition)"
            )
        case .failed(let reason):
            (value, passed, message) = (nil, false, reason)
        }
        let ref = query.task
        return .metricMeasured(MetricMeasured(
            run: ref.run, stage: ref.stage, phase: ref.phase, task: ref.task, value: value, passed: passed, message: message))
    }

    /// A gate's part in its stage's tasks: passed, failing the run, or still measuring.
    static func metricGate(_ conditions: [Condition], _ ref: TaskRef, of run: UpdateRunState) -> (events: [FleetEvent], passed: Bool) {
        guard let verdict = conditions[type: "MetricGatePassed"], verdict.status != .unknown else { return ([], false) }
        if verdict.status == .true { return ([], true) }
        let message = "cannot continue the updateRun: the \(ref.phase)-stage metric gate of stage \(run.stageName(ref.stage)) "
            + "failed: \(verdict.message)"
        return ([.updateRunFailed(RunMessage(run: run.key, message: message))], false)
    }
}

extension UpdateRunState {
    /// Adds the measurement to the task's status and sets `MetricGatePassed`: False past the failure limit, True
    /// once every measurement is in, Unknown until then.
    mutating func measured(_ e: MetricMeasured, at time: Date) {
        let generation = self.generation
        guard e.stage < strategyStages.count else { return }
        let config = strategyStages[e.stage]
        let tasks = (e.phase == .after ? config.afterStageTasks : config.beforeStageTasks) ?? []
        guard e.task < tasks.count, let gate = tasks[e.task].metricGate else { return }
        mutateTask(e.taskRef) { status in
            status.measurements = (status.measurements ?? []) + [
                MetricMeasurement(time: time, value: e.value, passed: e.passed, message: e.message)
            ]
            let taken = status.measurements?.count ?? 0
            let failures = status.measurements?.filter { !$0.passed }.count ?? 0
            let limit = gate.allowedFailures
            if failures > limit {
                status.set(
                    "MetricGatePassed", .false, "MetricGateFailed",
                    "\(failures) of \(taken) measurements failed, more than the failure limit \(limit); last: \(e.message)",
                    time, generation)
            } else if taken >= gate.measurements {
                status.set(
                    "MetricGatePassed", .true, "MetricGatePassed",
                    "\(taken) measurement\(taken == 1 ? "" : "s"), \(failures) failed, within the failure limit \(limit)", time, generation)
            } else {
                status.set(
                    "MetricGatePassed", .unknown, "MetricGateMeasuring",
                    "Measurement \(taken) of \(gate.measurements): \(e.message)", time, generation)
            }
        }
    }
}
