import Testing
@testable import Access

/// Requests read as the API server's `RequestInfo` reads them.
struct RequestAttributesTests {
    func parse(_ method: String, _ path: String, _ query: [String: String] = [:]) -> RequestAttributes {
        RequestAttributes.parse(method: method, path: path, query: query)
    }

    @Test func methodsAndPathsBecomeVerbsAndResources() {
        #expect(parse("GET", "/apis/placement.kubernetes-fleet.io/v1beta1/clusterstagedupdateruns")
            == RequestAttributes(verb: "list", apiGroup: "placement.kubernetes-fleet.io", apiVersion: "v1beta1", resource: "clusterstagedupdateruns"))
        #expect(parse("GET", "/apis/placement.kubernetes-fleet.io/v1beta1/clusterstagedupdateruns", ["watch": "true"]).verb == "watch")
        #expect(parse("DELETE", "/api/v1/namespaces/a/configmaps").verb == "deletecollection")
        #expect(parse("PATCH", "/apis/placement.kubernetes-fleet.io/v1beta1/namespaces/a/approvalrequests/r/status")
            == RequestAttributes(verb: "patch", apiGroup: "placement.kubernetes-fleet.io", apiVersion: "v1beta1", resource: "approvalrequests", subresource: "status", namespace: "a", name: "r"))
        #expect(parse("POST", "/api/v1/namespaces/a/serviceaccounts/sa/token")
            == RequestAttributes(verb: "create", apiVersion: "v1", resource: "serviceaccounts", subresource: "token", namespace: "a", name: "sa"))
    }

    @Test func aNamespaceIsInItsOwnNamespace() {
        #expect(parse("GET", "/api/v1/namespaces/a") == RequestAttributes(verb: "get", apiVersion: "v1", resource: "namespaces", namespace: "a", name: "a"))
        #expect(parse("GET", "/api/v1/namespaces") == RequestAttributes(verb: "list", apiVersion: "v1", resource: "namespaces"))
    }

    @Test func aListFilteredToOneNameNamesIt() {
        #expect(parse("GET", "/api/v1/namespaces/a/configmaps", ["fieldSelector": "metadata.name=settings"]).name == "settings")
    }

    @Test func everythingElseIsANonResourceRequest() {
        #expect(parse("GET", "/healthz") == .nonResource("get", path: "/healthz"))
        #expect(parse("GET", "/apis") == .nonResource("get", path: "/apis"))
        #expect(parse("GET", "/apis/placement.kubernetes-fleet.io") == .nonResource("get", path: "/apis/placement.kubernetes-fleet.io"))
        #expect(parse("GET", "/api/v1") == .nonResource("get", path: "/api/v1"))
    }
}
