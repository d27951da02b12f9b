import FleetAPI

/// The LZ4 dictionary a new journal starts with: the canonical JSON of typical events, so even the first small
/// events compress. The journal stores it, so reading never depends on this code staying the same.
enum JournalDictionary {
    static let seed: [UInt8] = {
        let run = ObjectKey(.clusterStagedUpdateRun, name: "example-run")
        let placement = ObjectKey(.clusterResourcePlacement, name: "example-placement")
        let manifests = [
            SeedManifests.memberCluster("member1", labels: ["environment": "canary", "order": "1"]),
            SeedManifests.placement, SeedManifests.strategy, SeedManifests.run, SeedManifests.namespace,
        ]
        let created: [FleetEvent] = manifests.compactMap { text in
            guard let json = try? YAML.parse(text), let (_, key) = try? ObjectDecider.identify(json) else { return nil }
            return .objectCreated(ObjectCreated(key: key, uid: "00000000-0000-5000-8000-000000000000", object: json))
        }
        let resources: [JSON] = [
            ["apiVersion": "v1", "kind": "Namespace", "metadata": ["labels": ["kubernetes.io/metadata.name": "test-namespace"], "name": "test-namespace"], "spec": ["finalizers": ["kubernetes"]]],
            ["apiVersion": "v1", "kind": "ConfigMap", "data": ["key": "value"], "metadata": ["name": "test-cm", "namespace": "test-namespace"]],
        ]
        let samples: [FleetEvent] = created + [
            .resourceSnapshotCreated(
                ResourceSnapshotCreated(
                    placement: placement, index: 0, uid: "00000000-0000-5000-8000-000000000000",
                    hash: "0000000000000000000000000000000000000000000000000000000000000000", resources: resources)),
            .policySnapshotCreated(
                PolicySnapshotCreated(placement: placement, index: 0, uid: "00000000-0000-5000-8000-000000000000", clusters: ["member1", "member2"])),
            .objectCreated(
                ObjectCreated(
                    key: ObjectKey(.configMap, namespace: "test-namespace", name: "test-cm"),
                    uid: "00000000-0000-5000-0000-000000000000",
                    object: [
                        "apiVersion": "v1", "kind": "ConfigMap", "data": ["key": "value"],
                        "metadata": ["name": "test-cm", "namespace": "test-namespace"],
                    ])),
            .objectStatusUpdated(
                ObjectStatusUpdated(
                    key: ObjectKey(.clusterApprovalRequest, name: "example-run-canary"),
                    status: [
                        "conditions": [
                            [
                                "lastTransitionTime": "2025-07-22T21:29:53Z", "message": "lgtm",
                                "observedGeneration": 1, "reason": "testPassed", "status": "True", "type": "Approved",
                            ]
                        ]
                    ])),
            .memberApplied(
                MemberApplied(
                    cluster: "member1", placement: placement, resourceIndex: 0,
                    objects: resources)),
            .stageWaiting(StageRef(run: run, stage: 0)),
            .timedWaitElapsed(TaskRef(run: run, stage: 0, phase: .after, task: 0)),
            .approvalRequested(TaskRef(run: run, stage: 1, phase: .after, task: 0)),
            .stageSucceeded(StageRef(run: run, stage: 0)),
            .clusterUpdateSucceeded(ClusterRef(run: run, stage: 1, cluster: "member1")),
            .clusterUpdateStarted(ClusterRef(run: run, stage: 1, cluster: "member1")),
        ]
        let vocabulary = samples.compactMap { try? $0.payload().serializedString() }.joined()
            + "ClusterStagedUpdateRunClusterResourcePlacementClusterStagedUpdateStrategyClusterApprovalRequest"
            + "placement.kubernetes-fleet.io/v1beta1kubernetes-fleet.io/"
        return Array(vocabulary.utf8)
    }()
}
