import FleetAPI
import Foundation

/// MetricGate measurements, the one piece of I/O a gate needs. The run controller says which are due, from the
/// measurements the journal holds (so a restarted hub goes on from them); the hub asks the metric source off the
/// actor and records the answer as the controller judges it.
///
/// A measurement in flight is kept here and never asked for twice, and the run's deadline names only future
/// measurements: one due by now is started when its run settles, so no deadline sits in the past while the
/// answer is on its way (that re-armed timer spun the agenda).
extension Hub {
    /// One measurement of one gate.
    struct MeasurementKey: Hashable {
        var task: TaskRef
        var measurement: Int
    }

    /// Starts the run's measurements due by `now` that are not already in flight.
    func startMeasurements(of key: ObjectKey, now: Date) {
        guard let run = working.runs[key] else { return }
        for query in UpdateRunController.nextMeasurements(run) where query.due <= now {
            let id = MeasurementKey(task: query.task, measurement: query.measurement)
            guard measuring[id] == nil else { continue }
            measuring[id] = Task { [metrics] in
                let sample = await metrics.sample(address: query.gate.address, query: query.gate.query)
                await self.measured(query, sample, id)
            }
        }
    }

    /// Records the answer if the run still waits for that measurement: it may have stopped, failed or gone since.
    private func measured(_ query: MetricQuery, _ sample: MetricSample, _ id: MeasurementKey) async {
        measuring[id] = nil
        guard !closing, refusal == nil, let run = working.runs[query.task.run],
            UpdateRunController.nextMeasurements(run).contains(where: {
                $0.task == query.task && $0.measurement == query.measurement
            })
        else { return }
        do {
            try record([UpdateRunController.measured(query, sample)], actor: Self.metricGateActor)
            try await settle()
        } catch {
            logger.error("could not record a measurement", metadata: ["run": "\(query.task.run)", "cause": "\(error)"])
        }
    }

    /// Drops the measurements in flight: the hub is shutting down, and when it starts again it asks anew.
    func abandonMeasurements() {
        for task in measuring.values { task.cancel() }
        measuring.removeAll()
    }

    static let metricGateActor = "controller/metricgate"

    /// Waits until no measurement is in flight. Virtual time takes measurements as it does other due work, at
    /// the moment they fall due, so a run on a manual clock measures the same way every time.
    public func measurementsTaken() async {
        while let next = measuring.keys.min(by: { ($0.task.run, $0.task.stage, $0.task.task) < ($1.task.run, $1.task.stage, $1.task.task) }),
            let task = measuring[next]
        {
            await task.value
        }
    }
}
