import FleetAPI
import Foundation

/// One object as the hub serves it: the stored JSON with the fields derived from events filled in.
public struct StoredObject: Sendable, Hashable, Codable {
    public var key: ObjectKey
    public var json: JSON
    public var generation: Int64
    public var resourceVersion: Int64

    public var labels: [String: String] {
        guard let labels = json["metadata"]?["labels"]?.objectValue else { return [:] }
        // Labels are strings except in a malformed object: mapping them keeps the table rather than rehashing every
        // key into a new one, which indexing a large fleet's members did for each.
        guard labels.values.allSatisfy({ $0.stringValue != nil }) else { return labels.compactMapValues(\.stringValue) }
        return labels.mapValues { $0.stringValue ?? "" }
    }

    public var spec: JSON { json["spec"] ?? .emptyObject }

    public var annotations: [String: String] {
        guard let annotations = json[path: ["metadata", "annotations"]]?.objectValue else { return [:] }
        return annotations.compactMapValues(\.stringValue)
    }
    public var status: JSON? { json["status"] }
}

/// What a placement's controller has produced so far.
public struct PlacementState: Sendable, Hashable, Codable {
    public struct Snapshot: Sendable, Hashable, Codable {
        public var hash: String
        public var resources: [JSON]
    }

    /// The placement's spec, decoded once per change rather than on every reconcile.
    public var spec: PlacementSpec?
    public var policyIndex: Int?
    public var scheduledClusters: [String] = []
    /// The scheduler's latest decision about each cluster, and when it made it: what the placement's status
    /// explains, kept here as the policy snapshot objects may be pruned or deleted first.
    public var decisions: [JSON]?
    public var scheduledAt: Date?
    public var resourceSnapshots: [Int: Snapshot] = [:]
    /// Which run last bound each cluster to which snapshot: KubeFleet's bindings, as far as runs need them.
    public var bindings: [String: Binding] = [:]

    public struct Binding: Sendable, Hashable, Codable {
        /// The run that bound the cluster; nil when the RollingUpdate strategy's rollout did.
        public var run: ObjectKey?
        public var resourceIndex: Int
        /// When the cluster was bound to this snapshot: when its rollout started.
        public var since: Date?
        /// The override snapshots a rolling update bound with the snapshot; a run's are the run's own.
        public var overrides: [ObjectKey]?
    }
    public var latestResourceIndex: Int?
}

/// A member cluster as the hub sees it: what each placement has applied there, and the last failure.
public struct MemberState: Sendable, Hashable, Codable {
    public struct Applied: Sendable, Hashable, Codable {
        public var resourceIndex: Int
        public var objects: [JSON]
        /// When the member reported the snapshot applied and available.
        public var since: Date?
        /// Whether some object's availability cannot be tracked, so available only means applied: a rolling
        /// update then waits `unavailablePeriodSeconds` before it counts the cluster ready.
        public var untrackable: Bool?
    }

    public var applied: [ObjectKey: Applied] = [:]
    /// ReportDiff results: what each placement would change here.
    public var reported: [ObjectKey: Reported] = [:]

    public struct Reported: Sendable, Hashable, Codable {
        public var resourceIndex: Int
        public var differences: [String]
    }
    public var failures: [ObjectKey: MemberApplyFailed] = [:]

    /// Every object on the member, in a stable order.
    public var objects: [JSON] {
        applied.keys.sorted().flatMap { applied[$0]!.objects }
    }
}

/// Every projection of the journal, folded by `evolve`. Equal journals give equal states, which is how
/// replay is checked.
public struct HubState: Sendable, Hashable, Codable {
    /// The version of what folding the journal gives, named in every checkpoint image: bump it with any change to
    /// `evolve` or to the state's fields that changes a replay's result, so that a checkpoint an older build wrote
    /// is replayed past rather than loaded. `ProjectionsVersionTests` fails when the seed's image changes without it.
    public static let projectionsVersion = 1

    public var objects = ObjectStore()
    public var placements: [ObjectKey: PlacementState] = [:]
    public var runs: [ObjectKey: UpdateRunState] = [:]
    public var members: [String: MemberState] = [:]
    /// Objects whose controller did not settle, and why: no controller reconciles them until their spec changes.
    public var halted: [ObjectKey: Halt] = [:]
    public var lastSeq: Int64 = 0
    /// Each placement's runs; derived from `runs`, so checkpoints leave it out and decoding rebuilds it.
    public internal(set) var runsByPlacement: [ObjectKey: Set<ObjectKey>] = [:]
    /// Runs neither initialized nor failed to: they still read strategies, overrides and snapshots.
    public internal(set) var waitingRuns: Set<ObjectKey> = []
    /// Each joined member cluster's labels, kept as member objects change: scheduling and stage mapping read
    /// them on every reconcile. Derived from `objects`, so checkpoints leave it out and decoding rebuilds it.
    public internal(set) var memberLabels: [String: [String: String]] = [:]
    /// The joined member clusters' names, sorted; derived as `memberLabels` is.
    public internal(set) var memberNames: [String] = []
    /// The members holding each placement's applied objects, unbound ones included: what a rollout or a run must
    /// remove. Derived from `members`, so checkpoints leave it out and decoding rebuilds it.
    public internal(set) var holders: [ObjectKey: Set<String>] = [:]
    /// Members whose agent has not joined or has stopped heartbeating: the scheduler passes them over.
    public internal(set) var ineligibleMembers: Set<String> = []
    /// The kinds the hub serves: the built-in ones and those its established CRDs define. Derived from the
    /// CRD objects, so checkpoints leave it out and decoding rebuilds it.
    public internal(set) var kinds = KindRegistry()

    public struct Halt: Sendable, Hashable, Codable {
        public var message: String
        public var time: Date
    }

    public init() {}

    public func objects(ofKind kind: ResourceKind, namespace: String? = nil) -> [StoredObject] {
        objects.keys(ofKind: kind.keyName, namespace: namespace).sorted().compactMap { objects[$0] }
    }

    /// The kind of an object key, custom kinds included.
    public func kind(of key: ObjectKey) -> ResourceKind? { kinds.kind(keyName: key.kind) }

    /// Builds what is derived from the object table after decoding a checkpoint: the member clusters' labels, names
    /// and eligibility, and the served kinds. Apart from `indexRunsAndHolders` so that each can follow its tables'
    /// reading on a thread of its own (`init(fields:)`).
    mutating func indexObjects() {
        indexMembers()
        indexKinds()
    }

    /// Builds what is derived from the run and member tables after decoding a checkpoint: each placement's runs, the
    /// waiting runs, and who holds what.
    mutating func indexRunsAndHolders() {
        for key in runs.keys { indexRun(key, placement: nil) }
        indexHolders()
    }

    /// Takes what `indexObjects` derived in `part`, which holds the same object table.
    mutating func takeObjectIndexes(of part: HubState) {
        memberLabels = part.memberLabels
        memberNames = part.memberNames
        ineligibleMembers = part.ineligibleMembers
        kinds = part.kinds
    }

    /// Rebuilds the served kinds from the CRD objects: after one changed, and after decoding a checkpoint.
    mutating func indexKinds() {
        kinds = KindRegistry(objects(ofKind: .customResourceDefinition).compactMap { CustomKind(definition: $0.json) })
    }

    /// Re-indexes one run after it was created, changed or removed (`placement` names where it was filed).
    mutating func indexRun(_ key: ObjectKey, placement: ObjectKey?) {
        if let run = runs[key] {
            runsByPlacement[run.placement, default: []].insert(key)
            if run.isSettled { waitingRuns.remove(key) } else { waitingRuns.insert(key) }
        } else {
            if let placement {
                runsByPlacement[placement]?.remove(key)
                if runsByPlacement[placement]?.isEmpty == true { runsByPlacement[placement] = nil }
            }
            waitingRuns.remove(key)
        }
    }

    /// One joined member cluster's labels; empty when it has not joined.
    public func labels(ofMember cluster: String) -> [String: String] {
        memberLabels[cluster] ?? [:]
    }

    /// The members the scheduler may pick, sorted.
    public var eligibleMemberNames: [String] {
        ineligibleMembers.isEmpty ? memberNames : memberNames.filter { !ineligibleMembers.contains($0) }
    }

    /// What the member holds of the placement, when it is the snapshot at `index`: applied and available there.
    public func applied(on cluster: String, of placement: ObjectKey, at index: Int) -> MemberState.Applied? {
        members[cluster]?.applied[placement].flatMap { $0.resourceIndex == index ? $0 : nil }
    }

    /// Indexes which members hold what, at once: after decoding a checkpoint.
    mutating func indexHolders() {
        // Grouped first, each set then made once at its size: inserting one member at a time rehashed every set as
        // it grew, for every member of a large fleet.
        var grouped: [ObjectKey: [String]] = [:]
        for (cluster, member) in members {
            for placement in member.applied.keys { grouped[placement, default: []].append(cluster) }
        }
        holders = grouped.mapValues { Set($0) }
    }

    /// Re-indexes one member's hold on one placement after it applied or removed it.
    mutating func indexHolder(_ cluster: String, of placement: ObjectKey) {
        if members[cluster]?.applied[placement] != nil {
            holders[placement, default: []].insert(cluster)
        } else if holders[placement]?.remove(cluster) != nil, holders[placement]?.isEmpty == true {
            holders[placement] = nil
        }
    }

    /// Indexes every member cluster at once: after decoding a checkpoint.
    mutating func indexMembers() {
        // Each member read once, in one pass over the store, into a table made at its size: a checkpoint of a large
        // fleet indexes every member on the decoding's critical path.
        let kind = ResourceKind.memberCluster.kind
        var labels = [String: [String: String]](minimumCapacity: objects.count(ofKind: kind))
        var ineligible: Set<String> = []
        objects.forEach(ofKind: kind) { member in
            labels[member.key.name] = member.labels
            if !MemberClusterController.isEligible(member) { ineligible.insert(member.key.name) }
        }
        memberLabels = labels
        ineligibleMembers = ineligible
        memberNames = labels.keys.sorted()
    }

    /// Re-indexes one member cluster after its object was created, changed or removed.
    mutating func indexMember(_ name: String) {
        let member = objects[ObjectKey(.memberCluster, name: name)]
        let labels = member?.labels
        if let member, !MemberClusterController.isEligible(member) { ineligibleMembers.insert(name) } else { ineligibleMembers.remove(name) }
        var low = 0
        var high = memberNames.count
        while low < high {
            let middle = (low + high) / 2
            if memberNames[middle] < name { low = middle + 1 } else { high = middle }
        }
        let present = low < memberNames.count && memberNames[low] == name
        memberLabels[name] = labels
        if labels != nil && !present { memberNames.insert(name, at: low) }
        if labels == nil && present { memberNames.remove(at: low) }
    }
}
