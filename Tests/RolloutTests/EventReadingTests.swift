import FleetAPI
import Foundation
import Testing

@testable import Rollout

/// The direct payload readers replay uses: the same events as the tree and `Codable`, for every event type.
struct EventReadingTests {
    static let run = ObjectKey(.clusterStagedUpdateRun, name: "run-1")
    static let placement = ObjectKey(.resourcePlacement, namespace: "app", name: "web")
    static let configMap: JSON = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c", "namespace": "app"], "data": ["k": "v \"quoted\" ü"]]

    /// One event of every case.
    static let events: [FleetEvent] = [
        .objectCreated(.init(key: placement, uid: "u-1", object: configMap)),
        .objectUpdated(.init(key: placement, object: configMap)),
        .objectStatusUpdated(.init(key: run, status: ["conditions": [["type": "Initialized", "status": "True"]]])),
        .objectDeleted(.init(key: placement)),
        .policySnapshotCreated(.init(placement: placement, index: 2, uid: "u-2", clusters: ["m1", "m2"])),
        .resourceSnapshotCreated(.init(placement: placement, index: 3, uid: "u-3", hash: "abc", resources: [configMap, [:]])),
        .placementScheduled(.init(placement: placement, clusters: [])),
        .updateRunInitialized(.init(
            run: run, generation: 1, policySnapshotIndex: "0", observedClusterCount: 2, resourceSnapshotIndex: 0,
            strategy: StagedUpdateStrategySpec(stages: [StageConfig(name: "s", labelSelector: nil, afterStageTasks: [StageTask(type: .approval)])]),
            stages: [.init(name: "s", clusters: ["m1"])], deletionClusters: ["m9"], applyStrategy: ["type": "ReportDiff"],
            overrides: ["m1": [placement]])),
        .updateRunInitializationFailed(.init(run: run, message: "no strategy")),
        .stageSkipped(.init(run: run, stage: 0)),
        .clusterUpdateStarted(.init(run: run, stage: 0, cluster: "m1")),
        .clusterUpdateSucceeded(.init(run: run, stage: 1, cluster: "m2")),
        .clusterUpdateFailed(.init(run: run, stage: 0, cluster: "m1", message: "boom")),
        .clusterUpdateSkipped(.init(run: run, stage: 0, cluster: "m3")),
        .clusterUpdateAvailable(.init(run: run, stage: 0, cluster: "m2")),
        .updateRunStuck(.init(run: run, stage: 0, clusters: ["m1"])),
        .stageWaiting(.init(run: run, stage: 2)),
        .timedWaitElapsed(.init(run: run, stage: 0, phase: .after, task: 0)),
        .approvalRequested(.init(run: run, stage: 0, phase: .before, task: 1)),
        .approvalTaskApproved(.init(run: run, stage: 1, phase: .after, task: 0)),
        .approvalAccepted(.init(request: ObjectKey(.clusterApprovalRequest, name: "run-1-s"), generation: 4)),
        .approvalDecided(.init(
            request: ObjectKey(.clusterApprovalRequest, name: "run-1-s"), run: run, approved: false, approver: "alice (as bob)",
            planHash: "sha256:00", message: "not \"now\"")),
        .scheduleWindowOpened(.init(run: run, stage: 0, task: 0, until: "2025-07-22T23:00:00Z")),
        .scheduleWindowClosed(.init(run: run, stage: 1, task: 1)),
        .metricMeasured(.init(run: run, stage: 0, phase: .after, task: 2, value: "0.97", passed: false, message: "result 0.97 does not meet result >= 0.99")),
        .metricMeasured(.init(run: run, stage: 1, phase: .before, task: 0, value: nil, passed: false, message: "the query answered HTTP 400")),
        .stageSucceeded(.init(run: run, stage: 0)),
        .updateRunSucceeded(.init(run: run)),
        .updateRunFailed(.init(run: run, message: "failed")),
        .updateRunStopping(.init(run: run, stage: 1)),
        .updateRunStopped(.init(run: run, stage: 1)),
        .updateRunResumed(.init(run: run, stage: 1)),
        .memberApplied(.init(cluster: "m1", placement: placement, resourceIndex: 3, objects: [configMap])),
        .memberApplied(.init(cluster: "m1", placement: placement, resourceIndex: 3, objects: [configMap], untrackable: true)),
        .memberApplyFailed(.init(cluster: "m1", placement: placement, resourceIndex: 3, message: "denied")),
        .memberApplyFailed(
            .init(
                cluster: "m1", placement: placement, resourceIndex: 3, message: "denied",
                resource: ["group": "", "version": "v1", "kind": "ConfigMap", "namespace": "app", "name": "c"])),
        .memberRemoved(.init(cluster: "m1", placement: placement)),
        .memberDiffReported(.init(cluster: "m1", placement: placement, resourceIndex: 3, differences: ["data.k"])),
        .controllerHalted(.init(key: run, message: "did not settle")),
    ]

    static func read(_ type: String, _ text: String) throws -> FleetEvent {
        try Array(text.utf8).withUnsafeBufferPointer { try FleetEvent(type: type, payloadBytes: $0) }
    }

    static func tree(_ type: String, _ text: String) throws -> FleetEvent {
        try FleetEvent(type: type, payload: JSON.parse(text))
    }

    @Test func everyEventReadsBackAsTheTreeDecodesIt() throws {
        #expect(Self.events.count == 39)
        for event in Self.events {
            let bytes = try event.payload().serialized()
            let read = try bytes.withUnsafeBufferPointer { try FleetEvent(type: event.typeName, payloadBytes: $0) }
            #expect(read == event)
            #expect(read == (try FleetEvent(type: event.typeName, payload: JSON.parse(bytes))))
        }
    }

    /// An UpdateRunInitialized payload without its closing brace, for members to be added.
    static func initialized(_ run: String) -> String {
        #"{"run":\#(run),"generation":1,"policySnapshotIndex":"0","observedClusterCount":1,"resourceSnapshotIndex":0,"strategy":{"stages":[{"name":"s"}]},"stages":[{"name":"s","clusters":["m1"]}],"deletionClusters":[]"#
    }

    @Test func eventsReadWithASharedCacheReadAsTheTreeDecodesThem() throws {
        let cache = JSONTreeCache()
        for _ in 0..<2 {
            for event in Self.events {
                let bytes = try event.payload().serialized()
                let read = try bytes.withUnsafeBufferPointer { try FleetEvent(type: event.typeName, payloadBytes: $0, sharing: cache) }
                #expect(read == event)
            }
        }
    }

    @Test func otherSpellingsReadAsTheTreeReadsThem() throws {
        let run = #"{"kind":"ClusterStagedUpdateRun","namespace":"","name":"run-1"}"#
        let canonicalRun = #"{"kind":"ClusterStagedUpdateRun","name":"run-1","namespace":""}"#
        let spellings: [(String, String)] = [
            ("StageSucceeded.v1", #" { "stage" : 1 , "run" : \#(run) , "extra" : [null, {"a": 1}] } "#),
            ("StageSucceeded.v1", #"{"run":\#(run),"stage":1.0}"#),
            ("StageSucceeded.v1", #"{"run":\#(run),"stage":0,"stage":2}"#),
            ("ClusterUpdateStarted.v1", #"{"run":\#(run),"stage":0,"cluster":"m\u0031"}"#),
            ("ClusterUpdateStarted.v1", #"{"run":\#(run),"st\u0061ge":0,"cluster":"m1"}"#),
            ("ObjectStatusUpdated.v1", #"{"key":\#(run),"status":null}"#),
            // The journal's own layout up to a point, then something else.
            ("ClusterUpdateStarted.v1", #"{"cluster":"m1","run":{"kind":"ClusterStagedUpdateRun","name":"run-1","namespace":""},"stage":0,"x":1}"#),
            ("ClusterUpdateStarted.v1", #"{"cluster":"m1","run":{"kind":"ClusterStagedUpdateRun","name":"run-1","namespace":"","x":1},"stage":0}"#),
            ("ClusterUpdateStarted.v1", #"{"cluster":"m1","run":{"kind":"ClusterStagedUpdateRun","name":"run-1","namespace":""},"cluster":"m2","stage":0}"#),
            ("MemberApplied.v1", #"{"cluster":"m1","objects":[{"a":1}],"placement":\#(canonicalRun),"resourceIndex":2,"untrackable":null}"#),
            ("MemberApplied.v1", #"{"cluster":"m1","objects":[{"a":1}],"placement":\#(canonicalRun),"resourceIndex":2,"untrackable":true}"#),
            ("MemberApplied.v1", #"{"cluster":"m1","objects":[{"a":1}],"placement":\#(canonicalRun),"resourceIndex":2,"objects":[]}"#),
            ("MemberApplied.v1", #"{"cluster":"m1","objects":[{"a":1}],"placement":\#(run),"resourceIndex":2}"#),
            ("UpdateRunInitialized.v1", #"\#(Self.initialized(run)),"overrides":null,"applyStrategy":null}"#),
            ("UpdateRunInitialized.v1", #"\#(Self.initialized(run)),"restores":{"m1":2,"m1":3},"overrides":{"m1":[\#(run)],"m2":[]}}"#),
            ("ApprovalDecided.v1", #"{"message":"m","approved":true,"run":\#(run),"request":\#(run),"planHash":"h","approver":"a","x":[1]}"#),
            ("ApprovalDecided.v1", #"{"approved":false,"approved":true,"approver":"a","message":"","planHash":"","request":\#(canonicalRun),"run":\#(canonicalRun)}"#),
        ]
        for (type, text) in spellings {
            #expect(try Self.read(type, text) == Self.tree(type, text), "\(text)")
        }
    }

    /// A key read in the journal's layout has its hash word mixed from the bytes as they are read: it must equal,
    /// and hash as, the key made from its strings, whatever their lengths, escapes and characters.
    @Test func keysReadInTheJournalsLayoutAreTheKeysMadeFromTheirStrings() throws {
        let keys = [
            ObjectKey(kind: "Namespace", name: "a"),
            ObjectKey(kind: "ConfigMap", namespace: "app", name: "bk000001-m17"),
            ObjectKey(kind: "ClusterStagedUpdateRun", name: "bk000001-run-3-with-a-longer-name"),
            ObjectKey(kind: "ConfigMap", namespace: "bk000001-namespace-17", name: "abcdefgh"),
            ObjectKey(kind: "ConfigMap", namespace: "caf\u{E9}", name: "\u{212A}elvin"),
            ObjectKey(kind: "NoSuchKind.example.com", namespace: "", name: ""),
        ]
        for key in keys {
            let text = String(decoding: try FleetEvent.objectDeleted(ObjectDeleted(key: key)).payload().serialized(), as: UTF8.self)
            #expect(text.hasPrefix(#"{"key":{"kind":"#), "\(text)")
            guard case .objectDeleted(let read) = try Self.read("ObjectDeleted.v1", text) else {
                Issue.record("\(text) reads as another event")
                continue
            }
            #expect(read.key == key, "\(text)")
            #expect(read.key.hashValue == key.hashValue, "\(text)")
        }
        // Escaped, the same strings lend no bytes and the key is made from them.
        let escaped = #"{"key":{"kind":"ConfigMap","name":"bk\u0030","namespace":"\u0061pp"}}"#
        guard case .objectDeleted(let read) = try Self.read("ObjectDeleted.v1", escaped) else {
            Issue.record("\(escaped) reads as another event")
            return
        }
        let made = ObjectKey(kind: "ConfigMap", namespace: "app", name: "bk0")
        #expect(read.key == made && read.key.hashValue == made.hashValue)
    }

    @Test func malformedPayloadsFailAsTheTreeFailsThem() throws {
        let run = #"{"kind":"ClusterStagedUpdateRun","namespace":"","name":"run-1"}"#
        let broken: [(String, String)] = [
            ("StageSucceeded.v1", #"{"run":\#(run)}"#),
            ("StageSucceeded.v1", #"{"run":\#(run),"stage":"1"}"#),
            ("StageSucceeded.v1", #"{"run":\#(run),"stage":1} x"#),
            ("StageSucceeded.v1", #"{"run":\#(run),"stage":1,}"#),
            ("TimedWaitElapsed.v1", #"{"run":\#(run),"stage":0,"phase":"during","task":0}"#),
            ("NoSuchEvent.v1", #"{}"#),
            ("UpdateRunInitialized.v1", #"\#(Self.initialized(run)),"strategy":null}"#),
            ("UpdateRunInitialized.v1", #"\#(Self.initialized(run)),"stages":[{"name":"s"}]}"#),
            ("UpdateRunInitialized.v1", #"\#(Self.initialized(run)),"restores":{"m1":"2"}}"#),
        ]
        for (type, text) in broken {
            #expect(throws: (any Error).self, "\(text)") { try Self.read(type, text) }
            #expect(throws: (any Error).self, "\(text)") { try Self.tree(type, text) }
        }
    }
}
