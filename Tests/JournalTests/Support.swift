import Foundation

@testable import Journal

/// Runs `body` with the path of a journal file in a fresh temporary directory, removed afterwards.
func withJournalFile(_ body: (String) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("flotilla-journal-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try await body(directory.appendingPathComponent("test.journal").path)
}

func event(_ type: String = "Tested.v1", time: Int64 = 1_764_168_667_000, payload: String = #"{"ok":true}"#)
    -> NewEvent
{
    NewEvent(type: type, time: time, actor: "tests", payload: Array(payload.utf8))
}

/// Reproducible pseudo-random numbers (SplitMix64), so compression numbers do not drift between runs.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }

    mutating func hex(_ count: Int) -> String {
        String((0..<count).map { _ in Array("0123456789abcdef")[below(16)] })
    }
}

/// A condition change on a Fleet object, shaped like the status events the hub records.
func conditionEvent(_ random: inout SplitMix64, index: Int) -> NewEvent {
    let kinds = [
        ("ClusterStagedUpdateRun", "Progressing", "UpdateRunStarted"),
        ("ClusterStagedUpdateRun", "Succeeded", "UpdateRunSucceeded"),
        ("ClusterResourcePlacement", "ClusterResourcePlacementScheduled", "SchedulingPolicyFulfilled"),
        ("ClusterResourcePlacement", "ClusterResourcePlacementAvailable", "ResourceAvailable"),
        ("ClusterApprovalRequest", "Approved", "ApprovalGranted"),
    ]
    let (kind, type, reason) = kinds[random.below(kinds.count)]
    let name = ["example-run", "canary-rollout", "prod-rollout", "web-app"][random.below(4)] + "-\(random.below(40))"
    let cluster = ["member-1", "member-2", "member-3", "kind-cluster-1", "aks-eastus-2"][random.below(5)]
    let generation = 1 + random.below(9)
    let second = index % 60
    let json = """
        {"apiVersion":"placement.kubernetes-fleet.io/v1beta1","kind":"\(kind)","metadata":{"name":"\(name)",\
        "uid":"\(random.hex(8))-\(random.hex(4))-\(random.hex(4))-\(random.hex(4))-\(random.hex(12))",\
        "generation":\(generation),"resourceVersion":"\(1000 + index)"},"cluster":"\(cluster)",\
        "condition":{"type":"\(type)","status":"\(random.below(4) == 0 ? "False" : "True")",\
        "reason":"\(reason)","message":"cluster \(cluster) of \(kind) \(name) is \(reason) \
        at generation \(generation)",\
        "lastTransitionTime":"2025-11-26T14:\(10 + index % 40):\(second < 10 ? "0" : "")\(second)Z",\
        "observedGeneration":\(generation)}}
        """
    return NewEvent(
        type: "ConditionChanged.v1", time: 1_764_168_667_000 + Int64(index) * 1000, actor: "controller",
        payload: Array(json.utf8))
}

/// Concatenated sample events: a seed dictionary made of the same kind of payloads as the log will hold.
func seedDictionary(count: Int) -> [UInt8] {
    var random = SplitMix64(seed: 7)
    return (0..<count).flatMap { conditionEvent(&random, index: $0).payload }
}

/// Incompressible-ish bytes mixed with structure: exercises raw storage and big blocks.
func noisyPayload(_ random: inout SplitMix64, count: Int) -> [UInt8] {
    (0..<count).map { index in index % 3 == 0 ? UInt8(truncatingIfNeeded: random.next()) : UInt8(index % 251) }
}

/// Runs SQL on a second, plain connection to the journal file, as an outside process would.
func outsideConnection(_ path: String) throws -> Connection {
    let connection = try Connection(path: path, create: false)
    connection.setBusyTimeout(milliseconds: 5000)
    return connection
}
