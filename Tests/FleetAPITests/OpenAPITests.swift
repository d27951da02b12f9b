import Foundation
import Testing
@testable import FleetAPI

/// The `/openapi/v3` documents give kubectl what its default `--validate=strict` and `explain` look for, and
/// strict field validation accepts the seed's manifests while naming typos.
struct OpenAPITests {
    static let servedPairs: [(kind: ResourceKind, version: String)] = ResourceKind.all.flatMap { kind in
        kind.versions.map { (kind, $0) }
    }
    static let servedKinds = servedPairs.map(\.kind)
    static let servedVersions = servedPairs.map(\.version)

    static func groupVersionPath(_ kind: ResourceKind, _ version: String) -> String {
        kind.group.isEmpty ? "api/\(version)" : "apis/\(kind.group)/\(version)"
    }

    static func gvk(_ kind: ResourceKind, _ version: String) -> JSON {
        ["group": .string(kind.group), "version": .string(version), "kind": .string(kind.kind)]
    }

    // MARK: Documents

    @Test func theIndexListsEveryGroupVersion() {
        let paths = OpenAPIDocuments.index()["paths"]?.objectValue ?? [:]
        let expected = Set(Self.servedPairs.map { Self.groupVersionPath($0.kind, $0.version) })
        #expect(Set(paths.keys) == expected)
        #expect(expected.contains("api/v1"))
        #expect(expected.contains("apis/placement.kubernetes-fleet.io/v1beta1"))
        #expect(expected.contains("apis/placement.kubernetes-fleet.io/v1"))
        for (path, entry) in paths {
            #expect(entry["serverRelativeURL"] == .string("/openapi/v3/\(path)"))
            #expect(OpenAPIDocuments.document(groupVersion: path)?["openapi"] == "3.0.0")
        }
    }

    @Test func unservedGroupVersionsHaveNoDocument() {
        #expect(OpenAPIDocuments.document(groupVersion: "apis/placement.kubernetes-fleet.io/v2") == nil)
        #expect(OpenAPIDocuments.document(groupVersion: "apis/example.com/v1") == nil)
        #expect(OpenAPIDocuments.document(groupVersion: "api/v2") == nil)
        #expect(OpenAPIDocuments.document(groupVersion: "/apis/apps/v1") != nil)
    }

    /// kubectl sends `?fieldValidation=Strict` instead of validating client-side only when the first PATCH it
    /// finds for the object's kind lists that parameter, so there must be exactly one per kind.
    @Test(arguments: zip(OpenAPITests.servedKinds, OpenAPITests.servedVersions))
    func everyKindHasOnePatchOperationWithFieldValidation(kind: ResourceKind, version: String) throws {
        let document = try #require(OpenAPIDocuments.document(groupVersion: Self.groupVersionPath(kind, version)))
        let patches = (document["paths"]?.objectValue ?? [:]).values.compactMap { $0["patch"] }
            .filter { $0["x-kubernetes-group-version-kind"] == Self.gvk(kind, version) }
        try #require(patches.count == 1)
        let patch = patches[0]
        let queries = (patch["parameters"]?.arrayValue ?? []).filter { $0["in"] == "query" }
        #expect(queries.contains { $0["name"] == "fieldValidation" })
        let contentTypes = Set((patch[path: ["requestBody", "content"]]?.objectValue ?? [:]).keys)
        var expected: Set = [
            "application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml",
        ]
        if kind.isBuiltIn { expected.insert("application/strategic-merge-patch+json") }
        #expect(contentTypes == expected)
    }

    @Test(arguments: zip(OpenAPITests.servedKinds, OpenAPITests.servedVersions))
    func everyKindHasItsPaths(kind: ResourceKind, version: String) throws {
        let paths = try #require(
            OpenAPIDocuments.document(groupVersion: Self.groupVersionPath(kind, version))?["paths"])
        let root = "/" + Self.groupVersionPath(kind, version)
        let collection = kind.namespaced ? "\(root)/namespaces/{namespace}/\(kind.plural)" : "\(root)/\(kind.plural)"
        #expect(Set((paths[collection]?.objectValue ?? [:]).keys) == ["get", "post", "parameters"])
        #expect(
            Set((paths["\(collection)/{name}"]?.objectValue ?? [:]).keys)
                == ["get", "put", "patch", "delete", "parameters"])
        #expect((paths["\(collection)/{name}/status"] != nil) == kind.hasStatus)
        #expect(paths["\(collection)/{name}/status"]?["patch"]?["x-kubernetes-group-version-kind"] == nil)
    }

    /// `kubectl explain` finds a kind's schema by the `x-kubernetes-group-version-kind` of its component.
    @Test(arguments: zip(OpenAPITests.servedKinds, OpenAPITests.servedVersions))
    func everyKindHasAComponentSchema(kind: ResourceKind, version: String) throws {
        let document = try #require(OpenAPIDocuments.document(groupVersion: Self.groupVersionPath(kind, version)))
        let schemas = (document[path: ["components", "schemas"]]?.objectValue ?? [:]).filter {
            $0.value["x-kubernetes-group-version-kind"] == [Self.gvk(kind, version)]
        }
        try #require(schemas.count == 1)
        let (name, schema) = schemas.first!
        #expect(name.hasSuffix(".\(version).\(kind.kind)"))
        #expect(schema["type"] == "object")
        for field in ["apiVersion", "kind", "metadata"] {
            #expect(schema[path: ["properties", field]] != nil)
        }
        #expect(
            schema[path: ["properties", "metadata", "allOf"]]
                == [["$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]])
    }

    @Test func componentsAreNamedLikeKubernetes() throws {
        let core = try #require(OpenAPIDocuments.document(groupVersion: "api/v1")?[path: ["components", "schemas"]])
        #expect(core["io.k8s.api.core.v1.ConfigMap"] != nil)
        #expect(core["io.k8s.api.core.v1.ConfigMapList"] != nil)
        let fleet = try #require(
            OpenAPIDocuments.document(groupVersion: "apis/placement.kubernetes-fleet.io/v1beta1")?[
                path: ["components", "schemas"]])
        #expect(fleet["io.kubernetes-fleet.placement.v1beta1.ClusterStagedUpdateRun"] != nil)
        for shared in ["ObjectMeta", "Condition", "LabelSelector"] {
            #expect(fleet["io.k8s.apimachinery.pkg.apis.meta.v1.\(shared)"] != nil)
        }
    }

    @Test func everyReferenceResolvesWithinItsDocument() {
        for (path, _) in OpenAPIDocuments.index()["paths"]?.objectValue ?? [:] {
            let document = OpenAPIDocuments.document(groupVersion: path) ?? .null
            let schemas = document[path: ["components", "schemas"]]?.objectValue ?? [:]
            for ref in Self.values(named: "$ref", in: document) {
                let name = ref.stringValue?.split(separator: "/").last.map(String.init) ?? ""
                #expect(schemas[name] != nil, "\(path): \(ref)")
            }
        }
    }

    /// `kubectl explain` prints each field's description.
    @Test func everyFieldIsDescribed() {
        for (path, _) in OpenAPIDocuments.index()["paths"]?.objectValue ?? [:] {
            let schemas = OpenAPIDocuments.document(groupVersion: path)?[path: ["components", "schemas"]]?.objectValue
            for (name, schema) in schemas ?? [:] {
                #expect(Self.undescribedFields(schema, at: name) == [])
            }
        }
    }

    static func undescribedFields(_ schema: JSON, at path: String) -> [String] {
        var missing: [String] = []
        for (field, property) in schema["properties"]?.objectValue ?? [:] {
            if (property["description"]?.stringValue ?? "").isEmpty { missing.append("\(path).\(field)") }
            missing += undescribedFields(property, at: "\(path).\(field)")
        }
        for nested in [schema["items"], schema["additionalProperties"]].compactMap({ $0 }) {
            missing += undescribedFields(nested, at: "\(path)[]")
        }
        return missing
    }

    @Test func theStrategySchemaCarriesKubeFleetsRules() throws {
        let spec = try #require(
            KindSchemas.schema(for: .clusterStagedUpdateStrategy, version: "v1beta1")?[
                path: ["properties", "spec"]])
        let stages = try #require(spec[path: ["properties", "stages"]])
        #expect(stages["maxItems"] == 31)
        let stage = try #require(stages[path: ["items", "properties"]])
        #expect(stage[path: ["name", "pattern"]] == "^[a-z0-9]+$")
        #expect(stage[path: ["name", "maxLength"]] == 63)
        #expect(stage[path: ["maxConcurrency", "x-kubernetes-int-or-string"]] == true)
        #expect(stage[path: ["afterStageTasks", "maxItems"]] == 3)
        // KubeFleet's limits, plus one for each of Flotilla's gates (validation keeps KubeFleet's without them).
        #expect(stage[path: ["beforeStageTasks", "maxItems"]] == 3)
        #expect(stage[path: ["afterStageTasks", "items", "properties", "type", "enum"]] == ["TimedWait", "Approval", "ScheduleWindow", "MetricGate"])
        let run = try #require(KindSchemas.schema(for: .stagedUpdateRun, version: "v1")?[path: ["properties", "spec"]])
        #expect(run[path: ["properties", "state", "enum"]] == ["Initialize", "Run", "Stop"])
        #expect(run["required"] == ["placementName", "stagedRolloutStrategyName"])
    }

    /// Flotilla's schedule window is declared in both served versions, so strict validation and `kubectl explain`
    /// know it.
    @Test(arguments: ["v1beta1", "v1"])
    func aScheduleWindowIsDeclaredInEitherVersion(_ version: String) throws {
        let strategy = """
            apiVersion: placement.kubernetes-fleet.io/\(version)
            kind: ClusterStagedUpdateStrategy
            metadata:
              name: s
            spec:
              stages:
                - name: prod
                  beforeStageTasks:
                    - type: ScheduleWindow
                      scheduleWindow: {schedule: "0 9 * * 1-5", duration: 2h, timeZone: Europe/Paris, deny: false}
            """
        #expect(try unknownFields(strategy) == [])
        let window = try #require(
            KindSchemas.schema(for: .clusterStagedUpdateStrategy, version: version)?[
                path: ["properties", "spec", "properties", "stages", "items", "properties", "beforeStageTasks", "items",
                    "properties", "scheduleWindow"]])
        #expect(window["required"] == ["schedule", "duration"])
        #expect(window["properties"]?.objectValue?.keys.sorted() == ["deny", "duration", "schedule", "timeZone"])
    }

    static func values(named key: String, in json: JSON) -> [JSON] {
        switch json {
        case .object(let members):
            return members.flatMap { name, value in (name == key ? [value] : []) + values(named: key, in: value) }
        case .array(let elements):
            return elements.flatMap { values(named: key, in: $0) }
        default:
            return []
        }
    }

    // MARK: Strict field validation

    func unknownFields(_ yaml: String) throws -> [String] {
        let object = try YAML.parse(yaml)
        let apiVersion = try #require(object["apiVersion"]?.stringValue)
        let kind = try #require(ResourceKind.lookup(apiVersion: apiVersion, kind: object["kind"]?.stringValue ?? ""))
        let version = String(apiVersion.split(separator: "/").last ?? "")
        return SchemaValidator.unknownFields(in: object, kind: kind, version: version)
    }

    @Test(arguments: [
        SeedManifests.placement, SeedManifests.strategy, SeedManifests.run, OpenAPISeed.runWithStatus, OpenAPISeed.snapshot,
        OpenAPISeed.configMap, OpenAPISeed.namespace,
        OpenAPISeed.approvalRequest, OpenAPISeed.memberCluster,
    ])
    func seedManifestsHaveNoUnknownFields(_ yaml: String) throws {
        #expect(try unknownFields(yaml) == [])
    }

    @Test func typosAreReportedWithTheirPath() throws {
        let strategy = SeedManifests.strategy.replacingOccurrences(
            of: "    - name: staging\n", with: "    - name: staging\n      foo: bar\n")
        #expect(try unknownFields(strategy) == ["spec.stages[0].foo"])
        let run = SeedManifests.run.replacingOccurrences(of: "placementName", with: "placemntName")
        #expect(try unknownFields(run) == ["spec.placemntName"])
        let extra = OpenAPISeed.configMap + "\nextra: 1\nmetadata2: {}\n"
        #expect(try unknownFields(extra) == ["extra", "metadata2"])
        let meta = OpenAPISeed.namespace.replacingOccurrences(
            of: "  name: test-namespace", with: "  name: test-namespace\n  nmae: x")
        #expect(try unknownFields(meta) == ["metadata.nmae"])
        let status = OpenAPISeed.runWithStatus.replacingOccurrences(
            of: "    - clusterName: member2", with: "    - clusterName: member2\n      color: red")
        #expect(try unknownFields(status) == ["status.stagesStatus[0].clusters[0].color"])
    }

    @Test func mapsAndKeptSubtreesAcceptAnyKey() throws {
        let deployment = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: test-namespace, labels: {anything: goes}}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: nginx}]}}
              unlistedButKept: true
            status: {availableReplicas: 2, somethingNew: 1}
            """
        #expect(try unknownFields(deployment) == [])
        let selectorTypo = deployment.replacingOccurrences(
            of: "{matchLabels: {app: web}}", with: "{matchLabel: {app: web}}")
        #expect(try unknownFields(selectorTypo) == ["spec.selector.matchLabel"])
        let placement = SeedManifests.placement.replacingOccurrences(
            of: "placementType: PickAll", with: "placementType: PickAll\n    affinity: {clusterAffinity: {anything: {}}}")
        #expect(try unknownFields(placement) == [])
    }

    @Test func unservedVersionsReportNothing() {
        #expect(SchemaValidator.unknownFields(in: ["foo": 1], kind: .memberCluster, version: "v1") == [])
    }
}

/// Manifests and `kubectl get -o yaml` output from the seed tutorial (`../shared/seed`).
enum OpenAPISeed {
    /// The seed's run as the API server stores it, with the seed's status.
    static let runWithStatus =
        SeedManifests.run.replacingOccurrences(
            of: "  name: example-run",
            with: """
                  name: example-run
                  uid: 6f0c2f9e-2a7b-4c55-9d3e-3c1d2b7a9e10
                  resourceVersion: "42"
                  generation: 1
                  creationTimestamp: "2025-07-22T21:28:08Z"
                  finalizers:
                  - kubernetes-fleet.io/stagedupdaterun-finalizer
                """)
        + "\nstatus:\n" + SeedManifests.runStatus.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")

    static let snapshot = """
        apiVersion: placement.kubernetes-fleet.io/v1
        kind: ClusterResourceSnapshot
        metadata:
          annotations:
            kubernetes-fleet.io/number-of-enveloped-object: "0"
            kubernetes-fleet.io/number-of-resource-snapshots: "1"
            kubernetes-fleet.io/resource-hash: 10dd7a3d1e5f9849afe956cfbac080a60671ad771e9bda7dd34415f867c75648
          creationTimestamp: "2025-07-22T21:26:54Z"
          generation: 1
          labels:
            kubernetes-fleet.io/is-latest-snapshot: "true"
            kubernetes-fleet.io/parent-CRP: example-placement
            kubernetes-fleet.io/resource-index: "1"
          name: example-placement-1-snapshot
          ownerReferences:
          - apiVersion: placement.kubernetes-fleet.io/v1beta1
            blockOwnerDeletion: true
            controller: true
            kind: ClusterResourcePlacement
            name: example-placement
            uid: e7d59513-b3b6-4904-864a-c70678fd6f65
          resourceVersion: "19994"
          uid: 79ca0bdc-0b0a-4c40-b136-7f701e85cdb6
        spec:
          selectedResources:
          - apiVersion: v1
            kind: Namespace
            metadata:
              labels:
                kubernetes.io/metadata.name: test-namespace
              name: test-namespace
            spec:
              finalizers:
              - kubernetes
          - apiVersion: v1
            data:
              key: value2
            kind: ConfigMap
            metadata:
              name: test-cm
              namespace: test-namespace
        """

    static let configMap = """
        apiVersion: v1
        data:
          key: value2
        kind: ConfigMap
        metadata:
          creationTimestamp: "2025-07-22T21:26:54Z"
          name: test-cm
          namespace: test-namespace
          resourceVersion: "19990"
          uid: 0c6f1a52-8d0e-4f57-b0d9-0c3b8e3f2a11
        """

    static let namespace = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: test-namespace
          labels:
            kubernetes.io/metadata.name: test-namespace
        spec:
          finalizers:
          - kubernetes
        status:
          phase: Active
        """

    /// The approval request the run created, after `kubectl patch --subresource=status` with approval.json.
    static let approvalRequest = """
        apiVersion: placement.kubernetes-fleet.io/v1beta1
        kind: ClusterApprovalRequest
        metadata:
          name: example-run-canary
          labels:
            kubernetes-fleet.io/targetUpdatingStage: canary
            kubernetes-fleet.io/targetUpdateRun: example-run
            kubernetes-fleet.io/isLatestUpdateRunApproval: "true"
        spec:
          parentStageRollout: example-run
          targetStage: canary
        status:
          conditions:
          - lastTransitionTime: "2025-07-22T21:31:00Z"
            message: lgtm
            observedGeneration: 1
            reason: testPassed
            status: "True"
            type: Approved
        """

    static let memberCluster = """
        apiVersion: cluster.kubernetes-fleet.io/v1beta1
        kind: MemberCluster
        metadata:
          name: member1
          labels:
            environment: canary
            order: "2"
        spec:
          identity:
            kind: ServiceAccount
            name: fleet-member-agent-member1
            namespace: fleet-system
          heartbeatPeriodSeconds: 60
        """
}
