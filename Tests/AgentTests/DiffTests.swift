import Testing

@testable import Agent
@testable import FleetAPI

/// What ReportDiff and IfNoDiff report: JSON-pointer paths and Go-printed values.
@Suite struct DiffTests {
    let hub = json(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"app","labels":{"app":"web"}},"spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}"#)

    @Test func partialComparisonLooksOnlyAtWhatTheManifestSets() {
        let member = json(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"app","uid":"x","resourceVersion":"9","generation":4,"labels":{"app":"web"},"annotations":{"deployment.kubernetes.io/revision":"2"}},"spec":{"replicas":5,"paused":false,"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.26","imagePullPolicy":"Always"}]}}},"status":{"replicas":5}}"#)
        #expect(
            ManifestDiff.diff(hub: hub, member: member, full: false) == [
                PatchDetail(path: "/spec/replicas", valueInMember: "5", valueInHub: "3"),
                PatchDetail(path: "/spec/template/spec/containers/0/image", valueInMember: "nginx:1.26", valueInHub: "nginx:1.27"),
            ])
    }

    @Test func fullComparisonAlsoReportsWhatOnlyTheMemberHas() {
        let member = json(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"app","uid":"x","labels":{"app":"web","extra":"yes"},"annotations":{"kubernetes-fleet.io/spec-hash":"abc"}},"spec":{"replicas":3,"paused":false,"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}"#)
        #expect(
            ManifestDiff.diff(hub: hub, member: member, full: true) == [
                PatchDetail(path: "/metadata/labels/extra", valueInMember: "yes", valueInHub: nil),
                PatchDetail(path: "/spec/paused", valueInMember: "false", valueInHub: nil),
            ])
    }

    @Test func missingFieldsAndListsAreReported() {
        let member = json(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"app"},"spec":{"replicas":3.0,"template":{"spec":{"containers":[]}}}}"#)
        #expect(
            ManifestDiff.diff(hub: hub, member: member, full: false) == [
                PatchDetail(path: "/metadata/labels", valueInMember: nil, valueInHub: "map[app:web]"),
                PatchDetail(path: "/spec/template/spec/containers", valueInMember: "[]", valueInHub: "[map[image:nginx:1.27 name:web]]"),
            ])
    }

    @Test func threeWayMergeSetsChangesAndDeletesWhatWasDropped() {
        let last = json(#"{"data":{"a":"1","b":"2"},"metadata":{"labels":{"x":"y"}}}"#)
        let manifest = json(#"{"data":{"a":"1","c":"3"},"metadata":{"labels":{"x":"z"}}}"#)
        let live = json(#"{"data":{"a":"1","b":"2","d":"kept"},"metadata":{"labels":{"x":"y"},"uid":"u"}}"#)
        #expect(
            ThreeWayMerge.patch(lastApplied: last, manifest: manifest, live: live)
                == json(#"{"data":{"b":null,"c":"3"},"metadata":{"labels":{"x":"z"}}}"#))
        #expect(ThreeWayMerge.patch(lastApplied: manifest, manifest: manifest, live: MergePatch.apply(manifest, to: live)) == json("{}"))
    }
}
