import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// Audit queries: given events, then exactly these lines.
struct AuditTests {
    static let t0 = KubeTime.parse("2025-07-22T21:28:08Z")!
    static let run = ObjectKey(.clusterStagedUpdateRun, name: "example-run")
    static let other = ObjectKey(.clusterStagedUpdateRun, name: "other-run")
    static let request = ObjectKey(.clusterApprovalRequest, name: "example-run-canary")
    static let placement = Fixtures.placementKey
    static let plan = UpdateRunInitialized(
        run: run, generation: 1, policySnapshotIndex: "0", observedClusterCount: 2, resourceSnapshotIndex: 1,
        strategy: StagedUpdateStrategySpec(stages: []),
        stages: [.init(name: "staging", clusters: ["member2"]), .init(name: "canary", clusters: ["member1"])],
        deletionClusters: [])

    static func runObject(_ name: String, index: String) -> JSON {
        [
            "apiVersion": "placement.kubernetes-fleet.io/v1beta1", "kind": "ClusterStagedUpdateRun", "metadata": ["name": .string(name)],
            "spec": ["placementName": "example-placement", "resourceSnapshotIndex": .string(index), "stagedRolloutStrategyName": "example-strategy"],
        ]
    }

    /// A run that updates member2, waits for bob's approval, then updates member1; another run then takes
    /// member2 to snapshot 2.
    static let events: [Envelope] = {
        let steps: [(String, FleetEvent)] = [
            ("alice", .objectCreated(ObjectCreated(key: run, uid: "u1", object: runObject("example-run", index: "1")))),
            ("controller/updaterun", .updateRunInitialized(plan)),
            ("controller/updaterun", .clusterUpdateStarted(ClusterRef(run: run, stage: 0, cluster: "member2"))),
            ("member/member2", .memberApplied(MemberApplied(cluster: "member2", placement: placement, resourceIndex: 1, objects: []))),
            ("controller/updaterun", .clusterUpdateSucceeded(ClusterRef(run: run, stage: 0, cluster: "member2"))),
            ("controller/updaterun", .objectCreated(ObjectCreated(key: request, uid: "u2", object: [
                "kind": "ClusterApprovalRequest", "metadata": ["name": "example-run-canary"],
                "spec": ["parentStageRollout": "example-run", "targetStage": "canary"],
            ]))),
            ("bob", .objectStatusUpdated(ObjectStatusUpdated(key: request, status: [
                "conditions": [["type": "Approved", "status": "True", "message": "lgtm", "reason": "testPassed"]],
            ]))),
            ("controller/updaterun", .approvalAccepted(ApprovalAccepted(request: request, generation: 1))),
            ("alice", .objectCreated(ObjectCreated(key: other, uid: "u3", object: runObject("other-run", index: "2")))),
            ("controller/updaterun", .clusterUpdateStarted(ClusterRef(run: other, stage: 0, cluster: "member2"))),
            ("member/member2", .memberApplied(MemberApplied(cluster: "member2", placement: placement, resourceIndex: 2, objects: []))),
        ]
        return steps.enumerated().map { offset, step in
            Envelope(seq: Int64(offset + 1), time: t0.addingTimeInterval(Double(offset) * 60), actor: step.0, event: step.1)
        }
    }()

    static func at(_ seq: Int64) -> Date { t0.addingTimeInterval(Double(seq - 1) * 60) }

    @Test func aRunsStepsIncludeWhoApprovedWhatPlanWithWhichMessage() {
        let hash = Audit.planHash(Self.plan)
        let lines = Audit.lines(Self.events, AuditQuery(run: Self.run))
        #expect(
            lines == [
                AuditLine(seq: 1, time: Self.at(1), actor: "alice", object: "ClusterStagedUpdateRun/example-run", action: "ObjectCreated", detail: "placement example-placement, snapshot 1, strategy example-strategy"),
                AuditLine(seq: 2, time: Self.at(2), actor: "controller/updaterun", object: "ClusterStagedUpdateRun/example-run", action: "UpdateRunInitialized", detail: "snapshot 1, stages staging [member2], canary [member1]; plan \(hash)", plan: hash),
                AuditLine(seq: 3, time: Self.at(3), actor: "controller/updaterun", object: "ClusterStagedUpdateRun/example-run", action: "ClusterUpdateStarted", detail: "stage staging: member2"),
                AuditLine(seq: 4, time: Self.at(4), actor: "member/member2", object: "MemberCluster/member2", action: "MemberApplied", detail: "example-placement snapshot 1"),
                AuditLine(seq: 5, time: Self.at(5), actor: "controller/updaterun", object: "ClusterStagedUpdateRun/example-run", action: "ClusterUpdateSucceeded", detail: "stage staging: member2"),
                AuditLine(seq: 6, time: Self.at(6), actor: "controller/updaterun", object: "ClusterApprovalRequest/example-run-canary", action: "ObjectCreated", detail: "for stage canary"),
                AuditLine(seq: 7, time: Self.at(7), actor: "bob", object: "ClusterApprovalRequest/example-run-canary", action: "Approved", detail: "stage canary of example-run: \"lgtm\"; plan \(hash)", message: "lgtm", plan: hash),
                AuditLine(seq: 8, time: Self.at(8), actor: "controller/updaterun", object: "ClusterApprovalRequest/example-run-canary", action: "ApprovalAccepted", detail: "stage canary of example-run"),
            ])
    }

    @Test func theApprovalPlanIsTheHashOfTheStoredPayload() throws {
        #expect(Audit.planHash(Self.plan) == ResourceHash.sha256Hex(try FleetEvent.updateRunInitialized(Self.plan).payload().serialized()))
        #expect(Audit.planHash(Self.plan).count == 64)
    }

    @Test func aClusterHoldsEachSnapshotFromWhenToWhen() {
        let lines = Audit.lines(Self.events, AuditQuery(cluster: "member2"))
        #expect(
            lines == [
                AuditLine(seq: 4, time: Self.at(4), actor: "member/member2", object: "ClusterResourcePlacement/example-placement", action: "Held", detail: "snapshot 1 via ClusterStagedUpdateRun/example-run", until: Self.at(11)),
                AuditLine(seq: 11, time: Self.at(11), actor: "member/member2", object: "ClusterResourcePlacement/example-placement", action: "Held", detail: "snapshot 2 via ClusterStagedUpdateRun/other-run"),
            ])
        #expect(Audit.lines(Self.events, AuditQuery(cluster: "member2", until: Self.at(3))) == [])
        #expect(Audit.lines(Self.events, AuditQuery(cluster: "member2", since: Self.at(12))).map(\.seq) == [11])
        #expect(Audit.lines(Self.events, AuditQuery(cluster: "member1")) == [])
    }

    @Test func anActorsLinesAreEverythingTheyDidInTheWindow() {
        #expect(Audit.lines(Self.events, AuditQuery(actor: "bob")).map(\.seq) == [7])
        #expect(Audit.lines(Self.events, AuditQuery(actor: "alice")).map(\.seq) == [1, 9])
        #expect(Audit.lines(Self.events, AuditQuery(actor: "alice", since: Self.at(2))).map(\.seq) == [9])
        #expect(Audit.lines(Self.events, AuditQuery(since: Self.at(10), until: Self.at(10))).map(\.seq) == [10])
        #expect(Audit.lines(Self.events, AuditQuery(run: Self.other)).map(\.seq) == [9, 10, 11])
    }

    @Test func queryOptionsAreCheckedByName() throws {
        let now = Self.at(100)
        #expect(throws: AuditQueryError(option: "cluster", rule: "cannot be combined with run: ask for one run or one cluster")) {
            try AuditQuery(run: "r", namespace: nil, cluster: "c", actor: nil, since: nil, until: nil, now: now)
        }
        #expect(throws: AuditQueryError(option: "since", rule: "must be an RFC 3339 time such as 2025-07-22T21:29:00Z or a duration such as 2h, 30m or 1h30m")) {
            try AuditQuery(run: nil, namespace: nil, cluster: nil, actor: nil, since: "yesterday", until: nil, now: now)
        }
        #expect(throws: AuditQueryError(option: "namespace", rule: "only applies to run, naming a namespaced StagedUpdateRun")) {
            try AuditQuery(run: nil, namespace: "ns", cluster: nil, actor: nil, since: nil, until: nil, now: now)
        }
        #expect(throws: AuditQueryError(option: "until", rule: "must not be before since")) {
            try AuditQuery(run: nil, namespace: nil, cluster: nil, actor: nil, since: "1h", until: "2h", now: now)
        }
        let query = try AuditQuery(run: "example-run", namespace: "test-namespace", cluster: nil, actor: nil, since: "2h", until: "2025-07-22T21:29:00Z", now: now)
        #expect(query == AuditQuery(run: ObjectKey(.stagedUpdateRun, namespace: "test-namespace", name: "example-run"), since: now.addingTimeInterval(-7200), until: KubeTime.parse("2025-07-22T21:29:00Z")))
        #expect(AuditQueryError(option: "since", rule: "x").description == "--since: x")
    }

    @Test func aLineRoundTripsThroughItsJSON() {
        for line in Audit.lines(Self.events, AuditQuery()) + Audit.lines(Self.events, AuditQuery(cluster: "member2")) {
            #expect(AuditLine(json: line.json) == line)
        }
    }

    @Test func aSnapshotReCreatedForARunIsOneOfItsSteps() {
        let snapshot = PlacementNames.resourceSnapshotKey(Self.placement, index: 0)
        let events = [
            Envelope(seq: 1, time: Self.at(1), actor: "carol", event: .objectCreated(ObjectCreated(key: Self.run, uid: "u1", object: Self.runObject("example-run", index: "0")))),
            Envelope(seq: 2, time: Self.at(2), actor: "controller/placement", event: .objectCreated(ObjectCreated(key: snapshot, uid: "u2", object: [
                "metadata": ["labels": [FleetLabel.resourceIndex: "0"], "annotations": [FleetLabel.resourceHash: "h0"]],
            ]))),
        ]
        #expect(
            Audit.lines(events, AuditQuery(run: Self.run)).dropFirst() == [
                AuditLine(seq: 2, time: Self.at(2), actor: "controller/placement", object: snapshot.description, action: "ResourceSnapshotRecreated", detail: "index 0, hash h0")
            ])
    }
}
