import FleetAPI
import Foundation
import Testing
@testable import HubServer
@testable import Rollout

/// Server-side apply over HTTP, as kubectl uses it: managed fields on every write, the 409 a conflicting apply gets,
/// `force`, and the request options the API server refuses.
extension APIHandlerTests {
    static let deployments = "/apis/apps/v1/namespaces/test-namespace/deployments"

    static func deployment(replicas: Int, image: String = "nginx:1.27") -> String {
        """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
         "spec":{"replicas":\(replicas),"selector":{"matchLabels":{"app":"web"}},
          "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"\(image)"}]}}}}
        """
    }

    func apply(_ body: String, manager: String?, force: Bool = false) async -> (Int, String, JSON) {
        var query = ["fieldValidation": "Strict", "force": String(force)]
        query["fieldManager"] = manager
        return await call("PATCH", "\(Self.deployments)/web", query: query, contentType: "application/apply-patch+yaml", body: body)
    }

    @Test func aConflictingApplyGetsTheAPIServers409AndWritesNothing() async throws {
        try await seedNamespace()
        let created = await apply(Self.deployment(replicas: 1), manager: "kubectl")
        #expect(created.0 == 201)
        let before = await hub.state.lastSeq
        let (status, _, body) = await apply(Self.deployment(replicas: 3), manager: "scaler")
        #expect(status == 409)
        #expect(
            body == [
                "kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Failure",
                "message": #"Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas"#, "reason": "Conflict",
                "details": ["causes": [["reason": "FieldManagerConflict", "message": #"conflict with "kubectl""#, "field": ".spec.replicas"]]],
                "code": 409,
            ])
        #expect(await hub.state.lastSeq == before)
        let forced = await apply(Self.deployment(replicas: 3), manager: "scaler", force: true)
        #expect(forced.0 == 200)
        #expect(forced.2[path: ["spec", "replicas"]] == 3)
        let managers = forced.2[path: ["metadata", "managedFields"]]?.arrayValue?.map { entry in
            "\(entry["manager"]?.stringValue ?? "") \(entry["operation"]?.stringValue ?? "") \(entry[path: ["fieldsV1", "f:spec", "f:replicas"]] != nil)"
        }
        #expect(managers == ["kubectl Apply false", "scaler Apply true"])
    }

    @Test func anApplyNeedsAFieldManagerAndOnlyAnApplyTakesForce() async throws {
        try await seedNamespace()
        let missing = await apply(Self.deployment(replicas: 1), manager: nil)
        #expect(missing.0 == 422)
        #expect(missing.2["message"] == #"PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch"#)
        #expect(missing.2[path: ["details", "causes"]] == [["reason": "FieldValueRequired", "message": "Required value: is required for apply patch", "field": "fieldManager"]])
        let forced = await call(
            "PATCH", "/api/v1/namespaces/test-namespace/configmaps/test-cm", query: ["force": "true"],
            contentType: "application/merge-patch+json", body: #"{"data":{"key":"value3"}}"#)
        #expect(forced.0 == 422)
        #expect(forced.2["message"] == #"PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch"#)
        #expect(await hub.render(ObjectKey(.configMap, namespace: "test-namespace", name: "test-cm"))?[path: ["data", "key"]] == "value1")
    }

    @Test func everyWriteIsRecordedAsItsManagersUpdate() async throws {
        try await seedNamespace()
        let created = await call("POST", "/api/v1/namespaces/test-namespace/configmaps", query: ["fieldManager": "kubectl-create"],
            body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1"}}"#)
        #expect(created.2[path: ["metadata", "managedFields"]] == [
            [
                "apiVersion": "v1", "fieldsType": "FieldsV1", "fieldsV1": ["f:data": ["f:a": .emptyObject]], "manager": "kubectl-create",
                "operation": "Update", "time": "2025-07-22T21:25:00Z",
            ]
        ])
        // No fieldManager: the User-Agent up to its first slash names the manager.
        let patched = await call(
            "PATCH", "/api/v1/namespaces/test-namespace/configmaps/c", contentType: "application/merge-patch+json", body: #"{"data":{"b":"2"}}"#)
        #expect(patched.2[path: ["metadata", "managedFields"]]?.arrayValue?.map { $0["manager"] } == ["kubectl", "kubectl-create"])
        #expect(patched.2[path: ["metadata", "managedFields"]]?.arrayValue?.first?["fieldsV1"] == ["f:data": ["f:b": .emptyObject]])
        let same = await call(
            "PATCH", "/api/v1/namespaces/test-namespace/configmaps/c", contentType: "application/merge-patch+json", body: #"{"data":{"b":"2"}}"#)
        #expect(same.2[path: ["metadata", "resourceVersion"]] == patched.2[path: ["metadata", "resourceVersion"]])
    }

    @Test func aStatusWriteIsRecordedUnderItsSubresource() async throws {
        try await seedNamespace()
        _ = await apply(Self.deployment(replicas: 1), manager: "kubectl")
        let (status, _, body) = await call(
            "PATCH", "\(Self.deployments)/web/status", query: ["fieldManager": "kube-controller-manager"],
            contentType: "application/merge-patch+json", body: #"{"status":{"replicas":1}}"#)
        #expect(status == 200)
        let entry = body[path: ["metadata", "managedFields"]]?.arrayValue?.first { $0["manager"] == "kube-controller-manager" }
        #expect(entry?["subresource"] == "status")
        #expect(entry?["fieldsV1"] == ["f:status": ["f:replicas": .emptyObject]])
    }
}
