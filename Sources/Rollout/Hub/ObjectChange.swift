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

/// What changed at each recent seq, so a watch that starts from a list's resourceVersion misses nothing, and the
/// live subscribers, each with a bounded buffer. Objects are rendered only for someone: for live subscribers as a
/// change becomes durable, and for a new watch's backlog when it starts; only deleted objects are kept rendered.
struct ChangeFeed {
    /// One object's change; `deleted` holds the object as it was last shown, for a deletion.
    struct Entry {
        var type: ObjectChange.ChangeType
        var key: ObjectKey
        var resourceVersion: Int64
        var deleted: JSON?
    }

    static let retained = 10_000
    private(set) var recent = Deque<Entry>()
    /// Every change after this seq is retained.
    private(set) var retainedAfter: Int64
    private(set) var subscribers: [Int: AsyncStream<WatchEvent>.Continuation] = [:]
    private var nextID = 0

    /// A feed that knows nothing before `seq`: a watch from an older resourceVersion must list again.
    init(after seq: Int64) {
        retainedAfter = seq
    }

    /// Notes a change and sends it to every live subscriber; `render` gives the object as it now stands.
    mutating func publish(_ entry: Entry, render: (ObjectKey) -> JSON?) {
        recent.append(entry)
        while recent.count > Self.retained, let evicted = recent.popFirst() {
            retainedAfter = max(retainedAfter, evicted.resourceVersion)
        }
        guard !subscribers.isEmpty, let object = entry.deleted ?? render(entry.key) else { return }
        let change = ObjectChange(type: entry.type, key: entry.key, object: object, resourceVersion: entry.resourceVersion)
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

    /// The changes after `resourceVersion`, one per object at its latest change, as it stands now (which is how
    /// it stood then: nothing changed it since); nil when they are no longer retained (the watcher lists again).
    /// An object made and deleted within them is left out: the watcher never saw it.
    func changes(after resourceVersion: Int64, render: (ObjectKey) -> JSON?) -> [ObjectChange]? {
        guard resourceVersion >= retainedAfter else { return nil }
        let window = recent.reversed().prefix { $0.resourceVersion > resourceVersion }
        var firstType: [ObjectKey: ObjectChange.ChangeType] = [:]
        for entry in window { firstType[entry.key] = entry.type }
        var seen = Set<ObjectKey>()
        var changes: [ObjectChange] = []
        for entry in window where seen.insert(entry.key).inserted {
            let createdInWindow = firstType[entry.key] == .added
            if let deleted = entry.deleted {
                if !createdInWindow {
                    changes.append(ObjectChange(type: .deleted, key: entry.key, object: deleted, resourceVersion: entry.resourceVersion))
                }
            } else if let object = render(entry.key) {
                changes.append(
                    ObjectChange(
                        type: createdInWindow ? .added : .modified, key: entry.key, object: object,
                        resourceVersion: entry.resourceVersion))
            }
        }
        return changes.reversed()
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
        case .objectStatusUpdated(let e):
            guard e.key.kind == ResourceKind.work.kind, let (_, placement) = WorkWriter.target(ofWork: e.key) else { return [e.key] }
            return [e.key, placement]
        case .objectDeleted(let e): return [e.key]
        case .policySnapshotCreated(let e):
            return (state.previousLatestSnapshot(of: self).map { [$0] } ?? [])
                + [PlacementNames.policySnapshotKey(e.placement, index: e.index), e.placement]
        case .resourceSnapshotCreated(let e):
            return (state.previousLatestSnapshot(of: self).map { [$0] } ?? [])
                + [PlacementNames.resourceSnapshotKey(e.placement, index: e.index), e.placement]
        case .approvalAccepted(let e): return [e.request]
        case .placementScheduled(let e): return [e.placement]
        case .clusterRolloutStarted(let e): return [e.placement]
        case .clusterRolloutRemoved(let e): return [e.placement]
        case .clusterUpdateStarted(let e):
            // A run's stage binds the cluster, which the placement's status shows; its deletion stage does not.
            guard let run = state.runs[e.run], e.stage < run.stages.count else { return [e.run] }
            return [e.run, run.placement]
        case .memberApplied(let e): return [e.placement]
        case .memberRemoved(let e): return [e.placement]
        case .memberDiffReported(let e): return [e.placement]
        case .memberApplyFailed(let e): return [e.placement]
        case .controllerHalted(let e): return [e.key]
        default: return runKey.map { [$0] } ?? []
        }
    }
}
