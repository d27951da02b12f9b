import Testing
@testable import FleetAPI

/// The CRD rules on a placement's topology spread constraints, each with the message the API server gives.
struct PlacementPolicyValidationTests {
    func errors(_ policy: String) throws -> [String] {
        let yaml = """
            apiVersion: placement.kubernetes-fleet.io/v1beta1
            kind: ClusterResourcePlacement
            metadata:
              name: crp
            spec:
              resourceSelectors: [{group: "", version: v1, kind: Namespace, name: app}]
              policy:
            \(policy.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            """
        return FleetValidation.validate(.clusterResourcePlacement, object: try YAML.parse(yaml), old: nil).map(\.description)
    }

    @Test func aPickNSpreadIsAccepted() throws {
        #expect(try errors("placementType: PickN\nnumberOfClusters: 2\ntopologySpreadConstraints: [{topologyKey: zone}]") == [])
    }

    @Test func eachConstraintNeedsAKeyAPositiveSkewAndAKnownAction() throws {
        let policy = """
            placementType: PickN
            numberOfClusters: 2
            topologySpreadConstraints:
              - {maxSkew: 0, whenUnsatisfiable: Sometimes}
              - {topologyKey: zone, maxSkew: one}
            """
        #expect(try errors(policy) == [
            "spec.policy.topologySpreadConstraints[0].topologyKey: Required value",
            "spec.policy.topologySpreadConstraints[0].maxSkew: Invalid value: 0: spec.policy.topologySpreadConstraints[0].maxSkew in body should be greater than or equal to 1",
            "spec.policy.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: \"Sometimes\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\"",
            "spec.policy.topologySpreadConstraints[1].maxSkew: Invalid value: \"string\": spec.policy.topologySpreadConstraints[1].maxSkew in body must be of type integer: \"string\"",
        ])
    }

    @Test func onlyPickNSpreads() throws {
        #expect(try errors("topologySpreadConstraints: [{topologyKey: zone}]") == [
            "spec.policy: Invalid value: \"object\": clusterNames, numberOfClusters, and topologySpreadConstraints cannot be set when placementType is PickAll"
        ])
        #expect(try errors("placementType: PickFixed\nclusterNames: [a]\ntopologySpreadConstraints: [{topologyKey: zone}]") == [
            "spec.policy: Invalid value: \"object\": affinity, numberOfClusters, topologySpreadConstraints, and tolerations cannot be set when placementType is PickFixed"
        ])
    }
}
