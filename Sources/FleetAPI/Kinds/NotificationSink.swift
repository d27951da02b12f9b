/// Flotilla's `NotificationSink` (`flotilla.dev/v1alpha1`, cluster-scoped): a URL the hub POSTs rollout events to,
/// each matching event exactly once, in journal order. Its status says what was delivered.
extension ResourceKind {
    public static let flotillaGroup = "flotilla.dev"

    public static let notificationSink = ResourceKind(
        group: flotillaGroup, versions: ["v1alpha1"], kind: "NotificationSink", plural: "notificationsinks",
        shortNames: ["nsink"], namespaced: false, hasStatus: true, categories: ["flotilla"])
}

public struct NotificationSinkSpec: Codable, Sendable, Hashable {
    /// The events a sink may ask for, as the `event` field of a delivery names them.
    public enum Event: String, Codable, Sendable, Hashable, CaseIterable {
        case stageStarted = "StageStarted"
        case stageSucceeded = "StageSucceeded"
        case approvalPending = "ApprovalPending"
        case clusterFailed = "ClusterFailed"
        case runSucceeded = "RunSucceeded"
        case runFailed = "RunFailed"
    }

    public var url: String
    public var events: [Event]

    public init(url: String, events: [Event]) {
        self.url = url
        self.events = events
    }
}

/// What a sink's status shows: how many events it was delivered, the last one's seq and time, where its
/// delivery stands in the journal, and the last failure.
public struct NotificationSinkStatus: Codable, Sendable, Hashable {
    /// Every matching event up to this journal seq has been delivered (or the sink was created after it).
    public var position: Int64
    public var deliveredCount: Int64
    public var lastDeliveredSeq: Int64?
    public var lastDeliveredTime: String?
    /// Failed attempts in a row at the next event; zero after a success.
    public var failedAttempts: Int64?
    public var lastError: String?
    public var lastErrorTime: String?

    public init(position: Int64, deliveredCount: Int64 = 0) {
        self.position = position
        self.deliveredCount = deliveredCount
    }
}
