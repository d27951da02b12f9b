import FleetAPI
import Foundation
import Testing

@testable import Rollout

/// Start-up reads a checkpoint's objects, members and placements directly (`HubState+BinaryReading`); these show it
/// gives what `init(from:)` gives, field for field, and refuses an image holding a field it would leave out.
@Suite struct CheckpointReadingTests {
    /// The seed's fleet part way through a run, with every optional field of the directly read types set.
    static func fullState() throws -> HubState {
        var scenario = try Fixtures.seedFleet()
        try scenario.apply(Fixtures.runManifest(index: "0"))
        scenario.settle()
        scenario.pass(15)
        scenario.memberApplied("member2", index: 0, untrackable: true)
        scenario.settle()
        var state = scenario.state
        let placement = Fixtures.placementKey
        state.placements[placement]!.decisions = [["clusterName": "member2", "selected": true]]
        state.placements[placement]!.policyIndex = 3
        state.placements[placement]!.latestResourceIndex = 0
        state.placements[placement]!.scheduledAt = scenario.now
        state.placements[placement]!.bindings["member9"] = PlacementState.Binding(
            run: nil, resourceIndex: 0, since: scenario.now, overrides: [ObjectKey(.clusterResourceOverrideSnapshot, name: "o-0")])
        state.members["member2"]!.applied[placement]!.since = scenario.now
        state.runs[Fixtures.runKey]!.applyStrategy = ["type": "ReportDiff"]
        state.runs[Fixtures.runKey]!.overrides = ["member2": [ObjectKey(.clusterResourceOverrideSnapshot, name: "o-0")]]
        state.runs[Fixtures.runKey]!.maxFailures = FailureBudget(parsing: "1")
        state.runs[Fixtures.runKey]!.progressDeadline = 600
        state.runs[Fixtures.runKey]!.minSuccessTime = 30
        state.runs[Fixtures.runKey]!.rollbackOf = "earlier-run"
        state.runs[Fixtures.runKey]!.heldBefore = ["member2": HeldSnapshot(resourceIndex: 0)]
        state.runs[Fixtures.runKey]!.restores = ["member2": 0]
        state.runs[Fixtures.runKey]!.approvals.configure(timeout: 3600, fourEyes: true)
        state.members["member3"] = MemberState(
            reported: [placement: MemberState.Reported(resourceIndex: 0, differences: ["data.key"])],
            failures: [placement: MemberApplyFailed(cluster: "member3", placement: placement, resourceIndex: 0, message: "denied", resource: ["kind": "ConfigMap"])])
        return state
    }

    @Test func directReadersGiveWhatInitFromGives() throws {
        let state = try Self.fullState()
        let placement = try #require(state.placements[Fixtures.placementKey])
        let binding = try #require(placement.bindings["member9"])
        let applied = try #require(state.members["member2"]?.applied[Fixtures.placementKey])
        // The fields read directly that are easiest to leave out are all set, so leaving one out shows here.
        #expect(placement.spec != nil && placement.policyIndex != nil && placement.decisions != nil)
        #expect(placement.scheduledAt != nil && placement.latestResourceIndex != nil && !placement.resourceSnapshots.isEmpty)
        #expect(binding.since != nil && binding.overrides != nil)
        #expect(placement.bindings.values.contains { $0.run != nil })
        #expect(applied.since != nil && applied.untrackable == true && !applied.objects.isEmpty)
        #expect(state.members["member3"].map { !$0.reported.isEmpty && !$0.failures.isEmpty } == true)
        let run = try #require(state.runs[Fixtures.runKey])
        #expect(run.resourceSnapshotIndex != nil && run.applyStrategy != nil && !run.overrides.isEmpty && run.maxFailures != nil)
        #expect(run.progressDeadline != nil && run.minSuccessTime != nil && run.rollbackOf != nil && run.heldBefore != nil)
        #expect(run.restores != nil && run.approvals.timeout != nil && run.status.stagesStatus?.isEmpty == false)

        let image = try Hub.encodeCheckpoint(state)
        let direct = try Hub.decodeCheckpoint(image)
        let throughCodable = try BinaryValueDecoder().decode(HubState.self, from: image[CheckpointImage.magic.count...])
        #expect(throughCodable == state)
        #expect(direct == state)
    }

    /// An image as this build writes one, but for an extra field `extra` on each member's applied snapshot.
    struct ImageWithExtraField: Encodable {
        struct Applied: Encodable {
            var resourceIndex = 0
            var objects: [JSON] = []
            var extra: Int?
        }
        struct Entry: Encodable {
            var key = Fixtures.placementKey
            var value: Applied
        }
        struct Member: Encodable {
            var applied: [Entry]
            var reported: [Int] = []
            var failures: [Int] = []
        }
        var objects: [Int] = []
        var placements: [Int] = []
        var runs: [Int] = []
        var members: [String: Member]
        var halted: [Int] = []
        var lastSeq: Int64 = 7

        init(extra: Int?) {
            members = ["member1": Member(applied: [Entry(value: Applied(extra: extra))])]
        }

        var image: [UInt8] {
            get throws { CheckpointImage.magic + (try BinaryValueEncoder().encode(self)) }
        }
    }

    @Test func anImageWithAFieldNoReaderKnowsIsRefused() throws {
        let loaded = try Hub.decodeCheckpoint(try ImageWithExtraField(extra: nil).image)
        #expect(loaded.lastSeq == 7 && loaded.members["member1"]?.applied[Fixtures.placementKey]?.resourceIndex == 0)

        #expect(throws: DecodingError.self) { try Hub.decodeCheckpoint(try ImageWithExtraField(extra: 1).image) }
    }
}
