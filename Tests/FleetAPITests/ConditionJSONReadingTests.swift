import Foundation
import Testing

@testable import FleetAPI

/// Conditions and approval statuses read directly from their JSON must be what the decoder gives, and nil wherever
/// the decoder throws.
struct ConditionJSONReadingTests {
    static let condition = #""type":"Approved","status":"True","reason":"r","message":"m""#
    static let conditions: [String] = [
        #"{\#(condition),"lastTransitionTime":"2025-07-22T21:28:08Z","observedGeneration":3}"#,
        #"{\#(condition),"lastTransitionTime":"2025-07-22T21:28:08Z"}"#,
        #"{\#(condition),"lastTransitionTime":"2025-07-22T21:28:08.75+02:00","observedGeneration":null,"extra":1}"#,
        #"{\#(condition),"lastTransitionTime":"2025-07-22T21:28:08Z","observedGeneration":3.0}"#,
        #"{\#(condition),"lastTransitionTime":"2025-07-22T21:28:08Z","observedGeneration":1e3}"#,
        #"{\#(condition),"lastTransitionTime":"2025-07-22T21:28:08Z","observedGeneration":3.5}"#,
        #"{\#(condition),"lastTransitionTime":"2025-07-22T21:28:08Z","observedGeneration":1e30}"#,
        #"{\#(condition),"lastTransitionTime":"2025-07-22T21:28:08Z","observedGeneration":"3"}"#,
        #"{\#(condition),"lastTransitionTime":"yesterday"}"#,
        #"{\#(condition),"lastTransitionTime":null}"#,
        #"{\#(condition)}"#,
        #"{"type":"Approved","status":"Maybe","reason":"r","message":"m","lastTransitionTime":"2025-07-22T21:28:08Z"}"#,
        #"{"type":"Approved","status":"True","reason":"r","lastTransitionTime":"2025-07-22T21:28:08Z"}"#,
        #"{"type":1,"status":"True","reason":"r","message":"m","lastTransitionTime":"2025-07-22T21:28:08Z"}"#,
        #"["not an object"]"#,
    ]

    @Test(arguments: conditions)
    func aConditionReadsAsTheDecoderDecodesIt(_ text: String) throws {
        let json = try JSON.parse(Array(text.utf8))
        #expect(Condition(json: json) == (try? json.decode(Condition.self)))
    }

    @Test(arguments: [
        #"{}"#, #"{"conditions":null}"#, #"{"conditions":[]}"#, #"{"other":true}"#, #"{"conditions":{}}"#, #"[]"#, #"null"#,
        #"{"conditions":[\#(conditions[0]),\#(conditions[1])]}"#, #"{"conditions":[\#(conditions[0]),\#(conditions[8])]}"#,
    ])
    func anApprovalStatusReadsAsTheDecoderDecodesIt(_ text: String) throws {
        let json = try JSON.parse(Array(text.utf8))
        let decoded = try? json.decode(ApprovalRequestStatus.self)
        #expect(ApprovalRequestStatus(json: json) == decoded)
        #expect(ApprovalRequestStatus.conditions(of: json) == decoded?.conditions ?? [])
    }

    @Test func theCasesCoverBothOutcomes() throws {
        let decoded = try Self.conditions.map { try JSON.parse(Array($0.utf8)) }.map { try? $0.decode(Condition.self) }
        #expect(decoded.filter { $0 != nil }.count == 5)
    }
}
