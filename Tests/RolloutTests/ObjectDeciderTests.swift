import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// User writes: given the hub's state, when a manifest arrives, then the events, or the refusal and nothing.
struct ObjectDeciderTests {
    @Test func aNamespaceIsDefaultedAsTheAPIServerDoes() throws {
        let events = try ObjectDecider.decide(.create(YAML.parse(SeedManifests.namespace)), HubState())
        guard case .objectCreated(let created) = events.first else {
            Issue.record("expected a creation, got \(events)")
            return
        }
        #expect(created.object[path: ["metadata", "labels"]] == ["kubernetes.io/metadata.name": "test-namespace"])
        #expect(created.object[path: ["spec", "finalizers"]] == ["kubernetes"])
    }

    @Test func aBadManifestIsRefusedAndWritesNothing() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path
        let hub = try Hub(path: path, clock: ManualClock(Date(timeIntervalSince1970: 0)))
        let bad = SeedManifests.strategy.replacingOccurrences(of: "- type: Approval", with: "- type: Approval\n          waitTime: 1h")
        await #expect(throws: HubError.invalid(
            InvalidObject(kind: "ClusterStagedUpdateStrategy", name: "example-strategy", causes: [
                FieldError(field: "spec.stages[1].afterStageTasks", rule: "Invalid value: \"array\": AfterStageTaskType is Approval, waitTime is not allowed")
            ]), group: "placement.kubernetes-fleet.io")) {
            try await hub.send(.apply(YAML.parse(bad)), actor: "test")
        }
        #expect(hub.journal.lastSeq == 0)
    }

    @Test func aNamespacedObjectNeedsItsNamespace() throws {
        #expect(throws: HubError.notFound(kind: "namespaces", name: "test-namespace")) {
            try ObjectDecider.decide(.create(YAML.parse(SeedManifests.configMap(value: "v"))), HubState())
        }
    }

    @Test func anUnknownKindIsABadRequest() throws {
        #expect(throws: HubError.badRequest("no matches for kind \"Widget\" in version \"example.com/v1\"")) {
            try ObjectDecider.decide(.create(["apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": "w"]]), HubState())
        }
    }

    @Test func updatesBumpGenerationOnSpecChangesOnlyAndNoOpsWriteNothing() throws {
        var scenario = try Fixtures.seedFleet()
        let key = ObjectKey(.clusterStagedUpdateStrategy, name: "example-strategy")
        #expect(try scenario.apply(SeedManifests.strategy) == [])
        let relabelled = SeedManifests.strategy.replacingOccurrences(of: "name: example-strategy", with: "name: example-strategy\n  labels:\n    team: a")
        try scenario.apply(relabelled)
        #expect(scenario.state.objects[key]?.generation == 1)
        try scenario.apply(relabelled.replacingOccurrences(of: "waitTime: 1m", with: "waitTime: 2m"))
        #expect(scenario.state.objects[key]?.generation == 2)
        #expect(scenario.state.objects[key]?.resourceVersion == scenario.state.lastSeq)
    }

    @Test func aStaleResourceVersionIsAConflict() throws {
        var scenario = try Fixtures.seedFleet()
        var manifest = try YAML.parse(SeedManifests.strategy)
        manifest[path: ["metadata", "resourceVersion"]] = "1"
        #expect(throws: HubError.conflict(kind: "clusterstagedupdatestrategies", name: "example-strategy")) {
            try scenario.send(.update(manifest))
        }
    }

    @Test func deletingANamespaceTakesItsObjects() throws {
        var scenario = try Fixtures.seedFleet()
        let events = try scenario.send(.delete(ObjectKey(.namespace, name: "test-namespace")))
        #expect(events == [
            .objectDeleted(ObjectDeleted(key: ObjectKey(.configMap, namespace: "test-namespace", name: "test-cm"))),
            .objectDeleted(ObjectDeleted(key: ObjectKey(.namespace, name: "test-namespace"))),
        ])
    }

    @Test func aSelectedChangeTakesANewSnapshotAndAnUnselectedOneDoesNot() throws {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: other")
        #expect(scenario.settle() == [])
        try scenario.apply(SeedManifests.configMap(value: "value2"))
        let events = scenario.settle()
        guard case .resourceSnapshotCreated(let snapshot) = events.first, events.count == 1 else {
            Issue.record("expected one snapshot, got \(events)")
            return
        }
        #expect(snapshot.index == 1)
        #expect(snapshot.resources.map { $0["kind"] } == ["Namespace", "ConfigMap"])
        let old = scenario.state.objects[ObjectKey(.clusterResourceSnapshot, name: "example-placement-0-snapshot")]
        #expect(old?.labels["kubernetes-fleet.io/is-latest-snapshot"] == "false")
    }
}
