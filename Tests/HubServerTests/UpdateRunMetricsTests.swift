import FleetAPI
import Foundation
import Testing
@testable import HubServer

/// KubeFleet's `TestDetermineFailureType`: which failures are the user's.
struct UpdateRunMetricsTests {
    func condition(_ status: Condition.Status, _ reason: String, _ message: String = "") -> Condition {
        Condition(type: "Progressing", status: status, reason: reason, message: message, observedGeneration: 1, lastTransitionTime: Date(timeIntervalSince1970: 0))
    }

    @Test func failureTypes() {
        #expect(UpdateRunMetrics.failureType(condition(.false, "UpdateRunStuck")) == "internal_error")
        #expect(UpdateRunMetrics.failureType(condition(.false, "UpdateRunWaiting")) == "none")
        #expect(UpdateRunMetrics.failureType(condition(.unknown, "UpdateRunStopping")) == "none")
        #expect(UpdateRunMetrics.failureType(condition(.false, "UpdateRunStopped")) == "none")
        #expect(UpdateRunMetrics.failureType(condition(.false, "UpdateRunFailed", "cannot continue the updateRun: failed to process the request due to a client error: x")) == "user_error")
        #expect(UpdateRunMetrics.failureType(condition(.false, "UpdateRunInitializedFailed", "cannot continue the updateRun: failed to initialize the updateRun: unexpected behavior which cannot be handled by the controller: y")) == "internal_error")
        #expect(UpdateRunMetrics.failureType(condition(.true, "UpdateRunSucceeded")) == "none")
    }
}
