import DequeModule
import FleetAPI

/// One change to an object as a watcher sees it, in resourceVersion order.
public struct ObjectChange: Sendable, Hashable {
    public enum ChangeType: String, Sendable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
    }

    public var type: ChangeType
    public var key: ObjectKey
    public var object: JSON
    public var resourceVersion: Int64

    public init(type: ChangeType, key: ObjectKey, object: JSON, resourceVersion: Int64) {
        self.type = type
        self.key = key
        self.object = object
        self.resourceVersion = resourceVersion
    }
}

/// The recent changes, so a watch that starts from a list's resourceVersion misses nothing, and the live
/// subscribers.
struct ChangeFeed {
    static let retained = 4096
    private(set) var recent = Deque<ObjectChange>()
    var subscribers: [Int: AsyncStream<ObjectChange>.Continuation] = [:]
    private var nextID = 0

    mutating func publish(_ change: ObjectChange) {
        recent.append(change)
        if recent.count > Self.retained { recent.removeFirst(recent.count - Self.retained) }
        for continuation in subscribers.values { continuation.yield(change) }
    }

    /// Changes after `resourceVersion`, or nil when they are no longer retained (a watch must then relist).
    func changes(after resourceVersion: Int64, lastSeq: Int64) -> [ObjectChange]? {
        if resourceVersion >= lastSeq { return [] }
        guard let oldest = recent.first, oldest.resourceVersion <= resourceVersion + 1 else { return nil }
        return recent.filter { $0.resourceVersion > resourceVersion }
    }

    mutating func add(_ continuation: AsyncStream<ObjectChange>.Continuation) -> Int {
        nextID += 1
        subscribers[nextID] = continuation
        return nextID
    }
}

extension FleetEvent {
    /// The objects whose rendered form the event changes.
    func affectedKeys(in state: HubState) -> [ObjectKey] {
        switch self {
        case .objectCreated(let e): return [e.key]
        case .objectUpdated(let e): return [e.key]
        case .objectStatusUpdated(let e): return [e.key]
        case .objectDeleted(let e): return [e.key]
        case .policySnapshotCreated(let e):
            return state.objects(ofKind: PlacementNames.policySnapshotKey(e.placement, index: 0).resourceKind!, namespace: e.placement.namespace)
                .filter { $0.labels[FleetLabel.parentPlacement] == e.placement.name }.map(\.key)
                + [PlacementNames.policySnapshotKey(e.placement, index: e.index), e.placement]
        case .resourceSnapshotCreated(let e):
            return state.objects(ofKind: PlacementNames.resourceSnapshotKey(e.placement, index: 0).resourceKind!, namespace: e.placement.namespace)
                .filter { $0.labels[FleetLabel.parentPlacement] == e.placement.name && $0.labels[FleetLabel.isLatestSnapshot] == "true" }
                .map(\.key) + [PlacementNames.resourceSnapshotKey(e.placement, index: e.index), e.placement]
        case .approvalAccepted(let e): return [e.request]
        case .placementScheduled(let e): return [e.placement]
        case .memberApplied(let e): return [e.placement]
        case .memberRemoved(let e): return [e.placement]
        case .memberDiffReported(let e): return [e.placement]
        case .memberApplyFailed: return []
        case .controllerHalted(let e): return [e.key]
        default: return runKey.map { [$0] } ?? []
        }
    }
}
