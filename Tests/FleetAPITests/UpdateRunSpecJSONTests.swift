import Foundation
import Testing

@testable import FleetAPI

/// A run's spec read directly from its JSON must be what the decoder gives, and nil wherever the decoder throws.
struct UpdateRunSpecJSONTests {
    static let specs: [String] = [
        #"{"placementName":"p","resourceSnapshotIndex":"0","stagedRolloutStrategyName":"s"}"#,
        #"{"placementName":"p","stagedRolloutStrategyName":"s"}"#,
        #"{"placementName":"p","resourceSnapshotIndex":null,"stagedRolloutStrategyName":"s","state":null}"#,
        #"{"placementName":"p","stagedRolloutStrategyName":"s","state":"Stop","extra":[1]}"#,
        #"{"placementName":"p","stagedRolloutStrategyName":"s","state":"Initialize"}"#,
        #"{"placementName":"","stagedRolloutStrategyName":"","state":"Run"}"#,
        #"{"placementName":"p","stagedRolloutStrategyName":"s","state":"Paused"}"#,
        #"{"placementName":"p","stagedRolloutStrategyName":"s","state":1}"#,
        #"{"placementName":"p","resourceSnapshotIndex":0,"stagedRolloutStrategyName":"s"}"#,
        #"{"placementName":null,"stagedRolloutStrategyName":"s"}"#,
        #"{"placementName":"p"}"#,
        #"{"stagedRolloutStrategyName":"s"}"#,
        #"{"placementName":["p"],"stagedRolloutStrategyName":"s"}"#,
        #"{}"#,
        #""p""#,
        #"null"#,
    ]

    @Test(arguments: specs)
    func readDirectlyAsTheDecoderDecodes(_ text: String) throws {
        let json = try JSON.parse(Array(text.utf8))
        #expect(UpdateRunSpec(json: json) == (try? json.decode(UpdateRunSpec.self)))
    }

    @Test func theCasesCoverBothOutcomes() throws {
        let decoded = try Self.specs.map { try JSON.parse(Array($0.utf8)) }.map { try? $0.decode(UpdateRunSpec.self) }
        #expect(decoded.filter { $0 != nil }.count == 6)
    }
}
