import Testing

@testable import Agent
@testable import FleetAPI

/// An object the Work already applied this manifest to: left alone, applied again, or reported as drifted.
@Suite struct DriftTests {
    let manifest = json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"app"},"data":{"key":"value1"}}"#)
    let unchanged = json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"app","uid":"u","labels":{"added":"by-someone"}},"data":{"key":"value1"}}"#)
    let drifted = json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"app","uid":"u"},"data":{"key":"edited"}}"#)

    func strategy(_ text: String) throws -> ApplyStrategy { try ApplyStrategy(json(text)) }

    @Test func anUnchangedObjectIsNotWritten() throws {
        #expect(Drift.decide(live: unchanged, manifest: manifest, strategy: ApplyStrategy()) == .upToDate)
        #expect(Drift.decide(live: unchanged, manifest: manifest, strategy: try strategy(#"{"whenToApply":"IfNotDrifted"}"#)) == .upToDate)
    }

    @Test func alwaysCorrectsADrift() {
        #expect(Drift.decide(live: drifted, manifest: manifest, strategy: ApplyStrategy()) == .reapply)
    }

    @Test func ifNotDriftedReportsTheDrift() throws {
        #expect(
            Drift.decide(live: drifted, manifest: manifest, strategy: try strategy(#"{"whenToApply":"IfNotDrifted"}"#))
                == .refuse([PatchDetail(path: "/data/key", valueInMember: "edited", valueInHub: "value1")]))
        // Full comparison counts what someone added too.
        #expect(
            Drift.decide(
                live: unchanged, manifest: manifest,
                strategy: try strategy(#"{"whenToApply":"IfNotDrifted","comparisonOption":"FullComparison"}"#))
                == .refuse([PatchDetail(path: "/metadata/labels", valueInMember: "map[added:by-someone]", valueInHub: nil)]))
    }

    @Test func driftsAreReportedInTheStatus() {
        let status = WorkStatus.build(
            previous: nil, generation: 2, reportDiff: false,
            outcomes: [ManifestOutcome(
                identifier: identifier(0), apply: .foundDrifts("cannot apply manifest: drifts are found between the manifest and the object from the member cluster"),
                memberGeneration: 0, drifts: [PatchDetail(path: "/data/key", valueInMember: "edited", valueInHub: "value1")])],
            now: t0)
        let now = KubeTime.format(t0)
        #expect(status["manifestConditions"]?[array: 0] == json("""
            {"identifier":{"ordinal":0,"version":"v1","kind":"ConfigMap","resource":"configmaps","namespace":"app","name":"cm"},
             "conditions":[{"type":"Applied","status":"False","reason":"FoundDrifts","message":"Failed to apply the manifest (error: cannot apply manifest: drifts are found between the manifest and the object from the member cluster)","lastTransitionTime":"\(now)"}],
             "driftDetails":{"observationTime":"\(now)","firstDriftedObservedTime":"\(now)","observedInMemberClusterGeneration":0,
                             "observedDrifts":[{"path":"/data/key","valueInMember":"edited","valueInHub":"value1"}]}}
            """))
    }
}
