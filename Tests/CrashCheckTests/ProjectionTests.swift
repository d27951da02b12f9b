import CrashCheck
import FleetAPI
import Journal
import Rollout
import Testing

struct ProjectionTests {
    static let snapshot: JSON = [
        "apiVersion": "placement.kubernetes-fleet.io/v1beta1", "kind": "ClusterResourceSnapshot",
        "metadata": [
            "name": "example-placement-0-snapshot", "uid": "uid-2", "resourceVersion": "12",
            "creationTimestamp": "2025-07-22T21:25:17Z", "generation": 1,
            "ownerReferences": [["kind": "ClusterResourcePlacement", "name": "example-placement", "uid": "uid-1"]],
        ],
        "spec": ["selectedResources": [["kind": "Namespace", "metadata": ["name": "test-namespace"]]]],
    ]

    static let runObject: JSON = [
        "kind": "ClusterStagedUpdateRun",
        "metadata": ["name": "example-run", "uid": "uid-3", "resourceVersion": "40", "creationTimestamp": "2025-07-22T21:28:08Z"],
        "spec": ["startTime": "kept: not a stage status"],
        "status": [
            "conditions": [
                [
                    "type": "Initialized", "status": "True", "reason": "UpdateRunInitializedSuccessfully", "message": "ok",
                    "observedGeneration": 1, "lastTransitionTime": "2025-07-22T21:28:08Z",
                ]
            ],
            "stagesStatus": [
                [
                    "stageName": "staging", "startTime": "2025-07-22T21:28:08Z", "endTime": "2025-07-22T21:29:23Z",
                    "clusters": [
                        [
                            "clusterName": "member2",
                            "conditions": [["type": "Started", "status": "True", "lastTransitionTime": "2025-07-22T21:28:08Z"]],
                        ]
                    ],
                ]
            ],
            "deletionStageStatus": ["stageName": "kubernetes-fleet.io/deleteStage", "startTime": "2025-07-22T21:30:00Z", "clusters": []],
        ],
    ]

    @Test func normalizingDropsSeqsAndWallClockTimesAndNamesUidsByTheirObject() {
        let placement: JSON = [
            "kind": "ClusterResourcePlacement",
            "metadata": ["name": "example-placement", "uid": "uid-1", "resourceVersion": "9", "generation": 1],
        ]
        let normalized = Projection.normalize([
            "ClusterResourcePlacement": [placement], "ClusterResourceSnapshot": [Self.snapshot],
            "ClusterStagedUpdateRun": [Self.runObject],
        ])
        #expect(
            normalized["ClusterResourceSnapshot"] == [
                [
                    "apiVersion": "placement.kubernetes-fleet.io/v1beta1", "kind": "ClusterResourceSnapshot",
                    "metadata": [
                        "name": "example-placement-0-snapshot", "uid": "uid of ClusterResourceSnapshot/example-placement-0-snapshot",
                        "generation": 1,
                        "ownerReferences": [
                            [
                                "kind": "ClusterResourcePlacement", "name": "example-placement",
                                "uid": "uid of ClusterResourcePlacement/example-placement",
                            ]
                        ],
                    ],
                    "spec": ["selectedResources": [["kind": "Namespace", "metadata": ["name": "test-namespace"]]]],
                ]
            ])
        #expect(
            normalized["ClusterStagedUpdateRun"] == [
                [
                    "kind": "ClusterStagedUpdateRun",
                    "metadata": ["name": "example-run", "uid": "uid of ClusterStagedUpdateRun/example-run"],
                    "spec": ["startTime": "kept: not a stage status"],
                    "status": [
                        "conditions": [
                            [
                                "type": "Initialized", "status": "True", "reason": "UpdateRunInitializedSuccessfully",
                                "message": "ok", "observedGeneration": 1,
                            ]
                        ],
                        "stagesStatus": [
                            [
                                "stageName": "staging",
                                "clusters": [["clusterName": "member2", "conditions": [["type": "Started", "status": "True"]]]],
                            ]
                        ],
                        "deletionStageStatus": ["stageName": "kubernetes-fleet.io/deleteStage", "clusters": []],
                    ],
                ]
            ])
    }

    @Test func anOwnerReferenceToAnotherObjectStillDiffers() {
        var moved = Self.snapshot
        moved[path: ["metadata", "ownerReferences"]] = [["kind": "ClusterResourcePlacement", "name": "example-placement", "uid": "uid-9"]]
        let placement: JSON = ["kind": "ClusterResourcePlacement", "metadata": ["name": "example-placement", "uid": "uid-1"]]
        let baseline = Projection.normalize(["ClusterResourcePlacement": [placement], "ClusterResourceSnapshot": [Self.snapshot]])
        let round = Projection.normalize(["ClusterResourcePlacement": [placement], "ClusterResourceSnapshot": [moved]])
        #expect(
            Projection.differences(baseline: baseline, round: round) == [
                "ClusterResourceSnapshot: ClusterResourceSnapshot/example-placement-0-snapshot differs at "
                    + #".metadata.ownerReferences[0].uid: "uid of ClusterResourcePlacement/example-placement" (baseline) vs "uid-9""#
            ])
    }

    @Test func twoPlaysDifferingOnlyInSeqsAndTimesAreEqual() {
        var later = Self.runObject
        later[path: ["metadata", "resourceVersion"]] = "77"
        later[path: ["metadata", "uid"]] = "uid-8"
        later[path: ["metadata", "creationTimestamp"]] = "2025-07-22T22:00:00Z"
        let baseline = Projection.normalize(["ClusterStagedUpdateRun": [Self.runObject]])
        let round = Projection.normalize(["ClusterStagedUpdateRun": [later]])
        #expect(Projection.differences(baseline: baseline, round: round) == [])
    }

    @Test func missingExtraAndChangedObjectsAreNamed() {
        var changed = Self.runObject
        changed[path: ["status", "conditions"]] = [["type": "Initialized", "status": "False"]]
        let extra: JSON = ["kind": "ClusterStagedUpdateRun", "metadata": ["name": "example-run-3"]]
        let baseline = Projection.normalize(["ClusterStagedUpdateRun": [Self.runObject], "ClusterResourceSnapshot": [Self.snapshot]])
        let round = Projection.normalize(["ClusterStagedUpdateRun": [changed, extra]])
        #expect(
            Projection.differences(baseline: baseline, round: round) == [
                "ClusterResourceSnapshot: ClusterResourceSnapshot/example-placement-0-snapshot is missing",
                "ClusterStagedUpdateRun: ClusterStagedUpdateRun/example-run differs at "
                    + #".status.conditions[0].message: "ok" (baseline) vs null; "#
                    + #".status.conditions[0].observedGeneration: 1 (baseline) vs null; "#
                    + #".status.conditions[0].reason: "UpdateRunInitializedSuccessfully" (baseline) vs null"#,
                "ClusterStagedUpdateRun: ClusterStagedUpdateRun/example-run-3 is not in the baseline",
            ])
    }
}

struct ObservationTests {
    static func namespace(_ name: String, label: String) -> JSON {
        ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name), "labels": ["team": .string(label)]]]
    }

    static func created(_ name: String) -> Fixture {
        Fixture(
            "ObjectCreated.v1",
            ["key": ["kind": "Namespace", "namespace": "", "name": .string(name)], "uid": .string("uid-\(name)"), "object": namespace(name, label: "a")],
            at: t0, by: "crash-test")
    }

    /// The namespaces list as a server serving the journal's first `seq` events shows it.
    static func shown(_ journal: RoundJournal, through seq: Int64) throws -> [JSON] {
        var state = HubState()
        for record in journal.records where record.seq <= seq { state.evolve(try Envelope(record)) }
        return state.render(kind: .namespace)
    }

    @Test func listsShownAtTheirSeqMatchTheJournal() async throws {
        let journal = try await roundJournal([Self.created("a"), Self.created("b")])
        let observations = [
            Observation(source: .hub(.namespace, apiVersion: "v1"), resourceVersion: 0, items: []),
            Observation(source: .hub(.namespace, apiVersion: "v1"), resourceVersion: 1, items: try Self.shown(journal, through: 1)),
            Observation(source: .hub(.namespace, apiVersion: "v1"), resourceVersion: 2, items: try Self.shown(journal, through: 2)),
            Observation(source: .member("member1", .configMap), resourceVersion: 2, items: []),
        ]
        #expect(try Observations.problems(observations, records: journal.records) == [])
    }

    @Test func aListShownBeforeItWasDurableIsCaught() async throws {
        let survivor = try await roundJournal([Self.created("a"), Self.created("c")])
        let lost = try await roundJournal([Self.created("a"), Self.created("b"), Self.created("d")])
        let observations = [
            Observation(source: .hub(.namespace, apiVersion: "v1"), resourceVersion: 2, items: try Self.shown(lost, through: 2)),
            Observation(source: .hub(.namespace, apiVersion: "v1"), resourceVersion: 3, items: try Self.shown(lost, through: 3)),
        ]
        let problems = try Observations.problems(observations, records: survivor.records)
        #expect(problems.count == 2)
        #expect(problems[0].hasPrefix("Namespace shown at resourceVersion 2 is not what the journal holds there: [1]."))
        #expect(problems[1] == "Namespace shown at resourceVersion 3, but the journal ends at seq 2")
    }

    @Test func stateShownByAKilledServerMustHaveBeenRecordedBeforeTheKill() async throws {
        var fixtures = [Self.created("a"), Self.created("b")]
        fixtures[1].time = t0 + 900
        let journal = try await roundJournal(fixtures)
        let shown = try Self.shown(journal, through: 2)
        let durable = Observation(
            source: .hub(.namespace, apiVersion: "v1"), resourceVersion: 2, items: shown, server: 1, serverKilledAt: t0 + 1_000)
        #expect(try Observations.problems([durable], records: journal.records) == [])
        // Killed at t0 + 500, the server had shown seq 2; its successor recorded the same state there at t0 + 900.
        let early = Observation(
            source: .hub(.namespace, apiVersion: "v1"), resourceVersion: 2, items: shown, server: 1, serverKilledAt: t0 + 500)
        #expect(
            try Observations.problems([early], records: journal.records) == [
                "Namespace shown at resourceVersion 2 by server 1 before it was durable: the server was killed, and the "
                    + "event at seq 2 was recorded 0.400s after that"
            ])
    }
}
