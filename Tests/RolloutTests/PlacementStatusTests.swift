import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// A placement's status as KubeFleet's placement controller writes it: per cluster, the scheduling decision and the
/// binding's conditions, and for the placement each condition True only when True everywhere, the first that is not
/// stopping the rest.
struct PlacementStatusTests {
    static let members = ["member1", "member2", "member3"]

    static func fleet(strategy: String = "") throws -> Scenario {
        var scenario = Scenario()
        for name in members { try scenario.apply(SeedManifests.memberCluster(name, labels: ["environment": "prod"])) }
        try scenario.apply(SeedManifests.namespace)
        try scenario.apply(SeedManifests.configMap(value: "value1"))
        try scenario.apply(SeedManifests.placement.replacingOccurrences(of: "  strategy:\n    type: External", with: strategy))
        return scenario
    }

    func placementStatus(_ scenario: Scenario) throws -> JSON {
        try #require(scenario.state.render(Fixtures.placementKey)?["status"])
    }

    /// Each condition as `type status reason: message`.
    func conditions(_ json: JSON?) -> [String] {
        (json?["conditions"]?.arrayValue ?? []).map { condition in
            ["type", "status", "reason"].map { condition[$0]?.stringValue ?? "" }.joined(separator: " ")
                + ": " + (condition["message"]?.stringValue ?? "")
        }
    }

    func cluster(_ status: JSON, _ name: String) -> JSON? {
        status["placementStatuses"]?.arrayValue?.first { $0["clusterName"]?.stringValue == name }
    }

    @Test func anExternalPlacementBeforeAnyRunLeavesTheRolloutToRuns() throws {
        var scenario = try Self.fleet(strategy: "  strategy:\n    type: External")
        scenario.settle()
        let status = try placementStatus(scenario)
        #expect(conditions(status) == [
            "ClusterResourcePlacementScheduled True SchedulingPolicyFulfilled: found all cluster needed as specified by the scheduling policy",
            "ClusterResourcePlacementRolloutStarted Unknown RolloutControlledByExternalController: Rollout is controlled by an external "
                + "controller and no resource snapshot name is observed across clusters. To determine rollout status, check the "
                + "ClusterStagedUpdateRun resources with spec.placementName matching this placement",
        ])
        #expect(status["observedResourceIndex"] == "")
        #expect(status["selectedResources"] == [])
        #expect(conditions(cluster(status, "member2")) == [
            "Scheduled True Scheduled: Successfully scheduled resources for placement in \"member2\": picked by scheduling policy",
            "RolloutStarted Unknown RolloutStartedUnknown: In the process of deciding whether to roll out some version of the resources or not",
        ])
    }

    @Test func anExternalPlacementMidRunShowsClustersOnDifferentSnapshots() throws {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(Fixtures.runManifest(index: "0"))
        // The run starts its staging cluster, member2: one cluster bound to snapshot 0, two to none.
        #expect(scenario.settle().last == .clusterUpdateStarted(ClusterRef(run: Fixtures.runKey, stage: 0, cluster: "member2")))
        var status = try placementStatus(scenario)
        #expect(conditions(status).last?.hasPrefix("ClusterResourcePlacementRolloutStarted Unknown RolloutControlledByExternalController: ") == true)
        #expect(cluster(status, "member2")?["observedResourceIndex"] == "0")
        #expect(cluster(status, "member1")?["observedResourceIndex"] == "")
        #expect(conditions(cluster(status, "member2")).dropFirst().first
            == "RolloutStarted True RolloutStarted: Detected the new changes on the resources and started the rollout process, resourceSnapshotIndex: 0, updateRun: example-run")
        scenario.passToCanaryApproval()
        scenario.memberApplied("member2", index: 0)
        status = try placementStatus(scenario)
        // Every cluster on snapshot 0 and applied: the placement is available, as after the seed's run.
        #expect(conditions(status).last == "ClusterResourcePlacementAvailable True ResourceAvailable: The selected resources in 3 cluster(s) are available now")
        #expect(status["observedResourceIndex"] == "0")
    }

    @Test func aRolledOutPlacementIsAvailableEverywhere() throws {
        var scenario = try Self.fleet()
        scenario.settle()
        for name in Self.members { scenario.memberApplied(name, index: 0) }
        scenario.settle()
        let status = try placementStatus(scenario)
        #expect(conditions(status) == [
            "ClusterResourcePlacementScheduled True SchedulingPolicyFulfilled: found all cluster needed as specified by the scheduling policy",
            "ClusterResourcePlacementRolloutStarted True RolloutStarted: All 3 cluster(s) start rolling out the latest resource",
            "ClusterResourcePlacementOverridden True NoOverrideSpecified: No override rules are configured for the selected resources",
            "ClusterResourcePlacementWorkSynchronized True WorkSynchronized: Work(s) are successfully created or updated in 3 target cluster(s)' namespaces",
            "ClusterResourcePlacementApplied True ApplySucceeded: The selected resources are successfully applied to 3 cluster(s)",
            "ClusterResourcePlacementAvailable True ResourceAvailable: The selected resources in 3 cluster(s) are available now",
        ])
        #expect(conditions(cluster(status, "member1")).dropFirst() == [
            "RolloutStarted True RolloutStarted: Detected the new changes on the resources and started the rollout process",
            "Overridden True NoOverrideSpecified: No override rules are configured for the selected resources",
            "WorkSynchronized True AllWorkSynced: All of the works are synchronized to the latest",
            "Applied True AllWorkHaveBeenApplied: All corresponding work objects are applied",
            "Available True AllWorkAreAvailable: All corresponding work objects are available",
        ])
        #expect(status["observedResourceIndex"] == "0")
        #expect(status["selectedResources"] == [
            ["group": "", "version": "v1", "kind": "Namespace", "name": "test-namespace"],
            ["group": "", "version": "v1", "kind": "ConfigMap", "name": "test-cm", "namespace": "test-namespace"],
        ])
    }

    @Test func aRollingUpdateInProgressShowsWhoApplies() throws {
        var scenario = try Self.fleet(strategy: "  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxUnavailable: 1\n      unavailablePeriodSeconds: 10")
        scenario.settle()
        for name in Self.members { scenario.memberApplied(name, index: 0) }
        try scenario.apply(SeedManifests.configMap(value: "value2"))
        scenario.settle()
        var status = try placementStatus(scenario)
        // Clusters still on the older snapshot are held back: the first condition not True stops the rest.
        #expect(conditions(status).last == "ClusterResourcePlacementRolloutStarted False RolloutNotStartedYet: The rollout is being blocked by the rollout strategy in 2 cluster(s)")
        #expect(conditions(cluster(status, "member1")).last == "Applied False ApplyInProgress: Resources are being applied")
        #expect(conditions(cluster(status, "member2")).last == "RolloutStarted False RolloutNotStartedYet: The rollout is being blocked by the rollout strategy")
        #expect(cluster(status, "member2")?["observedResourceIndex"] == "1")
        scenario.memberApplied("member1", index: 1, untrackable: true)
        scenario.settle()
        status = try placementStatus(scenario)
        #expect(conditions(cluster(status, "member1")).last == "Available True NotAllWorkAreAvailabilityTrackable: The availability of work object example-placement-work is not trackable")
    }

    @Test func aFailedClusterNamesTheObjectAndTheWork() throws {
        var scenario = try Self.fleet()
        scenario.settle()
        for name in Self.members.dropLast() { scenario.memberApplied(name, index: 0) }
        let resource: JSON = ["group": "", "version": "v1", "kind": "ConfigMap", "namespace": "test-namespace", "name": "test-cm"]
        scenario.fold(.memberApplyFailed(MemberApplyFailed(
            cluster: "member3", placement: Fixtures.placementKey, resourceIndex: 0, message: "admission webhook denied the request", resource: resource)))
        let status = try placementStatus(scenario)
        #expect(conditions(status).last == "ClusterResourcePlacementApplied False ApplyFailed: Failed to apply resources to 1 cluster(s), please check the `failedPlacements` status")
        let failed = try #require(cluster(status, "member3"))
        #expect(conditions(failed).last == "Applied False NotAllWorkHaveBeenApplied: Work object example-placement-work has failed to apply")
        var expected = resource
        expected["condition"] = [
            "type": "Applied", "status": "False", "reason": "ManifestApplyFailed", "message": "admission webhook denied the request",
            "lastTransitionTime": failed["conditions"]?.arrayValue?[1]["lastTransitionTime"] ?? .null,
        ]
        #expect(failed["failedPlacements"] == [expected])
    }

    @Test func aPickNThatFindsTooFewClustersSaysWhyForEachMissingOne() throws {
        var scenario = try Self.fleet()
        try scenario.apply(SeedManifests.placement
            .replacingOccurrences(of: "  strategy:\n    type: External", with: "")
            .replacingOccurrences(of: "placementType: PickAll", with: "placementType: PickN\n    numberOfClusters: 4\n    tolerations: []"))
        try scenario.apply(
            """
            apiVersion: cluster.kubernetes-fleet.io/v1beta1
            kind: MemberCluster
            metadata:
              name: member4
            spec:
              identity:
                kind: ServiceAccount
                name: fleet-member-agent-member4
                namespace: fleet-system
                apiGroup: ""
              taints:
              - key: maintenance
                value: "true"
                effect: NoSchedule
            """)
        scenario.settle()
        let status = try placementStatus(scenario)
        #expect(conditions(status).first == "ClusterResourcePlacementScheduled False SchedulingPolicyUnfulfilled: could not find all clusters needed as specified by the scheduling policy, found 3 cluster(s) instead")
        let entries = status["placementStatuses"]?.arrayValue ?? []
        #expect(entries.count == 4)
        #expect(conditions(entries.last) == ["Scheduled False ScheduleFailed: ClusterUnschedulable, taint &{Key:maintenance Value:true Effect:NoSchedule} cannot be tolerated"])
        #expect(entries.last?["clusterName"] == nil)
    }
}
