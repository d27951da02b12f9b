import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// A CRD makes its kind servable at once, its objects are pruned and validated by its schema, placements carry
/// them to members definitions first, and deleting the definition deletes its objects.
struct CustomResourceDefinitionTests {
    static let definitionKey = ObjectKey(.customResourceDefinition, name: "crontabs.stable.example.com")
    static let crontabKey = ObjectKey(kind: "CronTab.stable.example.com", namespace: "test-namespace", name: "nightly")

    static func definition(plural: String = "crontabs", kind: String = "CronTab", group: String = "stable.example.com") -> String {
        """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: \(plural).\(group)}
        spec:
          group: \(group)
          scope: Namespaced
          names: {plural: \(plural), kind: \(kind), shortNames: [ct]}
          versions:
            - name: v1
              served: true
              storage: true
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    spec:
                      type: object
                      properties:
                        cronSpec: {type: string}
                        replicas: {type: integer, maximum: 10}
        """
    }

    static let crontab = """
        apiVersion: stable.example.com/v1
        kind: CronTab
        metadata: {name: nightly, namespace: test-namespace}
        spec: {cronSpec: "0 3 * * *", replicas: 2, unknown: dropped}
        """

    @Test func aDefinitionIsEstablishedAndItsKindServedAtOnce() throws {
        var scenario = Scenario()
        try scenario.apply(Self.definition())
        #expect(scenario.state.kinds.named("crontabs") == nil)
        let events = scenario.settle()
        #expect(events.count == 1)
        let status = try #require(scenario.state.objects[Self.definitionKey]?.status)
        #expect(status["acceptedNames"]?["kind"] == "CronTab")
        #expect(status["storedVersions"] == ["v1"])
        #expect(
            status["conditions"]?.arrayValue?.map { [$0["type"], $0["status"], $0["reason"]] } == [
                ["NamesAccepted", "True", "NoConflicts"], ["Established", "True", "InitialNamesAccepted"],
            ])
        #expect(scenario.state.kinds.named("ct")?.keyName == "CronTab.stable.example.com")
        #expect(scenario.settle() == [])
    }

    @Test func customObjectsArePrunedAndValidatedByTheirSchema() throws {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(Self.definition())
        scenario.settle()
        try scenario.apply(Self.crontab)
        let stored = try #require(scenario.state.objects[Self.crontabKey])
        #expect(stored.spec == ["cronSpec": "0 3 * * *", "replicas": 2])
        #expect(stored.generation == 1)
        #expect(throws: HubError.invalid(
            InvalidObject(kind: "CronTab", name: "nightly", causes: [
                FieldError(field: "spec.replicas", rule: "Invalid value: 11: spec.replicas in body should be less than or equal to 10")
            ]), group: "stable.example.com")) {
            try scenario.apply(Self.crontab.replacingOccurrences(of: "replicas: 2", with: "replicas: 11"))
        }
    }

    @Test func anUnknownCustomKindIsNoMatch() throws {
        var scenario = try Fixtures.seedFleet()
        #expect(throws: HubError.badRequest("no matches for kind \"CronTab\" in version \"stable.example.com/v1\"")) {
            try scenario.apply(Self.crontab)
        }
    }

    @Test func aNamespacePlacementCarriesCustomObjectsAndASelectedDefinitionGoesFirst() throws {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(Self.definition())
        scenario.settle()
        try scenario.apply(Self.crontab)
        try scenario.apply(
            SeedManifests.placement.replacingOccurrences(
                of: "  policy:",
                with: """
                      - group: apiextensions.k8s.io
                        kind: CustomResourceDefinition
                        name: crontabs.stable.example.com
                        version: v1
                    policy:
                  """))
        scenario.settle()
        let placement = try #require(scenario.state.placements[Fixtures.placementKey])
        let latest = try #require(placement.latestResourceIndex.flatMap { placement.resourceSnapshots[$0] })
        #expect(latest.resources.map { "\($0["kind"]?.stringValue ?? "")/\($0[path: ["metadata", "name"]]?.stringValue ?? "")" } == [
            "Namespace/test-namespace", "CustomResourceDefinition/crontabs.stable.example.com", "ConfigMap/test-cm", "CronTab/nightly",
        ])
        #expect(latest.resources.first { $0["kind"] == "CustomResourceDefinition" }?["status"] == nil)
    }

    @Test func aSelectorOfAKindNotServedIsReportedAsKubeFleetReportsIt() throws {
        var scenario = try Fixtures.seedFleet()
        let placement = SeedManifests.placement
            .replacingOccurrences(of: "name: example-placement", with: "name: crontabs")
            .replacingOccurrences(of: "group: \"\"", with: "group: stable.example.com")
            .replacingOccurrences(of: "kind: Namespace", with: "kind: CronTab")
            .replacingOccurrences(of: "name: test-namespace", with: "name: nightly")
        try scenario.apply(placement)
        #expect(scenario.settle() == [])
        let key = ObjectKey(.clusterResourcePlacement, name: "crontabs")
        let condition = scenario.state.render(key)?[path: ["status", "conditions"]]?.arrayValue?.first
        #expect(condition?["type"] == "ClusterResourcePlacementScheduled")
        #expect(condition?["status"] == "False")
        #expect(condition?["reason"] == "InvalidResourceSelectors")
        #expect(
            condition?["message"]
                == "The resource selectors are invalid: failed to process the request due to a client error: invalid placement /crontabs, failed to get GVR of the selector: no matches for kind \"CronTab\" in version \"stable.example.com/v1\"")
        // Once the kind is served the placement schedules, as KubeFleet's next resync would.
        try scenario.apply(Self.definition())
        let events = scenario.settle()
        #expect(events.contains { if case .policySnapshotCreated(let e) = $0 { e.placement == key } else { false } })
    }

    @Test func deletingTheDefinitionDeletesItsObjects() throws {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(Self.definition())
        scenario.settle()
        try scenario.apply(Self.crontab)
        let events = try scenario.send(.delete(Self.definitionKey))
        #expect(events == [.objectDeleted(ObjectDeleted(key: Self.crontabKey)), .objectDeleted(ObjectDeleted(key: Self.definitionKey))])
        #expect(scenario.state.kinds.custom.isEmpty)
    }

    @Test func aDefinitionWhoseNamesAreTakenIsNotEstablished() throws {
        var scenario = Scenario()
        try scenario.apply(Self.definition())
        scenario.settle()
        try scenario.apply(Self.definition(plural: "crontabs2", kind: "CronTab2").replacingOccurrences(of: "[ct]", with: "[ct, ct2]"))
        scenario.settle()
        let second = try #require(scenario.state.objects[ObjectKey(.customResourceDefinition, name: "crontabs2.stable.example.com")])
        #expect(
            second.status?["conditions"]?.arrayValue?.map { [$0["type"], $0["status"], $0["reason"], $0["message"]] } == [
                ["NamesAccepted", "False", "ShortNamesConflict", "\"ct\" is already in use"],
                ["Established", "False", "NotAccepted", "not all names are accepted"],
            ])
        #expect(scenario.state.kinds.named("crontabs2") == nil)
        // Once the first goes, its names are free and the second is established.
        try scenario.send(.delete(Self.definitionKey))
        scenario.settle()
        #expect(scenario.state.kinds.named("ct")?.plural == "crontabs2")
    }

    @Test func replayRebuildsTheServedKinds() throws {
        var scenario = Scenario()
        try scenario.apply(Self.definition())
        scenario.settle()
        let image = try JSON(encoding: scenario.state)
        let decoded = try image.decode(HubState.self)
        #expect(decoded.kinds == scenario.state.kinds)
        #expect(decoded == scenario.state)
    }
}
