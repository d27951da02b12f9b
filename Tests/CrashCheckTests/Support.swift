import CrashCheck
import FleetAPI
import Foundation
import Journal
import Rollout

/// The run the fixtures play: one stage `staging` (member2) with a 2s TimedWait after it, then `canary`
/// (member3) with a before-stage approval.
let run: JSON = ["kind": "ClusterStagedUpdateRun", "namespace": "", "name": "example-run"]
let placement: JSON = ["kind": "ClusterResourcePlacement", "namespace": "", "name": "example-placement"]
let request: JSON = ["kind": "ClusterApprovalRequest", "namespace": "", "name": "example-run-before-canary"]
let requestKey = ObjectKey(.clusterApprovalRequest, name: "example-run-before-canary")

/// 2025-07-22T21:28:08.000Z, in milliseconds.
let t0: Int64 = 1_753_219_688_000

/// An event as the hub would record it: its type, its payload, when, and by whom.
struct Fixture {
    var type: String
    var payload: JSON
    var time: Int64
    var actor: String

    init(_ type: String, _ payload: JSON, at time: Int64, by actor: String = "controller/updaterun") {
        self.type = type
        self.payload = payload
        self.time = time
        self.actor = actor
    }
}

func initialized(at time: Int64) -> Fixture {
    Fixture(
        "UpdateRunInitialized.v1",
        [
            "run": run, "generation": 1, "policySnapshotIndex": "0", "observedClusterCount": 2,
            "resourceSnapshotIndex": 1, "deletionClusters": [],
            "strategy": [
                "stages": [
                    ["name": "staging", "afterStageTasks": [["type": "TimedWait", "waitTime": "2s"]]],
                    ["name": "canary", "beforeStageTasks": [["type": "Approval"]]],
                ]
            ],
            "stages": [["name": "staging", "clusters": ["member2"]], ["name": "canary", "clusters": ["member3"]]],
        ], at: time)
}

func cluster(_ type: String, stage: Int, _ name: String, at time: Int64) -> Fixture {
    Fixture(type, ["run": run, "stage": .int(Int64(stage)), "cluster": .string(name)], at: time)
}

func stage(_ type: String, _ index: Int, at time: Int64) -> Fixture {
    Fixture(type, ["run": run, "stage": .int(Int64(index))], at: time)
}

func task(_ type: String, stage: Int, phase: String, at time: Int64) -> Fixture {
    Fixture(type, ["run": run, "stage": .int(Int64(stage)), "phase": .string(phase), "task": 0], at: time)
}

func applied(_ member: String, index: Int, at time: Int64) -> Fixture {
    Fixture(
        "MemberApplied.v1",
        ["cluster": .string(member), "placement": placement, "resourceIndex": .int(Int64(index)), "objects": []],
        at: time, by: "member/\(member)")
}

func approval(by actor: String, at time: Int64) -> Fixture {
    Fixture(
        "ObjectStatusUpdated.v1",
        [
            "key": request,
            "status": [
                "conditions": [
                    [
                        "type": "Approved", "status": "True", "reason": "testPassed", "message": "lgtm",
                        "observedGeneration": 1, "lastTransitionTime": "2025-07-22T21:28:20Z",
                    ]
                ]
            ],
        ], at: time, by: actor)
}

func accepted(at time: Int64) -> Fixture {
    Fixture("ApprovalAccepted.v1", ["request": request, "generation": 1], at: time)
}

/// A whole uninterrupted play of the fixture run: staging waits 2s from 21:28:08, canary waits for the
/// approval, then the run succeeds.
func uninterrupted() -> [Fixture] {
    [
        initialized(at: t0),
        cluster("ClusterUpdateStarted.v1", stage: 0, "member2", at: t0 + 10),
        applied("member2", index: 1, at: t0 + 110),
        cluster("ClusterUpdateSucceeded.v1", stage: 0, "member2", at: t0 + 120),
        stage("StageWaiting.v1", 0, at: t0 + 130),
        task("TimedWaitElapsed.v1", stage: 0, phase: "after", at: t0 + 2_010),
        stage("StageSucceeded.v1", 0, at: t0 + 2_020),
        stage("StageWaiting.v1", 1, at: t0 + 2_030),
        task("ApprovalRequested.v1", stage: 1, phase: "before", at: t0 + 2_030),
        approval(by: "crash-test", at: t0 + 2_300),
        accepted(at: t0 + 2_310),
        task("ApprovalTaskApproved.v1", stage: 1, phase: "before", at: t0 + 2_310),
        cluster("ClusterUpdateStarted.v1", stage: 1, "member3", at: t0 + 2_320),
        applied("member3", index: 1, at: t0 + 2_420),
        cluster("ClusterUpdateSucceeded.v1", stage: 1, "member3", at: t0 + 2_430),
        stage("StageSucceeded.v1", 1, at: t0 + 2_440),
        Fixture("UpdateRunSucceeded.v1", ["run": run], at: t0 + 2_450),
    ]
}

/// Writes the fixtures to a fresh journal file with the `Journal` API and reads them back as a round does.
func roundJournal(_ fixtures: [Fixture]) async throws -> RoundJournal {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crash-check-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("round.journal").path
    let journal = try Journal(path: path)
    for fixture in fixtures {
        let event = try FleetEvent(type: fixture.type, payload: fixture.payload)
        _ = try await journal.append(
            stream: event.stream, expected: .any,
            events: [NewEvent(type: fixture.type, time: fixture.time, actor: fixture.actor, payload: fixture.payload.serialized())])
    }
    journal.close()
    return try RoundJournal.load(path: path)
}
