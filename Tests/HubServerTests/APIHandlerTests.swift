import FleetAPI
import Foundation
import Testing
@testable import HubServer
@testable import Rollout

/// The API as kubectl meets it, request by request, without a socket.
struct APIHandlerTests {
    let hub: Hub
    let api: APIHandler
    let clock = ManualClock(KubeTime.parse("2025-07-22T21:25:00Z")!)

    init() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path
        hub = try Hub(path: path, clock: clock)
        api = APIHandler(hub: hub)
    }

    func call(
        _ method: String, _ path: String, query: [String: String] = [:], accept: String = "application/json",
        contentType: String = "application/json", body: String = ""
    ) async -> (Int, String, JSON) {
        let response = await api.handle(
            APIRequest(
                method: method, path: path, query: query,
                headers: ["accept": accept, "content-type": contentType, "user-agent": "kubectl/v1.32.4 (linux/amd64)"],
                body: Array(body.utf8)))
        return (response.status, response.contentType, (try? JSON.parse(response.bytes)) ?? .null)
    }

    func seedNamespace() async throws {
        try await hub.send(.apply(YAML.parse(SeedManifests.namespace)), actor: "test")
        try await hub.send(.apply(YAML.parse(SeedManifests.configMap(value: "value1"))), actor: "test")
    }

    @Test func aggregatedDiscoveryListsTheFleetKindsWithShortNames() async {
        let (status, contentType, body) = await call(
            "GET", "/apis", accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json")
        #expect(status == 200)
        #expect(contentType == "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
        let placement = body["items"]?.arrayValue?.first { $0[path: ["metadata", "name"]] == "placement.kubernetes-fleet.io" }
        let resources = placement?["versions"]?.arrayValue?.first?["resources"]?.arrayValue ?? []
        let csur = resources.first { $0["resource"] == "clusterstagedupdateruns" }
        #expect(csur?["shortNames"] == ["csur"])
        #expect(csur?["categories"] == ["fleet", "fleet-placement"])
        #expect(csur?["scope"] == "Cluster")
        #expect(placement?["versions"]?.arrayValue?.map { $0["version"] } == ["v1beta1", "v1"])
    }

    @Test func legacyDiscoveryAnswersPlainJSON() async {
        let (status, contentType, body) = await call("GET", "/apis")
        #expect(status == 200)
        #expect(contentType == "application/json")
        #expect(body["kind"] == "APIGroupList")
    }

    /// `timeoutSeconds` is an int64, as in the API server: an infinity or a number past int64 once trapped the
    /// server turning it into milliseconds.
    @Test func aWatchTimeoutThatIsNoWholeNumberOfSecondsIs400() async {
        for text in ["1e400", "nan", "99999999999999999999", "0.5", "abc"] {
            let (status, _, body) = await call("GET", "/api/v1/namespaces", query: ["watch": "true", "timeoutSeconds": text])
            #expect(status == 400)
            #expect(body["message"] == .string("timeoutSeconds: Invalid value: \"\(text)\": must be a whole number of seconds"))
        }
        #expect(await hub.watchCount == 0)
        let (status, _, _) = await call("GET", "/api/v1/namespaces", query: ["watch": "true", "timeoutSeconds": "-5"])
        #expect(status == 200)
    }

    @Test func aMissingObjectIsAKubernetesNotFound() async {
        let (status, _, body) = await call("GET", "/apis/placement.kubernetes-fleet.io/v1beta1/clusterstagedupdateruns/nope")
        #expect(status == 404)
        #expect(
            body == [
                "kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Failure", "reason": "NotFound",
                "code": 404, "message": "clusterstagedupdateruns.placement.kubernetes-fleet.io \"nope\" not found",
                "details": ["name": "nope", "group": "placement.kubernetes-fleet.io", "kind": "clusterstagedupdateruns"],
            ])
    }

    @Test func anInvalidObjectIs422WithCausesAndWritesNothing() async throws {
        let run = """
            {"apiVersion":"placement.kubernetes-fleet.io/v1beta1","kind":"ClusterStagedUpdateRun",
             "metadata":{"name":"r"},"spec":{"resourceSnapshotIndex":"1"}}
            """
        let (status, _, body) = await call("POST", "/apis/placement.kubernetes-fleet.io/v1beta1/clusterstagedupdateruns", body: run)
        #expect(status == 422)
        #expect(body["reason"] == "Invalid")
        #expect(
            body["message"]
                == "ClusterStagedUpdateRun.placement.kubernetes-fleet.io \"r\" is invalid: [spec.placementName: Required value, spec.stagedRolloutStrategyName: Required value]")
        #expect(body[path: ["details", "causes"]]?.arrayValue?.first == ["reason": "FieldValueRequired", "message": "Required value", "field": "spec.placementName"])
        #expect(hub.journal.lastSeq == 0)
    }

    @Test func unknownFieldsAreRefusedUnderStrictValidation() async throws {
        let bad = """
            {"apiVersion":"placement.kubernetes-fleet.io/v1beta1","kind":"ClusterStagedUpdateRun",
             "metadata":{"name":"r"},"spec":{"placementName":"p","stagedRolloutStrategyName":"s","placemnt":"x"}}
            """
        let (status, _, body) = await call(
            "POST", "/apis/placement.kubernetes-fleet.io/v1beta1/clusterstagedupdateruns", query: ["fieldValidation": "Strict"], body: bad)
        #expect(status == 400)
        #expect(body["message"]?.stringValue?.hasSuffix("strict decoding error: unknown field \"spec.placemnt\"") == true)
        #expect(hub.journal.lastSeq == 0)
    }

    @Test func creatingTwiceIsAlreadyExists() async throws {
        try await seedNamespace()
        let (status, _, body) = await call("POST", "/api/v1/namespaces", body: #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"test-namespace"}}"#)
        #expect(status == 409)
        #expect(body["reason"] == "AlreadyExists")
        #expect(body["message"] == "namespaces \"test-namespace\" already exists")
    }

    @Test func anUnknownBodyTypeIs415() async {
        let (status, _, body) = await call("POST", "/api/v1/namespaces", contentType: "text/csv", body: "a,b")
        #expect(status == 415)
        #expect(body["reason"] == "UnsupportedMediaType")
    }

    @Test func aStalePutIsAConflict() async throws {
        try await seedNamespace()
        let update = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"test-cm","namespace":"test-namespace","resourceVersion":"1"},"data":{"key":"x"}}"#
        let (status, _, body) = await call("PUT", "/api/v1/namespaces/test-namespace/configmaps/test-cm", body: update)
        #expect(status == 409)
        #expect(body["reason"] == "Conflict")
    }

    @Test func aNoOpPatchKeepsTheResourceVersion() async throws {
        try await seedNamespace()
        let path = "/api/v1/namespaces/test-namespace/configmaps/test-cm"
        let (_, _, before) = await call("GET", path)
        let (status, _, after) = await call("PATCH", path, contentType: "application/merge-patch+json", body: #"{"data":{"key":"value1"}}"#)
        #expect(status == 200)
        #expect(after[path: ["metadata", "resourceVersion"]] == before[path: ["metadata", "resourceVersion"]])
        let (_, _, changed) = await call("PATCH", path, contentType: "application/strategic-merge-patch+json", body: #"{"data":{"key":"value2"}}"#)
        #expect(changed["data"] == ["key": "value2"])
        #expect(changed[path: ["metadata", "resourceVersion"]] != before[path: ["metadata", "resourceVersion"]])
    }

    @Test func jsonPatchesApply() async throws {
        try await seedNamespace()
        let (status, _, body) = await call(
            "PATCH", "/api/v1/namespaces/test-namespace/configmaps/test-cm", contentType: "application/json-patch+json",
            body: #"[{"op":"add","path":"/data/extra","value":"1"}]"#)
        #expect(status == 200)
        #expect(body["data"] == ["key": "value1", "extra": "1"])
    }

    @Test func theStatusSubresourceIsTheOnlyWayToWriteStatus() async throws {
        let request = """
            {"apiVersion":"placement.kubernetes-fleet.io/v1beta1","kind":"ClusterApprovalRequest","metadata":{"name":"a"},
             "spec":{"parentStageRollout":"run","targetStage":"canary"}}
            """
        let base = "/apis/placement.kubernetes-fleet.io/v1beta1/clusterapprovalrequests"
        #expect(await call("POST", base, body: request).0 == 201)
        let approved = #"{"status":{"conditions":[{"type":"Approved","status":"True","reason":"ok","message":"lgtm","observedGeneration":1,"lastTransitionTime":"2025-07-22T21:30:00Z"}]}}"#
        let (_, _, ignored) = await call("PATCH", "\(base)/a", contentType: "application/merge-patch+json", body: approved)
        #expect(ignored["status"] == nil)
        let (status, _, written) = await call("PATCH", "\(base)/a/status", contentType: "application/merge-patch+json", body: approved)
        #expect(status == 200)
        #expect(written[path: ["status", "conditions"]]?.arrayValue?.first?["type"] == "Approved")
        let events = try hub.journal.readStream("ClusterApprovalRequest/a")
        #expect(events.map(\.type) == ["ObjectCreated.v1", "ObjectStatusUpdated.v1"])
        // Without authentication (`--insecure-http`) nobody is known: the journal says so rather than trust a header.
        #expect(events.map(\.actor) == ["system:anonymous", "system:anonymous"])
    }

    @Test func listsAnswerTablesWithTheSeedsColumnsAndRowMetadata() async throws {
        try await seedNamespace()
        let (status, contentType, table) = await call(
            "GET", "/api/v1/namespaces/test-namespace/configmaps", accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
        #expect(status == 200)
        #expect(contentType == "application/json;as=Table;v=v1;g=meta.k8s.io")
        #expect(table["columnDefinitions"]?.arrayValue?.map { $0["name"] } == ["Name", "Data", "Age"])
        let row = try #require(table["rows"]?.arrayValue?.first)
        #expect(row["cells"] == ["test-cm", "1", "0s"])
        #expect(row[path: ["object", "kind"]] == "PartialObjectMetadata")
        #expect(row[path: ["object", "metadata", "namespace"]] == "test-namespace")
    }

    @Test func selectorsFilterLists() async throws {
        for member in SeedManifests.members {
            try await hub.send(.apply(YAML.parse(SeedManifests.memberCluster(member.name, labels: member.labels))), actor: "test")
        }
        let base = "/apis/cluster.kubernetes-fleet.io/v1beta1/memberclusters"
        let names = { (body: JSON) in body["items"]?.arrayValue?.compactMap { $0[path: ["metadata", "name"]]?.stringValue } ?? [] }
        #expect(names(await call("GET", base, query: ["labelSelector": "environment=canary"]).2) == ["member1", "member3"])
        #expect(names(await call("GET", base, query: ["labelSelector": "environment in (staging),!order"]).2) == ["member2"])
        #expect(names(await call("GET", base, query: ["fieldSelector": "metadata.name=member3"]).2) == ["member3"])
    }

    @Test func aWatchFromAResourceVersionStreamsLaterChanges() async throws {
        try await seedNamespace()
        let since = hub.journal.lastSeq
        let response = await api.handle(
            APIRequest(method: "GET", path: "/api/v1/namespaces/test-namespace/configmaps", query: ["watch": "true", "resourceVersion": String(since)]))
        guard case .stream(let chunks) = response.body else {
            Issue.record("expected a stream")
            return
        }
        try await hub.send(.apply(YAML.parse(SeedManifests.configMap(value: "value2"))), actor: "test")
        var iterator = chunks.makeAsyncIterator()
        let line = try #require(await iterator.next())
        let event = try JSON.parse(line)
        #expect(event["type"] == "MODIFIED")
        #expect(event[path: ["object", "data"]] == ["key": "value2"])
    }

    @Test func protobufCreatesOfConfigMapsAreDecoded() async throws {
        try await hub.send(.apply(YAML.parse(SeedManifests.namespace)), actor: "test")
        let body: [UInt8] = [0x6b, 0x38, 0x73, 0x00] + message(1, string(1, "v1") + string(2, "ConfigMap"))
            + message(2, message(1, string(1, "test-cm") + string(3, "test-namespace")) + message(2, string(1, "key") + string(2, "value1")))
        let response = await api.handle(
            APIRequest(
                method: "POST", path: "/api/v1/namespaces/test-namespace/configmaps",
                headers: ["content-type": "application/vnd.kubernetes.protobuf"], body: body))
        #expect(response.status == 201)
        let created = try JSON.parse(response.bytes)
        #expect(created["data"] == ["key": "value1"])
    }

    func string(_ field: UInt8, _ text: String) -> [UInt8] { [field << 3 | 2, UInt8(text.utf8.count)] + Array(text.utf8) }
    func message(_ field: UInt8, _ bytes: [UInt8]) -> [UInt8] { [field << 3 | 2, UInt8(bytes.count)] + bytes }

    @Test func membersAreReadOnlyViewsOfWhatIsApplied() async throws {
        for member in SeedManifests.members {
            try await hub.send(.apply(YAML.parse(SeedManifests.memberCluster(member.name, labels: member.labels))), actor: "test")
        }
        let path = "/members/member1/api/v1/namespaces/test-namespace/configmaps/test-cm"
        #expect(await call("GET", path).0 == 404)
        #expect(await call("DELETE", path).0 == 405)
        #expect(await call("GET", "/members/nobody/api/v1/namespaces/test-namespace/configmaps").0 == 404)
    }

    @Test func theKubeconfigHasAHubContextAndOnePerMember() throws {
        let config = try YAML.parse(Kubeconfig.make(server: "http://127.0.0.1:7480/", members: ["member2", "member1"]))
        #expect(config["current-context"] == "hub")
        #expect(config["clusters"]?.arrayValue?.map { $0[path: ["cluster", "server"]] } == [
            "http://127.0.0.1:7480", "http://127.0.0.1:7480/members/member1", "http://127.0.0.1:7480/members/member2",
        ])
    }
}
