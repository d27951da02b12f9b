import Testing
@testable import FleetAPI

/// A NotificationSink needs an http(s) URL and events Flotilla sends; a bad one is named with the allowed values.
struct NotificationSinkValidationTests {
    func errors(_ spec: String) throws -> [String] {
        let yaml = "apiVersion: flotilla.dev/v1alpha1\nkind: NotificationSink\nmetadata:\n  name: chat\n" + spec
        return FleetValidation.validate(.notificationSink, object: try YAML.parse(yaml), old: nil).map(\.description)
    }

    @Test func aSinkWithAURLAndKnownEventsIsValid() throws {
        #expect(try errors("spec:\n  url: https://hooks.example.com/x\n  events: [StageStarted, RunFailed]") == [])
    }

    @Test func anUnknownEventIsNamedWithTheAllowedOnes() throws {
        #expect(try errors("spec:\n  url: http://127.0.0.1:8080/\n  events: [RunFailed, RunExploded]") == [
            "spec.events[1]: Unsupported value: \"RunExploded\": supported values: \"StageStarted\", \"StageSucceeded\", "
                + "\"ApprovalPending\", \"ClusterFailed\", \"RunSucceeded\", \"RunFailed\""
        ])
    }

    @Test func aSinkNeedsAnHTTPURLAndSomeEvents() throws {
        #expect(try errors("spec:\n  url: ftp://example.com/\n  events: []") == [
            "spec.url: Invalid value: \"ftp://example.com/\": must be an http:// or https:// URL",
            "spec.events: Required value: name at least one of StageStarted, StageSucceeded, ApprovalPending, ClusterFailed, "
                + "RunSucceeded, RunFailed",
        ])
        #expect(try errors("spec:\n  events: [RunFailed]") == ["spec.url: Required value"])
        #expect(try errors("") == ["spec: Required value"])
    }

    @Test func sinksAreFlotillasOwnClusterScopedKind() {
        #expect(ResourceKind.lookup(apiVersion: "flotilla.dev/v1alpha1", kind: "NotificationSink") == .notificationSink)
        #expect(ResourceKind.named("nsink") == .notificationSink)
        #expect(!ResourceKind.notificationSink.namespaced)
    }
}
