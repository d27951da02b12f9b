import Foundation
import Testing

@testable import Agent
@testable import FleetAPI

/// The Work status the hub reads: KubeFleet's reasons, messages and generations.
@Suite struct WorkStatusTests {
    let now = KubeTime.format(t0)

    func build(_ outcomes: [ManifestOutcome], reportDiff: Bool = false, previous: JSON? = nil, at time: Date = t0) -> JSON {
        WorkStatus.build(previous: previous, generation: 3, reportDiff: reportDiff, outcomes: outcomes, now: time)
    }

    @Test func everythingAppliedAndAvailable() {
        let status = build([
            ManifestOutcome(identifier: identifier(0, "Namespace", name: "app", resource: "namespaces"), apply: .applied, availability: .available, memberGeneration: 0),
            ManifestOutcome(identifier: identifier(1), apply: .applied, availability: .available, memberGeneration: 0),
        ])
        #expect(status["conditions"] == json("""
            [{"type":"Applied","status":"True","reason":"AllManifestsApplied","message":"All the specified manifests have been applied","observedGeneration":3,"lastTransitionTime":"\(now)"},
             {"type":"Available","status":"True","reason":"AllManifestsAvailable","message":"All of the applied manifests are available","observedGeneration":3,"lastTransitionTime":"\(now)"}]
            """))
        #expect(status["manifestConditions"]?[array: 1] == json("""
            {"identifier":{"ordinal":1,"version":"v1","kind":"ConfigMap","resource":"configmaps","namespace":"app","name":"cm"},
             "conditions":[{"type":"Applied","status":"True","reason":"Applied","message":"Manifest has been applied successfully","lastTransitionTime":"\(now)"},
                           {"type":"Available","status":"True","reason":"Available","message":"Manifest is available","lastTransitionTime":"\(now)"}]}
            """))
    }

    @Test func aRefusedManifestCarriesTheServersMessage() {
        let status = build([
            ManifestOutcome(identifier: identifier(0), apply: .applied, availability: .available, memberGeneration: 0),
            ManifestOutcome(identifier: identifier(1, name: "bad"), apply: .failedToApply("failed to apply the manifest: ConfigMap \"bad\" is invalid: data: Too long")),
        ])
        #expect(status["conditions"] == json("""
            [{"type":"Applied","status":"False","reason":"SomeManifestsAreNotApplied","message":"Failed to apply all manifests (1 of 2 manifests are applied)","observedGeneration":3,"lastTransitionTime":"\(now)"}]
            """))
        #expect(status["manifestConditions"]?[array: 1]?["conditions"] == json("""
            [{"type":"Applied","status":"False","reason":"ManifestApplyFailed","message":"Failed to apply the manifest (error: failed to apply the manifest: ConfigMap \\"bad\\" is invalid: data: Too long)","lastTransitionTime":"\(now)"}]
            """))
    }

    @Test func untrackableAndPendingManifests() {
        let untrackable = build([
            ManifestOutcome(identifier: identifier(0, "CronTab", group: "stable.example.com", resource: "crontabs"), apply: .applied, availability: .notTrackable, memberGeneration: 1),
        ])
        #expect(untrackable["conditions"]?[array: 1] == json("""
            {"type":"Available","status":"True","reason":"WorkNotTrackable","message":"Some of the applied manifests cannot be tracked for availability","observedGeneration":3,"lastTransitionTime":"\(now)"}
            """))
        let pending = build([
            ManifestOutcome(identifier: identifier(0, "Deployment", group: "apps", resource: "deployments"), apply: .applied, availability: .notYetAvailable, memberGeneration: 2),
            ManifestOutcome(identifier: identifier(1), apply: .applied, availability: .available, memberGeneration: 0),
        ])
        #expect(pending["conditions"]?[array: 1] == json("""
            {"type":"Available","status":"False","reason":"SomeManifestsAreNotAvailable","message":"Some manifests are not available (1 of 2 manifests are available)","observedGeneration":3,"lastTransitionTime":"\(now)"}
            """))
        #expect(pending["manifestConditions"]?[array: 0]?["conditions"]?[array: 1] == json("""
            {"type":"Available","status":"False","reason":"ManifestNotAvailableYet","message":"Manifest is not yet available; Fleet will check again later","observedGeneration":2,"lastTransitionTime":"\(now)"}
            """))
    }

    @Test func reportDiffSetsOnlyDiffReported() {
        let status = build([
            ManifestOutcome(identifier: identifier(0), apply: .foundDiff, memberGeneration: 0, diffs: [PatchDetail(path: "/data/key", valueInMember: "value2", valueInHub: "value1")]),
            ManifestOutcome(identifier: identifier(1, name: "new"), apply: .foundDiff, diffs: [PatchDetail(path: "/", valueInMember: nil, valueInHub: "(the whole object)")]),
        ], reportDiff: true)
        #expect(status["conditions"] == json("""
            [{"type":"DiffReported","status":"True","reason":"AllManifestsDiffReported","message":"All the specified manifests have reported diff","observedGeneration":3,"lastTransitionTime":"\(now)"}]
            """))
        #expect(status["manifestConditions"]?[array: 0] == json("""
            {"identifier":{"ordinal":0,"version":"v1","kind":"ConfigMap","resource":"configmaps","namespace":"app","name":"cm"},
             "conditions":[{"type":"DiffReported","status":"True","reason":"FoundDiff","message":"Diff has been found between the hub cluster and the member cluster","lastTransitionTime":"\(now)"}],
             "diffDetails":{"observationTime":"\(now)","firstDiffedObservedTime":"\(now)","observedInMemberClusterGeneration":0,
                            "observedDiffs":[{"path":"/data/key","valueInMember":"value2","valueInHub":"value1"}]}}
            """))
        #expect(status["manifestConditions"]?[array: 1]?["diffDetails"]?["observedInMemberClusterGeneration"] == .null)
    }

    @Test func transitionTimesHoldWhileTheStatusHolds() {
        let outcomes = [ManifestOutcome(identifier: identifier(0), apply: .applied, availability: .available, memberGeneration: 0)]
        let first = build(outcomes)
        let later = t0.addingTimeInterval(60)
        let second = build(outcomes, previous: first, at: later)
        #expect(second == first)
        #expect(WorkStatus.sameExceptTimes(first, second))
        let failed = build([ManifestOutcome(identifier: identifier(0), apply: .failedToApply("boom"))], previous: first, at: later)
        #expect(failed["conditions"]?[array: 0]?["lastTransitionTime"] == .string(KubeTime.format(later)))
        #expect(!WorkStatus.sameExceptTimes(first, failed))
    }
}

extension WorkStatusTests {
    @Test func aFailureRemovesAvailableAsKubeFleetDoes() {
        let available = build([ManifestOutcome(identifier: identifier(0), apply: .applied, availability: .available, memberGeneration: 0)])
        let failed = build([ManifestOutcome(identifier: identifier(0), apply: .failedToApply("boom"))], previous: available)
        #expect(failed["conditions"]?.arrayValue?.compactMap { $0["type"]?.stringValue } == ["Applied"])
        #expect(failed["manifestConditions"]?[array: 0]?["conditions"]?.arrayValue?.compactMap { $0["type"]?.stringValue } == ["Applied"])
    }
}

extension JSON {
    subscript(array index: Int) -> JSON? {
        guard let items = arrayValue, index < items.count else { return nil }
        return items[index]
    }
}
