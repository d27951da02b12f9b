import Testing

@testable import Agent
@testable import FleetAPI

/// `whenToTakeOver` for an object the Work did not create.
@Suite struct TakeOverTests {
    let manifest = json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"app"},"data":{"key":"value1"}}"#)

    func strategy(_ text: String) throws -> ApplyStrategy {
        try ApplyStrategy(json(text))
    }

    @Test func alwaysTakesOver() throws {
        let live = json(#"{"metadata":{"name":"cm","namespace":"app","uid":"u1"},"data":{"key":"other"}}"#)
        #expect(TakeOver.decide(live: live, manifest: manifest, strategy: ApplyStrategy()) == .takeOver)
    }

    @Test func neverLeavesTheObjectAlone() throws {
        let live = json(#"{"metadata":{"name":"cm","namespace":"app"},"data":{"key":"value1"}}"#)
        #expect(
            TakeOver.decide(live: live, manifest: manifest, strategy: try strategy(#"{"whenToTakeOver":"Never"}"#))
                == .refuse(.notTakenOver("no ownership of the object in the member cluster; takeover is needed"), diffs: []))
    }

    @Test func ifNoDiffTakesOverAnIdenticalObject() throws {
        let live = json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"app","uid":"u1","resourceVersion":"7","labels":{"team":"a"}},"data":{"key":"value1"}}"#)
        // Partial comparison: a label the manifest does not set is no difference.
        #expect(TakeOver.decide(live: live, manifest: manifest, strategy: try strategy(#"{"whenToTakeOver":"IfNoDiff"}"#)) == .takeOver)
    }

    @Test func ifNoDiffRefusesADifferentObjectAndSaysWhere() throws {
        let live = json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"app"},"data":{"key":"value2"}}"#)
        #expect(
            TakeOver.decide(live: live, manifest: manifest, strategy: try strategy(#"{"whenToTakeOver":"IfNoDiff"}"#))
                == .refuse(
                    .failedToTakeOver(
                        "cannot take over object: configuration differences are found between the manifest object and "
                            + "the corresponding object in the member cluster"),
                    diffs: [PatchDetail(path: "/data/key", valueInMember: "value2", valueInHub: "value1")]))
    }

    @Test func ownedBySomeoneElseIsRefusedWithoutCoOwnership() throws {
        let live = json(#"{"metadata":{"name":"cm","namespace":"app","ownerReferences":[{"kind":"Deployment","name":"web","uid":"d1"}]}}"#)
        #expect(
            TakeOver.decide(live: live, manifest: manifest, strategy: ApplyStrategy())
                == .refuse(
                    .failedToTakeOver(
                        "failed to take over a pre-existing object: the object is already owned by some other sources(s) "
                            + "and co-ownership is disallowed (existingOwnerRefs: Deployment/web)"),
                    diffs: []))
        #expect(TakeOver.decide(live: live, manifest: manifest, strategy: try strategy(#"{"allowCoOwnership":true}"#)) == .takeOver)
    }

    @Test func applyStrategyRefusesUnknownValuesNamingTheField() {
        #expect(throws: ManifestError("spec.applyStrategy.whenToTakeOver: Unsupported value: \"Sometimes\"")) {
            try ApplyStrategy(json(#"{"whenToTakeOver":"Sometimes"}"#))
        }
        #expect(throws: ManifestError("spec.applyStrategy.type: Unsupported value: 3")) {
            try ApplyStrategy(json(#"{"type":3}"#))
        }
    }

    @Test func applyStrategyDefaultsAsKubeFleet() throws {
        let parsed = try ApplyStrategy(json(#"{"type":"ServerSideApply","serverSideApplyConfig":{"force":true}}"#))
        var expected = ApplyStrategy()
        expected.type = .serverSideApply
        expected.force = true
        #expect(parsed == expected)
        #expect(try ApplyStrategy(nil) == ApplyStrategy())
    }
}
