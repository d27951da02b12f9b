import Testing

@testable import Agent

/// KubeFleet's apply waves: the table of `waves.go`, and a plan keeping the Work's order within each wave.
@Suite struct WavesTests {
    @Test func assignsKubeFleetsWaves() {
        #expect(ApplyWaves.wave(group: "", resource: "namespaces") == 0)
        #expect(ApplyWaves.wave(group: "apiextensions.k8s.io", resource: "customresourcedefinitions") == 1)
        #expect(ApplyWaves.wave(group: "", resource: "configmaps") == 1)
        #expect(ApplyWaves.wave(group: "rbac.authorization.k8s.io", resource: "roles") == 2)
        #expect(ApplyWaves.wave(group: "rbac.authorization.k8s.io", resource: "rolebindings") == 3)
        #expect(ApplyWaves.wave(group: "apps", resource: "deployments") == 4)
        #expect(ApplyWaves.wave(group: "admissionregistration.k8s.io", resource: "validatingwebhookconfigurations") == 5)
    }

    @Test func putsCustomAndMisgroupedKindsLast() {
        #expect(ApplyWaves.wave(group: "stable.example.com", resource: "crontabs") == 999)
        // The same plural in another group is not the built-in kind.
        #expect(ApplyWaves.wave(group: "example.com", resource: "deployments") == 999)
        #expect(ApplyWaves.wave(group: "", resource: "") == 999)
    }

    @Test func plansNamespacesThenDefinitionsThenTheRest() {
        let manifests = [
            ("stable.example.com", "crontabs"), ("apps", "deployments"), ("", "configmaps"),
            ("apiextensions.k8s.io", "customresourcedefinitions"), ("", "namespaces"), ("", "services"),
        ]
        #expect(ApplyWaves.plan(manifests, group: \.0, resource: \.1) == [[4], [2, 3], [1, 5], [0]])
    }
}
