import Foundation
import Testing

@testable import FleetAPI

/// `Condition.json` stands in for encoding a condition when folding and rendering: it must give what the encoder gives.
struct ConditionJSONTests {
    @Test(arguments: [Int64(3), nil])
    func aConditionsJSONIsWhatEncodingItGives(generation: Int64?) throws {
        let condition = Condition(
            type: "ApprovalAccepted", status: .true, reason: "ApprovalRequestApprovalAccepted", message: "approved",
            observedGeneration: generation, lastTransitionTime: Date(timeIntervalSince1970: 1_753_219_688.75))
        #expect(condition.json == (try JSON(encoding: condition)))
        let status = ApprovalRequestStatus(conditions: [condition])
        #expect(["conditions": .array([condition.json])] == (try JSON(encoding: status)))
    }
}
