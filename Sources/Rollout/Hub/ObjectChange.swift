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

/// What a watcher receives: changes in order, or word that it fell too far behind and must list again.
public enum WatchEvent: Sendable, Hashable {
    case change(ObjectChange)
    /// The watcher's buffer filled: the hub closed it, as the API server closes a slow watcher with 410.
    case fellBehind
}

/// How a watch began.
public enum WatchStart: Sendable {
    case started(AsyncStream<WatchEvent>)
    /// Changes that old are no longer retained: list again (410).
    case tooOld
    /// The hub already serves as many watches as it allows (429).
    case tooMany
}

/// The recent changes, so a watch that starts from a list's resourceVersion misses nothing, and the live
/// subscribers, each with a bounded buffer.
struct ChangeFeed {
    static let retained = 4096
    private(set) var recent = Deque<ObjectChange>()
    private(set) var subscribers: [Int: AsyncStream<WatchEvent>.Continuation] = [:]
    private var nextID = 0

    mutating func publish(_ change: ObjectChange) {
        recent.append(change)
        if recent.count > Self.retained { recent.removeFirst(recent.count - Self.retained) }
        for (id, continuation) in subscribers {
            switch continuation.yield(.change(change)) {
            case .enqueued(let remaining) where remaining <= 1:
                // The last slot carries the news; the watcher lists again and starts over.
                continuation.yield(.fellBehind)
                continuation.finish()
                subscribers[id] = nil
            case .enqueued:
                break
            case .dropped, .terminated:
                continuation.finish()
                subscribers[id] = nil
            @unknown default:
                break
            }
        }
    }

    /// Changes after `resourceVersion`, or nil when they are no longer retained (a watch must then relist).
    func changes(after resourceVersion: Int64, lastSeq: Int64) -> [ObjectChange]? {
        if resourceVersion >= lastSeq { return [] }
        guard let oldest = recent.first, oldest.resourceVersion <= resourceVersion + 1 else { return nil }
        return recent.filter { $0.resourceVersion > resourceVersion }
    }

    mutating func add(_ continuation: AsyncStream<WatchEvent>.Continuation) -> Int {
        nextID += 1
        subscribers[nextID] = continuation
        return nextID
    }

    mutating func remove(_ id: Int) {
        subscribers[id] = nil
    }

    mutating func finishAll() {
        for continuation in subscribers.values { continuation.finish() }
        subscribers.removeAll()
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
