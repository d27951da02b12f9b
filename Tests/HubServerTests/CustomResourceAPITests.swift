import FleetAPI
import Foundation
import Testing
@testable import HubServer
@testable import Rollout

/// A CRD posted to the hub is served at once, as kube-apiserver serves it: discovery, OpenAPI, tables, strict
/// field validation, and the patch types custom resources take.
extension APIHandlerTests {
    static let definition = """
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"crontabs.stable.example.com"},
         "spec":{"group":"stable.example.com","scope":"Namespaced","names":{"plural":"crontabs","kind":"CronTab","shortNames":["ct"]},
          "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
            "additionalPrinterColumns":[{"name":"Spec","type":"string","jsonPath":".spec.cronSpec"}],
            "schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object","properties":{"cronSpec":{"type":"string"}}},
              "status":{"type":"object","properties":{"ready":{"type":"boolean"}}}}}}}]}}
        """

    func define() async throws {
        let (status, _, _) = await call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", body: Self.definition)
        #expect(status == 201)
        try await hub.send(.apply(YAML.parse("{apiVersion: v1, kind: Namespace, metadata: {name: team}}")), actor: "test")
    }

    @Test func aDefinedKindIsInDiscoveryAndOpenAPI() async throws {
        let before = await call("GET", "/apis/stable.example.com/v1")
        #expect(before.0 == 404)
        try await define()
        let (_, _, list) = await call("GET", "/apis/stable.example.com/v1")
        let resources = list["resources"]?.arrayValue ?? []
        #expect(resources.map { $0["name"] } == ["crontabs", "crontabs/status"])
        #expect(resources.first?["shortNames"] == ["ct"])
        let (_, _, aggregated) = await call(
            "GET", "/apis", accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json")
        #expect(aggregated["items"]?.arrayValue?.contains { $0[path: ["metadata", "name"]] == "stable.example.com" } == true)
        let (_, _, index) = await call("GET", "/openapi/v3")
        #expect(index[path: ["paths", "apis/stable.example.com/v1"]] != nil)
        let (_, _, document) = await call("GET", "/openapi/v3/apis/stable.example.com/v1")
        let schema = document[path: ["components", "schemas", "com.example.stable.v1.CronTab"]]
        #expect(schema?[path: ["properties", "spec", "properties", "cronSpec", "type"]] == "string")
        #expect(schema?[path: ["properties", "metadata"]] != nil)
    }

    @Test func customObjectsAreServedWithTheirColumnsAndStrictFields() async throws {
        try await define()
        let base = "/apis/stable.example.com/v1/namespaces/team/crontabs"
        let typo = await call(
            "POST", base, query: ["fieldValidation": "Strict"],
            body: #"{"apiVersion":"stable.example.com/v1","kind":"CronTab","metadata":{"name":"a"},"spec":{"cronSpek":"x"}}"#)
        #expect(typo.0 == 400)
        #expect(typo.2["message"] == "CronTab in version \"v1\" cannot be handled as a CronTab: strict decoding error: unknown field \"spec.cronSpek\"")
        let created = await call(
            "POST", base, body: #"{"apiVersion":"stable.example.com/v1","kind":"CronTab","metadata":{"name":"a"},"spec":{"cronSpec":"* * * * *"},"status":{"ready":true}}"#)
        #expect(created.0 == 201)
        #expect(created.2["status"] == nil)
        let (_, _, table) = await call("GET", base, accept: "application/json;as=Table;v=v1;g=meta.k8s.io")
        #expect(table["columnDefinitions"]?.arrayValue?.map { $0["name"] } == ["Name", "Spec"])
        #expect(table["rows"]?.arrayValue?.first?["cells"] == ["a", "* * * * *"])
        let status = await call(
            "PATCH", "\(base)/a/status", contentType: "application/merge-patch+json", body: #"{"status":{"ready":true}}"#)
        #expect(status.2["status"] == ["ready": true])
        let strategic = await call(
            "PATCH", "\(base)/a", contentType: "application/strategic-merge-patch+json", body: #"{"spec":{"cronSpec":"1 * * * *"}}"#)
        #expect(strategic.0 == 415)
        let merged = await call(
            "PATCH", "\(base)/a", contentType: "application/merge-patch+json", body: #"{"spec":{"cronSpec":"1 * * * *"}}"#)
        #expect(merged.2[path: ["spec", "cronSpec"]] == "1 * * * *")
        #expect(merged.2[path: ["metadata", "generation"]] == 2)
    }

    @Test func deletingTheDefinitionStopsServingTheKindAndItsObjects() async throws {
        try await define()
        let base = "/apis/stable.example.com/v1/namespaces/team/crontabs"
        _ = await call("POST", base, body: #"{"apiVersion":"stable.example.com/v1","kind":"CronTab","metadata":{"name":"a"},"spec":{}}"#)
        let deleted = await call("DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/crontabs.stable.example.com")
        #expect(deleted.0 == 200)
        #expect(await call("GET", "\(base)/a").0 == 404)
        #expect(await hub.state.objects[ObjectKey(kind: "CronTab.stable.example.com", namespace: "team", name: "a")] == nil)
    }
}
