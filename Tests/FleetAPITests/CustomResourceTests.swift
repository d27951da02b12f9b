import Foundation
import Testing
@testable import FleetAPI

/// CustomResourceDefinitions as the API server reads them: validation of the definition, the kind it defines,
/// and the schema that prunes and validates its objects.
struct CustomResourceTests {
    static let crontabs = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: crontabs.stable.example.com}
        spec:
          group: stable.example.com
          scope: Namespaced
          names: {plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct]}
          versions:
            - name: v1beta1
              served: true
              storage: false
              schema: {openAPIV3Schema: {type: object}}
            - name: v1
              served: true
              storage: true
              subresources: {status: {}}
              additionalPrinterColumns:
                - {name: Spec, type: string, jsonPath: .spec.cronSpec}
                - {name: Replicas, type: integer, jsonPath: .spec.replicas}
                - {name: Wide, type: string, jsonPath: .spec.image, priority: 1}
                - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    spec:
                      type: object
                      required: [cronSpec]
                      properties:
                        cronSpec: {type: string, pattern: '^[0-9*/ ]+$'}
                        image: {type: string, maxLength: 20}
                        replicas: {type: integer, minimum: 1, maximum: 10}
                        mode: {type: string, enum: [Fast, Slow]}
                        extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
                    status:
                      type: object
                      properties:
                        ready: {type: boolean}
        """

    /// The definition as the hub's controller leaves it: names accepted, established.
    static func established(_ yaml: String = crontabs) throws -> JSON {
        var json = try YAML.parse(yaml)
        json["status"] = [
            "acceptedNames": CustomResourceDefinition.requestedNames(json),
            "conditions": [["type": "Established", "status": "True"]],
        ]
        return json
    }

    @Test func anEstablishedDefinitionDefinesItsKindWithPreferredVersionFirst() throws {
        let custom = try #require(CustomKind(definition: try Self.established()))
        #expect(custom.kind.keyName == "CronTab.stable.example.com")
        #expect(custom.kind.versions == ["v1", "v1beta1"])
        #expect(custom.kind.namespaced)
        #expect(custom.kind.shortNames == ["ct"])
        #expect(custom.kind.hasStatus)
        #expect(custom.kind.isCustom && !custom.kind.isBuiltIn)
        #expect(custom.definition == "crontabs.stable.example.com")
    }

    @Test func aDefinitionNotYetEstablishedDefinesNothing() throws {
        #expect(CustomKind(definition: try YAML.parse(Self.crontabs)) == nil)
    }

    @Test func versionsSortAsKubernetesSortsThem() {
        let sorted = ["v1alpha1", "foo", "v2beta1", "v1", "v1beta2", "v2", "v1beta1", "bar"].sorted(by: APIVersionOrder.precedes)
        #expect(sorted == ["v2", "v1", "v2beta1", "v1beta2", "v1beta1", "v1alpha1", "bar", "foo"])
    }

    @Test func aValidDefinitionHasNoErrors() throws {
        #expect(CustomResourceDefinition.validate(try YAML.parse(Self.crontabs)) == [])
    }

    @Test func definitionErrorsSayWhatTheAPIServerSays() throws {
        let bad = try YAML.parse(
            """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: crontab.example}
            spec:
              group: example
              scope: Global
              names: {plural: crontabs}
              versions:
                - {name: v1, served: true, storage: false}
                - {name: v1, served: true, storage: false, schema: {openAPIV3Schema: {type: string}}}
            """)
        #expect(
            CustomResourceDefinition.validate(bad).map(\.description) == [
                "metadata.name: Invalid value: \"crontab.example\": must be spec.names.plural+\".\"+spec.group",
                "spec.group: Invalid value: \"example\": should be a domain with at least one dot",
                "spec.names.kind: Required value",
                "spec.scope: Unsupported value: \"Global\": supported values: \"Cluster\", \"Namespaced\"",
                "spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required",
                "spec.versions[1].name: Duplicate value: \"v1\"",
                "spec.versions[1].schema.openAPIV3Schema.type: Invalid value: \"string\": must be object at the root",
                "spec.versions: Invalid value: \"[{\\\"name\\\":\\\"v1\\\",\\\"served\\\":true,\\\"storage\\\":false},{\\\"name\\\":\\\"v1\\\",\\\"schema\\\":{\\\"openAPIV3Schema\\\":{\\\"type\\\":\\\"string\\\"}},\\\"served\\\":true,\\\"storage\\\":false}]\": must have exactly one version marked as storage version",
            ])
    }

    @Test func aSchemaMustBeStructural() throws {
        let schema: JSON = ["type": "object", "properties": ["spec": ["properties": ["a": ["type": "date"]]]]]
        #expect(
            CustomSchema.structuralErrors(schema, path: "s").map(\.description) == [
                "s.properties[spec].type: Required value: must not be empty for specified object fields",
                "s.properties[spec].properties[a].type: Unsupported value: \"date\": supported values: \"array\", \"boolean\", \"integer\", \"number\", \"object\", \"string\"",
            ])
    }

    @Test func objectsArePrunedToTheirSchemaExceptWherePreserved() throws {
        let custom = try #require(CustomKind(definition: try Self.established()))
        let schema = try #require(KindRegistry([custom]).schema(for: custom.kind, version: "v1"))
        let object: JSON = [
            "apiVersion": "stable.example.com/v1", "kind": "CronTab", "metadata": ["name": "a", "labels": ["x": "y"]],
            "spec": ["cronSpec": "* * * * */5", "typo": 1, "extra": ["anything": ["goes": true]]], "junk": "dropped",
        ]
        #expect(
            CustomSchema.prune(object, schema: schema) == [
                "apiVersion": "stable.example.com/v1", "kind": "CronTab", "metadata": ["name": "a", "labels": ["x": "y"]],
                "spec": ["cronSpec": "* * * * */5", "extra": ["anything": ["goes": true]]],
            ])
    }

    @Test func objectsAreValidatedWithKubeOpenAPIsMessages() throws {
        let custom = try #require(CustomKind(definition: try Self.established()))
        let schema = try #require(KindRegistry([custom]).schema(for: custom.kind, version: "v1"))
        let object: JSON = [
            "apiVersion": "stable.example.com/v1", "kind": "CronTab", "metadata": ["name": "a"],
            "spec": ["cronSpec": "every minute", "replicas": 15, "image": "a-very-long-image-name-indeed", "mode": "Medium"],
        ]
        #expect(
            CustomSchema.validate(object, schema: schema).map(\.description) == [
                "spec.cronSpec: Invalid value: \"every minute\": spec.cronSpec in body should match '^[0-9*/ ]+$'",
                "spec.image: Too long: may not be more than 20 bytes",
                "spec.mode: Unsupported value: \"Medium\": supported values: \"Fast\", \"Slow\"",
                "spec.replicas: Invalid value: 15: spec.replicas in body should be less than or equal to 10",
            ])
        let missing: JSON = ["spec": ["replicas": "three"]]
        #expect(
            CustomSchema.validate(missing, schema: schema).map(\.description) == [
                "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"",
                "spec.cronSpec: Required value",
            ])
    }

    @Test func theRegistryFindsCustomKindsByEveryName() throws {
        let registry = KindRegistry([try #require(CustomKind(definition: try Self.established()))])
        #expect(registry.lookup(apiVersion: "stable.example.com/v1beta1", kind: "CronTab")?.plural == "crontabs")
        #expect(registry.lookup(apiVersion: "stable.example.com/v2", kind: "CronTab") == nil)
        #expect(registry.kind(group: "stable.example.com", version: "v1", plural: "crontabs")?.kind == "CronTab")
        #expect(registry.named("ct")?.kind == "CronTab")
        #expect(registry.named("crontabs.stable.example.com")?.kind == "CronTab")
        #expect(registry.kind(keyName: "CronTab.stable.example.com")?.plural == "crontabs")
        #expect(registry.kind(keyName: "ConfigMap") == .configMap)
        #expect(KindRegistry().named("ct") == nil)
    }

    @Test func aConflictingNameIsNamedAsTheNamingControllerNamesIt() throws {
        let placementLike = try YAML.parse(
            """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: clusterstagedupdateruns.placement.kubernetes-fleet.io}
            spec:
              group: placement.kubernetes-fleet.io
              scope: Cluster
              names: {plural: clusterstagedupdateruns, kind: ClusterStagedUpdateRun}
            """)
        let taken = KindRegistry().kinds(inGroup: ResourceKind.placementGroup, except: "clusterstagedupdateruns.placement.kubernetes-fleet.io")
        #expect(
            CustomResourceDefinition.conflict(placementLike, taken: taken)?.message == "\"clusterstagedupdateruns\" is already in use")
        #expect(CustomResourceDefinition.conflict(try YAML.parse(Self.crontabs), taken: taken) == nil)
    }

    @Test func customColumnsReadTheirJSONPathAndLeaveWideOnesOut() throws {
        let custom = try #require(CustomKind(definition: try Self.established()))
        let columns = custom.kind.printerColumns
        #expect(columns.map(\.name) == ["NAME", "SPEC", "REPLICAS", "AGE"])
        #expect(columns.map(\.type) == ["string", "string", "integer", "date"])
        let object: JSON = [
            "metadata": ["name": "a", "creationTimestamp": "2025-07-22T21:25:00Z"], "spec": ["cronSpec": "* * * * */5", "replicas": 3],
        ]
        let now = try #require(KubeTime.parse("2025-07-22T21:30:00Z"))
        #expect(columns.map { $0.cell(object, now) } == ["a", "* * * * */5", "3", "5m"])
        let plain = try #require(CustomKind(definition: try Self.established(Self.crontabs.replacingOccurrences(of: "additionalPrinterColumns", with: "ignored"))))
        #expect(plain.kind.printerColumns.map(\.name) == ["NAME", "AGE"])
    }
}
