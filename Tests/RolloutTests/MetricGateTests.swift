import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// Flotilla's `MetricGate` task: given a run whose staging stage (member2) has an after-stage gate of three
/// measurements 30 s apart tolerating one failure, when measurements come in, then exactly these events.
struct MetricGateTests {
    let run = Fixtures.runKey
    let gate = MetricGate(
        address: "http://prometheus:9090", query: "up", successCondition: "result >= 0.99",
        interval: GoDuration(milliseconds: 30_000), count: 3, failureLimit: 1)

    static let strategy = """
        apiVersion: placement.kubernetes-fleet.io/v1beta1
        kind: ClusterStagedUpdateStrategy
        metadata:
          name: example-strategy
        spec:
          stages:
            - name: staging
              labelSelector:
                matchLabels:
                  environment: staging
              afterStageTasks:
                - type: MetricGate
                  metricGate: {address: "http://prometheus:9090", query: up, successCondition: result >= 0.99, interval: 30s, count: 3, failureLimit: 1}
            - name: canary
              labelSelector:
                matchLabels:
                  environment: canary
        """

    /// The run with member2 updated: the gate is due at once.
    func gated() throws -> Scenario {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(Self.strategy)
        try scenario.apply(Fixtures.runManifest(index: "0"))
        scenario.settle()
        scenario.pass(15)
        scenario.memberApplied("member2", index: 0)
        #expect(scenario.settle() == [
            .clusterUpdateSucceeded(ClusterRef(run: run, stage: 0, cluster: "member2")), .stageWaiting(StageRef(run: run, stage: 0)),
        ])
        return scenario
    }

    func query(_ measurement: Int, due: Date) -> MetricQuery {
        MetricQuery(task: TaskRef(run: run, stage: 0, phase: .after, task: 0), gate: gate, measurement: measurement, due: due)
    }

    /// The hub's part: the due measurement, answered with `sample`.
    mutating func measure(_ scenario: inout Scenario, _ measurement: Int, _ sample: MetricSample) {
        #expect(UpdateRunController.nextMeasurements(scenario.run()!) == [query(measurement, due: scenario.now)])
        scenario.fold(UpdateRunController.measured(query(measurement, due: scenario.now), sample))
    }

    func verdict(_ scenario: Scenario, stage: Int = 0, phase: TaskRef.Phase = .after) -> String? {
        let stage = scenario.run()?.status.stagesStatus?[stage]
        let task = (phase == .after ? stage?.afterStageTaskStatus : stage?.beforeStageTaskStatus)?[0]
        return task?.conditions?[type: "MetricGatePassed"].map {
            "\($0.status.rawValue)/\($0.reason): \($0.message)"
        }
    }

    @Test mutating func threeMeasurementsWithinTheFailureLimitPassTheGate() throws {
        var scenario = try gated()
        // Due now: the hub takes it as the run settles, so no deadline names a moment already past.
        #expect(UpdateRunController.nextDeadline(scenario.run()!, now: scenario.now) == nil)
        measure(&scenario, 0, .value("0.995"))
        #expect(scenario.settle() == [])
        #expect(verdict(scenario) == "Unknown/MetricGateMeasuring: Measurement 1 of 3: result 0.995 meets result >= 0.99")
        #expect(UpdateRunController.nextDeadline(scenario.run()!, now: scenario.now) == scenario.now.addingTimeInterval(30))
        scenario.pass(30)
        measure(&scenario, 1, .value("0.5"))
        #expect(scenario.settle() == [])
        scenario.pass(30)
        measure(&scenario, 2, .value("1"))
        #expect(scenario.settle() == [
            .stageSucceeded(StageRef(run: run, stage: 0)), .clusterUpdateStarted(ClusterRef(run: run, stage: 1, cluster: "member1")),
        ])
        #expect(verdict(scenario) == "True/MetricGatePassed: 3 measurements, 1 failed, within the failure limit 1")
        let measurements = scenario.run()?.status.stagesStatus?[0].afterStageTaskStatus?[0].measurements
        #expect(measurements?.map { "\($0.value ?? "-") \($0.passed)" } == ["0.995 true", "0.5 false", "1 true"])
        #expect(UpdateRunController.nextMeasurements(scenario.run()!) == [])
    }

    @Test mutating func oneFailureMoreThanTheLimitFailsTheStageAndTheRun() throws {
        var scenario = try gated()
        measure(&scenario, 0, .failed("the query failed: connection refused"))
        #expect(scenario.settle() == [])
        scenario.pass(30)
        measure(&scenario, 1, .value("0.2"))
        #expect(scenario.settle() == [
            .updateRunFailed(RunMessage(
                run: run,
                message: "cannot continue the updateRun: the after-stage metric gate of stage staging failed: 2 of 2 "
                    + "measurements failed, more than the failure limit 1; last: result 0.2 does not meet result >= 0.99")),
        ])
        #expect(scenario.run()?.status.stagesStatus?[0].conditions?[type: "Succeeded"]?.reason == "StageUpdatingFailed")
        #expect(UpdateRunController.nextMeasurements(scenario.run()!) == [])
    }

    @Test func nothingIsMeasuredWhileTheStagesClustersUpdate() throws {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(Self.strategy)
        try scenario.apply(Fixtures.runManifest(index: "0"))
        scenario.settle()
        #expect(UpdateRunController.nextMeasurements(scenario.run()!) == [])
    }

    @Test func aBeforeStageGateHoldsItsStageUntilItPasses() throws {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply("""
            apiVersion: placement.kubernetes-fleet.io/v1beta1
            kind: ClusterStagedUpdateStrategy
            metadata:
              name: example-strategy
            spec:
              stages:
                - name: staging
                  labelSelector: {matchLabels: {environment: staging}}
                - name: canary
                  labelSelector: {matchLabels: {environment: canary}}
                  beforeStageTasks:
                    - type: MetricGate
                      metricGate: {address: "http://prometheus:9090", query: up, successCondition: result > 0}
            """)
        try scenario.apply(Fixtures.runManifest(index: "0"))
        scenario.settle()
        scenario.pass(15)
        scenario.memberApplied("member2", index: 0)
        #expect(scenario.settle() == [
            .clusterUpdateSucceeded(ClusterRef(run: run, stage: 0, cluster: "member2")), .stageWaiting(StageRef(run: run, stage: 0)),
            .stageSucceeded(StageRef(run: run, stage: 0)), .stageWaiting(StageRef(run: run, stage: 1)),
        ])
        let gate = MetricGate(address: "http://prometheus:9090", query: "up", successCondition: "result > 0")
        let query = MetricQuery(task: TaskRef(run: run, stage: 1, phase: .before, task: 0), gate: gate, measurement: 0, due: scenario.now)
        #expect(UpdateRunController.nextMeasurements(scenario.run()!) == [query])
        scenario.pass(5)
        #expect(scenario.settle() == [])
        scenario.fold(UpdateRunController.measured(query, .value("1")))
        #expect(scenario.settle() == [.clusterUpdateStarted(ClusterRef(run: run, stage: 1, cluster: "member1"))])
        #expect(verdict(scenario, stage: 1, phase: .before) == "True/MetricGatePassed: 1 measurement, 0 failed, within the failure limit 0")
    }

    @Test func aPrometheusAnswerGivesItsFirstSample() throws {
        let vector = try JSON.parse(#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"a"},"value":[1700000000.5,"0.97"]},{"metric":{},"value":[1,"5"]}]}}"#)
        #expect(PrometheusMetrics.firstSample(vector) == .value("0.97"))
        let scalar = try JSON.parse(#"{"status":"success","data":{"resultType":"scalar","result":[1700000000,"2"]}}"#)
        #expect(PrometheusMetrics.firstSample(scalar) == .value("2"))
        let empty = try JSON.parse(#"{"status":"success","data":{"resultType":"vector","result":[]}}"#)
        #expect(PrometheusMetrics.firstSample(empty) == .failed("the query answered no sample"))
        let error = try JSON.parse(#"{"status":"error","errorType":"bad_data","error":"parse error"}"#)
        #expect(PrometheusMetrics.firstSample(error) == .failed("the query failed: parse error"))
    }
}

/// The hub measuring a gate for real, over HTTP against the Prometheus-API stand-in in tools/lib, on a virtual clock.
struct MetricGateHubTests {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path

    /// A hub whose run's staging stage ends in the gate, measuring `prometheus`.
    func gatedHub(
        _ prometheus: PrometheusStandIn, clock: ManualClock = ManualClock(SeedWalkthrough.virtualStart), onFailure: String? = nil
    ) async throws -> Hub {
        let hub = try Hub(path: path, clock: clock, members: SimulatedMembers(latency: 15))
        for member in SeedManifests.members {
            try await hub.send(.apply(YAML.parse(SeedManifests.memberCluster(member.name, labels: member.labels))), actor: "test")
        }
        let strategy = MetricGateTests.strategy.replacingOccurrences(of: "http://prometheus:9090", with: prometheus.address)
        for manifest in [SeedManifests.namespace, SeedManifests.configMap(value: "value1"), SeedManifests.placement, strategy] {
            try await hub.send(.apply(YAML.parse(manifest)), actor: "test")
        }
        var run = try YAML.parse(Fixtures.runManifest(index: "0"))
        if let onFailure { run[path: ["metadata", "annotations"]] = [FleetLabel.onFailure: .string(onFailure)] }
        try await hub.send(.apply(run), actor: "test")
        return hub
    }

    func finished(_ hub: Hub) async throws -> UpdateRunState {
        #expect(try await hub.advance(until: { $0.runs[Fixtures.runKey]?.isFinished == true }))
        #expect(await hub.missedByDirtySet == 0)
        return try #require(await hub.state.runs[Fixtures.runKey])
    }

    static func measurements(_ run: UpdateRunState?) -> [String] {
        (run?.status.stagesStatus?[0].afterStageTaskStatus?[0].measurements ?? []).map {
            "+\(Int($0.time.timeIntervalSince(SeedWalkthrough.virtualStart))) \($0.value ?? "-") \($0.passed)"
        }
    }

    @Test(.timeLimit(.minutes(1))) func aHealthyMetricPassesTheGateAndTheRunSucceeds() async throws {
        let prometheus = try PrometheusStandIn(value: "0.995")
        let hub = try await gatedHub(prometheus)
        defer { hub.journal.close() }
        let run = try await finished(hub)
        #expect(run.status.conditions?[type: "Succeeded"]?.status == .true)
        // Taken when the stage's cluster was done (+15 s), then 30 s apart; each once.
        #expect(Self.measurements(run) == ["+15 0.995 true", "+45 0.995 true", "+75 0.995 true"])
        #expect(prometheus.stop() == ["up", "up", "up"])
    }

    @Test(.timeLimit(.minutes(1))) func aBadMetricFailsTheRunPastTheFailureLimit() async throws {
        let prometheus = try PrometheusStandIn(value: "0.5")
        let hub = try await gatedHub(prometheus)
        defer { hub.journal.close() }
        let run = try await finished(hub)
        #expect(Self.measurements(run) == ["+15 0.5 false", "+45 0.5 false"])
        #expect(run.status.conditions?[type: "Succeeded"]?.message == "cannot continue the updateRun: the after-stage metric "
            + "gate of stage staging failed: 2 of 2 measurements failed, more than the failure limit 1; last: result 0.5 "
            + "does not meet result >= 0.99")
    }

    /// Given a run that rolls back on failure, when its gate fails, then its rollback run takes the placement off
    /// member2, which held nothing before.
    @Test(.timeLimit(.minutes(1))) func aRunThatFailsItsGateRollsBack() async throws {
        let prometheus = try PrometheusStandIn(value: "0.5")
        let hub = try await gatedHub(prometheus, onFailure: "Rollback")
        defer { hub.journal.close() }
        let rollback = ObjectKey(.clusterStagedUpdateRun, name: "example-run-rollback")
        #expect(try await hub.advance(until: { $0.runs[rollback]?.isFinished == true }))
        let state = await hub.state
        #expect(state.runs[Fixtures.runKey]?.status.conditions?[type: "Succeeded"]?.status == .false)
        #expect(state.runs[rollback]?.status.conditions?[type: "Succeeded"]?.status == .true)
        #expect(state.runs[rollback]?.status.deletionStageStatus?.clusters.map(\.clusterName) == ["member2"])
        #expect(state.members["member2"]?.applied[Fixtures.placementKey] == nil)
        #expect(state.members["member1"]?.applied[Fixtures.placementKey] == nil)
        #expect(prometheus.stop() == ["up", "up"])
    }

    @Test(.timeLimit(.minutes(1))) func aQueryThatFailsCountsAsAFailedMeasurement() async throws {
        let prometheus = try PrometheusStandIn(value: "error")
        let hub = try await gatedHub(prometheus)
        defer { hub.journal.close() }
        let run = try await finished(hub)
        let taken = run.status.stagesStatus?[0].afterStageTaskStatus?[0].measurements ?? []
        #expect(taken.map(\.message) == Array(repeating: "the query answered HTTP 400", count: 2))
        #expect(run.status.conditions?[type: "Succeeded"]?.status == .false)
    }

    /// Given a hub stopped after the gate's first measurement, when it restarts, then the gate goes on from the
    /// journal: two more measurements on the same schedule, not three from the start.
    @Test(.timeLimit(.minutes(1))) func aRestartedHubContinuesTheGateFromItsRecordedMeasurements() async throws {
        let prometheus = try PrometheusStandIn(value: "0.995")
        let clock = ManualClock(SeedWalkthrough.virtualStart)
        let first = try await gatedHub(prometheus, clock: clock)
        #expect(try await first.advance(until: { Self.measurements($0.runs[Fixtures.runKey]).count == 1 }))
        first.journal.close()
        let restarted = try Hub(path: path, clock: clock, members: SimulatedMembers(latency: 15))
        defer { restarted.journal.close() }
        try await restarted.resume()
        let run = try await finished(restarted)
        #expect(Self.measurements(run) == ["+15 0.995 true", "+45 0.995 true", "+75 0.995 true"])
        #expect(prometheus.stop() == ["up", "up", "up"])
    }
}

/// tools/lib/prometheus-standin.py, started for one test: it answers every query with `value` until told
/// otherwise, and ends when its stdin closes, so a test that dies leaves nothing running.
final class PrometheusStandIn {
    let process = Process()
    let stdin = Pipe()
    let output = Pipe()
    let address: String

    init(value: String) throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../tools/lib/prometheus-standin.py").standardized.path
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, value]
        process.standardInput = stdin
        process.standardOutput = output
        // Not the runner's stderr: a child holding it open would keep `swift test` waiting for its end.
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The port line, read a byte at a time so the queries printed after it stay in the pipe for `stop`.
        var port = ""
        while let byte = try output.fileHandleForReading.read(upToCount: 1)?.first, byte != UInt8(ascii: "\n") {
            port.append(Character(UnicodeScalar(byte)))
        }
        address = "http://127.0.0.1:\(port)"
    }

    /// Stops it; returns the queries it answered, in order.
    func stop() -> [String] {
        try? stdin.fileHandleForWriting.close()
        let rest = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: rest, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    deinit { try? stdin.fileHandleForWriting.close() }
}
