import FleetAPI

extension FleetEvent {
    /// Decodes a payload straight from its JSON bytes, building a tree only for the values that are trees
    /// (objects, statuses, resources): replay's cost per event was mostly the tree and the `Codable` pass.
    ///
    /// Anything the direct readers do not expect (an unusual spelling, a missing field, an event type they do not
    /// cover) goes through `init(type:payload:)` instead, so the result and the errors are that path's.
    ///
    /// With `cache`, resources and applied objects that repeat across events are shared with the events before.
    public init(type: String, payloadBytes: UnsafeBufferPointer<UInt8>, sharing cache: JSONTreeCache? = nil) throws {
        guard let index = Self.payloadTypes.index(of: type) else {
            try self.init(type: type, payload: JSON.parse(payloadBytes))
            return
        }
        try self.init(type: type, payloadBytes: payloadBytes, sharing: cache, reading: Self.payloadReaders[index].read)
    }

    /// `init(type:payloadBytes:sharing:)` with the type's direct reader already found, for a caller that knows the
    /// type (`ReplayBatch.LeftToFold`): finding the reader by the type's name was a tenth of reading a small event.
    init(
        type: String, payloadBytes: UnsafeBufferPointer<UInt8>, sharing cache: JSONTreeCache?,
        reading read: (inout JSONPullReader) throws -> FleetEvent
    ) throws {
        var reader = JSONPullReader(payloadBytes, sharing: cache)
        if let event = try? read(&reader), (try? reader.end()) != nil {
            self = event
            return
        }
        try self.init(type: type, payload: JSON.parse(payloadBytes))
    }

    /// The direct readers of a cluster's start and success, named for `ReplayBatch.LeftToFold`.
    static let readClusterUpdateStarted: Reader = { .clusterUpdateStarted(try ClusterRef(reading: &$0)) }
    static let readClusterUpdateSucceeded: Reader = { .clusterUpdateSucceeded(try ClusterRef(reading: &$0)) }

    typealias Reader = @Sendable (inout JSONPullReader) throws -> FleetEvent

    /// The event types `payloadReaders` reads, found by a quick hash of their bytes: `Dictionary`'s SipHash of the
    /// name cost as much as reading a small payload.
    private static let payloadTypes = JSONPullReader.Vocabulary(payloadReaders.map(\.type))

    /// The direct reader of each event type.
    private static let payloadReaders: [(type: String, read: Reader)] = [
        ("ObjectCreated.v1", { .objectCreated(try ObjectCreated(reading: &$0)) }),
        ("ObjectUpdated.v1", { .objectUpdated(try ObjectUpdated(reading: &$0)) }),
        ("ObjectStatusUpdated.v1", { .objectStatusUpdated(try ObjectStatusUpdated(reading: &$0)) }),
        ("ObjectDeleted.v1", { .objectDeleted(try ObjectDeleted(reading: &$0)) }),
        ("PolicySnapshotCreated.v1", { .policySnapshotCreated(try PolicySnapshotCreated(reading: &$0)) }),
        ("ResourceSnapshotCreated.v1", { .resourceSnapshotCreated(try ResourceSnapshotCreated(reading: &$0)) }),
        ("PlacementScheduled.v1", { .placementScheduled(try PlacementScheduled(reading: &$0)) }),
        ("UpdateRunInitialized.v1", { .updateRunInitialized(try UpdateRunInitialized(reading: &$0)) }),
        ("UpdateRunInitializationFailed.v1", { .updateRunInitializationFailed(try RunMessage(reading: &$0)) }),
        ("StageSkipped.v1", { .stageSkipped(try StageRef(reading: &$0)) }),
        ("ClusterUpdateStarted.v1", readClusterUpdateStarted),
        ("ClusterUpdateSucceeded.v1", readClusterUpdateSucceeded),
        ("ClusterUpdateFailed.v1", { .clusterUpdateFailed(try ClusterFailure(reading: &$0)) }),
        ("ClusterUpdateSkipped.v1", { .clusterUpdateSkipped(try ClusterRef(reading: &$0)) }),
        ("ClusterUpdateAvailable.v1", { .clusterUpdateAvailable(try ClusterRef(reading: &$0)) }),
        ("UpdateRunStuck.v1", { .updateRunStuck(try RunStuck(reading: &$0)) }),
        ("StageWaiting.v1", { .stageWaiting(try StageRef(reading: &$0)) }),
        ("TimedWaitElapsed.v1", { .timedWaitElapsed(try TaskRef(reading: &$0)) }),
        ("ApprovalRequested.v1", { .approvalRequested(try TaskRef(reading: &$0)) }),
        ("ApprovalTaskApproved.v1", { .approvalTaskApproved(try TaskRef(reading: &$0)) }),
        ("ApprovalAccepted.v1", { .approvalAccepted(try ApprovalAccepted(reading: &$0)) }),
        ("ApprovalDecided.v1", { .approvalDecided(try ApprovalDecision(reading: &$0)) }),
        ("StageSucceeded.v1", { .stageSucceeded(try StageRef(reading: &$0)) }),
        ("UpdateRunSucceeded.v1", { .updateRunSucceeded(try RunRef(reading: &$0)) }),
        ("UpdateRunFailed.v1", { .updateRunFailed(try RunMessage(reading: &$0)) }),
        ("UpdateRunStopping.v1", { .updateRunStopping(try StageRef(reading: &$0)) }),
        ("UpdateRunStopped.v1", { .updateRunStopped(try StageRef(reading: &$0)) }),
        ("UpdateRunResumed.v1", { .updateRunResumed(try StageRef(reading: &$0)) }),
        ("MemberApplied.v1", { .memberApplied(try MemberApplied(reading: &$0)) }),
        ("MemberApplyFailed.v1", { .memberApplyFailed(try MemberApplyFailed(reading: &$0)) }),
        ("MemberRemoved.v1", { .memberRemoved(try MemberRemoved(reading: &$0)) }),
        ("MemberDiffReported.v1", { .memberDiffReported(try MemberDiffReported(reading: &$0)) }),
        ("ControllerHalted.v1", { .controllerHalted(try ControllerHalted(reading: &$0)) }),
    ]
}

/// Reads the fields of one payload object in any order, ignoring unknown ones as `Codable` does; a missing
/// field, a null, or a value of another shape throws.
private func readObject(_ reader: inout JSONPullReader, _ field: (JSONPullReader.Key, inout JSONPullReader) throws -> Bool) throws {
    try reader.beginObject()
    while let key = try reader.nextKey() {
        if try !field(key, &reader) { try reader.skipValue() }
    }
}

private func missing(_ reader: JSONPullReader) -> JSONParseError {
    reader.error("a field is missing")
}

extension JSONPullReader {
    fileprivate mutating func intValue() throws -> Int {
        guard let value = Int(exactly: try int()) else { throw error("an integer out of range") }
        return value
    }

    fileprivate mutating func strings() throws -> [String] {
        var values: [String] = []
        try beginArray()
        while try nextElement() { values.append(try string()) }
        return values
    }

    fileprivate mutating func elements<Element>(_ element: (inout JSONPullReader) throws -> Element) throws -> [Element] {
        var values: [Element] = []
        try beginArray()
        while try nextElement() { values.append(try element(&self)) }
        return values
    }

    /// An object's members by key; a later duplicate wins, as in the tree.
    fileprivate mutating func members<Value>(_ value: (inout JSONPullReader) throws -> Value) throws -> [String: Value] {
        var values: [String: Value] = [:]
        try beginObject()
        while let key = try nextKey() { values[key.string] = try value(&self) }
        return values
    }

    /// A JSON value that is not null (a `JSON` field decodes null as missing).
    fileprivate mutating func tree() throws -> JSON {
        let value = try value()
        guard !value.isNull else { throw error("a null tree") }
        return value
    }
}

/// The kinds an object key names; read as these instances, so replay does not allocate each one again.
private let knownKinds = JSONPullReader.Vocabulary(ResourceKind.all.map(\.kind))

extension ObjectKey {
    /// With `shared` false, a key in the journal's layout is read afresh and not remembered: for keys that are new
    /// when read (a created object's), which only cost the table a miss and a copy of their text.
    fileprivate init(reading reader: inout JSONPullReader, shared: Bool = true) throws {
        let mark = reader.mark
        if let key = try shared ? Self.canonical(&reader) : Self.canonicalAfresh(&reader) {
            self = key
            return
        }
        reader.rewind(to: mark)
        var kind: String?
        var namespace: String?
        var name: String?
        try readObject(&reader) { key, reader in
            if key == "kind" { kind = try reader.string(oneOf: knownKinds) }
            else if key == "namespace" { namespace = try reader.string() }
            else if key == "name" { name = try reader.string() }
            else { return false }
            return true
        }
        guard let kind, let namespace, let name else { throw missing(reader) }
        self.init(kind: kind, namespace: namespace, name: name)
    }
}

extension ObjectKey {
    /// The key as the journal writes it (canonical JSON: keys sorted, no spaces); nil at the first difference.
    ///
    /// Shared with the key read before from the same text: most events name the run or placement the events
    /// before named, and matching the text cost a fifth of reading it.
    fileprivate static func canonical(_ reader: inout JSONPullReader) throws -> ObjectKey? {
        do {
            return try reader.sharedDecoded { reader in
                guard let key = try canonicalAfresh(&reader) else { throw NotCanonical() }
                return key
            }
        } catch is NotCanonical {
            return nil
        }
    }

    /// A key in another layout: left unremembered, as the reader stopped inside it.
    private struct NotCanonical: Error {}

    /// Its word is mixed from the bytes as they are read: made from the strings after, it cost as much as reading
    /// them, on the thread that reads and decodes, which is replay's slower one.
    private static func canonicalAfresh(_ reader: inout JSONPullReader) throws -> ObjectKey? {
        guard reader.skip(#"{"kind":"#) else { return nil }
        let (kind, kindBytes) = try reader.stringAndBytes(oneOf: knownKinds)
        guard reader.skip(#","name":"#) else { return nil }
        let (name, nameBytes) = try reader.stringAndBytes()
        let namespace: String
        let namespaceBytes: UnsafeBufferPointer<UInt8>?
        // Most keys name cluster-scoped objects: their empty namespace is read with the punctuation around it.
        if reader.skip(#","namespace":""}"#) {
            (namespace, namespaceBytes) = ("", UnsafeBufferPointer(start: nil, count: 0))
        } else {
            guard reader.skip(#","namespace":"#) else { return nil }
            (namespace, namespaceBytes) = try reader.stringAndBytes()
            guard reader.skip("}") else { return nil }
        }
        // A string with escapes has no bytes to mix, and one with other than ASCII is hashed by its NFC form.
        var word = ObjectKey.seed
        guard let kindBytes, let nameBytes, let namespaceBytes, ObjectKey.mix(kindBytes, into: &word),
            ObjectKey.mix(nameBytes, into: &word), ObjectKey.mix(namespaceBytes, into: &word)
        else { return ObjectKey(kind: kind, namespace: namespace, name: name) }
        return ObjectKey(kind: kind, namespace: namespace, name: name, word: word)
    }
}

extension ObjectCreated {
    fileprivate init(reading reader: inout JSONPullReader) throws {
        var key: ObjectKey?
        var uid: String?
        var object: JSON?
        try readObject(&reader) { field, reader in
            if field == "key" { key = try ObjectKey(reading: &reader, shared: false) }
            else if field == "uid" { uid = try reader.string() }
            else if field == "object" { object = try reader.tree() }
            else { return false }
            return true
        }
        guard let key, let uid, let object else { throw missing(reader) }
        self.init(key: key, uid: uid, object: object)
    }
}

extension ObjectUpdated {
    fileprivate init(reading reader: inout JSONPullReader) throws {
        var key: ObjectKey?
        var object: JSON?
        try readObject(&reader) { field, reader in
            if field == "key" { key = try ObjectKey(reading: &reader) }
            else if field == "object" { object = try reader.tree() }
            else { return false }
            return true
        }
        guard let key, let object else { throw missing(reader) }
        self.init(key: key, object: object)
    }
}

extension ObjectStatusUpdated {
    fileprivate init(reading reader: inout JSONPullReader) throws {
        var key: ObjectKey?
        var status: JSON?
        var managedFields: JSON?
        try readObject(&reader) { field, reader in
            if field == "key" { key = try ObjectKey(reading: &reader) }
            else if field == "status" { status = try reader.tree() }
            else if field == "managedFields" { managedFields = try reader.tree() }
            else { return false }
            return true
        }
        guard let key, let status else { throw missing(reader) }
        self.init(key: key, status: status, managedFields: managedFields)
    }
}

extension ObjectDeleted {
    fileprivate init(reading reader: inout JSONPullReader) throws {
        var key: ObjectKey?
        try readObject(&reader) { field, reader in
            guard field == "key" else { return false }
            key = try ObjectKey(reading: &reader)
            return true
        }
        guard let key else { throw missing(reader) }
        self.init(key: key)
    }
}

extension PolicySnapshotCreated {
    fileprivate init(reading reader: inout JSONPullReader) throws {
        var placement: ObjectKey?
        var index: Int?
        var uid: String?
        var clusters: [String]?
        var decisions: [JSON]?
        try readObject(&reader) { field, reader in
            if field == "placement" { placement = try ObjectKey(reading: &reader) }
            else if field == "index" { index = try reader.intValue() }
            else if field == "uid" { uid = try reader.string() }
            else if field == "clusters" { clusters = try reader.strings() }
            else if field == "decisions" { decisions = try reader.sharedElements() }
            else { return false }
            return true
        }
        guard let placement, let index, let uid, let clusters else { throw missing(reader) }
        self.init(placement: placement, index: index, uid: uid, clusters: clusters, decisions: decisions)
    }
}

extension ResourceSnapshotCreated {
    fileprivate init(reading reader: inout JSONPullReader) throws {
        var placement: ObjectKey?
        var index: Int?
        var uid: String?
        var hash: String?
        var resources: [JSON]?
        try readObject(&reader) { field, reader in
            if field == "placement" { placement = try ObjectKey(reading: &reader) }
            else if field == "index" { index = try reader.intValue() }
            else if field == "uid" { uid = try reader.string() }
            else if field == "hash" { hash = try reader.string() }
            else if field == "resources" { resources = try reader.sharedElements() }
            else { return false }
            return true
        }
        guard let placement, let index, let uid, let hash, let resources else { throw missing(reader) }
        self.init(placement: placement, index: index, uid: uid, hash: hash, resources: resources)
    }
}

extension PlacementScheduled {
    fileprivate init(reading reader: inout JSONPullReader) throws {
        var placement: ObjectKey?
        var clusters: [String]?
        var decisions: [JSON]?
        try readObject(&reader) { field, reader in
            if field == "placement" { placement = try ObjectKey(reading: &reader) }
            else if field == "clusters" { clusters = try reader.strings() }
            else if field == "decisions" { decisions = try reader.sharedElements() }
            else { return false }
            return true
        }
        guard let placement, let clusters else { throw missing(reader) }
        self.init(placement: placement, clusters: clusters, decisions: decisions)
    }
}

extension UpdateRunInitialized {
    /// The strategy is read from its tree (`StagedUpdateStrategySpec(json:)`), once for all the runs that share it.
    fileprivate init(reading reader: inout JSONPullReader) throws {
        var run: ObjectKey?
        var generation: Int64?
        var policySnapshotIndex: String?
        var observedClusterCount: Int?
        var resourceSnapshotIndex: Int?
        var strategy: StagedUpdateStrategySpec?
        var stages: [Stage]?
        var deletionClusters: [String]?
        var applyStrategy: JSON?
        var overrides: [String: [ObjectKey]]?
        var restores: [String: Int]?
        try readObject(&reader) { field, reader in
            if field == "run" { run = try ObjectKey(reading: &reader) }
            else if field == "generation" { generation = try reader.int() }
            else if field == "policySnapshotIndex" { policySnapshotIndex = try reader.string() }
            else if field == "observedClusterCount" { observedClusterCount = try reader.intValue() }
            else if field == "resourceSnapshotIndex" { resourceSnapshotIndex = try reader.intValue() }
            else if field == "strategy" {
                strategy = try reader.sharedValue {
                    // Where the direct read gives nil, the decoder throws its own error.
                    try StagedUpdateStrategySpec(json: $0) ?? JSONValueDecoder().decode(StagedUpdateStrategySpec.self, from: $0)
                }
            }
            else if field == "stages" { stages = try reader.elements { reader in try Stage(reading: &reader) } }
            else if field == "deletionClusters" { deletionClusters = try reader.strings() }
            else if field == "applyStrategy" { applyStrategy = try reader.tree() }
            else if field == "overrides" { overrides = try reader.members { reader in try reader.elements { reader in try ObjectKey(reading: &reader) } } }
            else if field == "restores" { restores = try reader.members { reader in try reader.intValue() } }
            else { return false }
            return true
        }
        guard let run, let generation, let policySnapshotIndex, let observedClusterCount, let resourceSnapshotIndex,
            let strategy, let stages, let deletionClusters
        else { throw missing(reader) }
        self.init(
            run: run, generation: generation, policySnapshotIndex: policySnapshotIndex,
            observedClusterCount: observedClusterCount, resourceSnapshotIndex: resourceSnapshotIndex, strategy: strategy,
            stages: stages, deletionClusters: deletionClusters, applyStrategy: applyStrategy, overrides: overrides,
            restores: restores)
    }
}

extension UpdateRunInitialized.Stage {
    fileprivate init(reading reader: inout JSONPullReader) throws {
        var name: String?
        var clusters: [String]?
        try readObject(&reader) { field, reader in
            if field == "name" { name = try reader.string() }
            else if field == "clusters" { clusters = try reader.strings() }
            else { return false }
            return true
        }
        guard let name, let clusters else { throw missing(reader) }
        self.init(name: name, clusters: clusters)
    }
}

extension RunRef {
    fileprivate init(reading reader: inout JSONPullReader) throws {
        var run: ObjectKey?
        try readObject(&reader) { field, reader in
            guard field == "run" else { return false }
            run = try ObjectKey(reading: &reader)
            return true
        }
        guard let run else { throw missing(reader) }
        self.init(run: run)
    }
}

extension RunMessage {
    fileprivate init(reading reader: inout JSONPullReader) throws {
        var run: ObjectKey?
        var message: String?
        try readObject(&reader) { field, reader in
            if field == "run" { run = try ObjectKey(reading: &reader) }
            else if field == "message" { message = try reader.string() }
            else { return false }
            return true
        }
        guard let run, let message else { throw missing(reader) }
        self.init(run: run, message: message)
    }
}

extension StageRef {
    fileprivate init(reading reader: inout JSONPullReader) throws {
        var run: ObjectKey?
        var stage: Int?
        try readObject(&reader) { field, reader in
            if field == "run" { run = try ObjectKey(reading: &reader) }
            else if field == "stage" { stage = try reader.intValue() }
            else { return false }
            return true
        }
        guard let run, let stage else { throw missing(reader) }
        self.init(run: run, stage: stage)
    }
}

extension ClusterRef {
    fileprivate init(reading reader: inout JSONPullReader) throws {
        let mark = reader.mark
        if let ref = try Self.canonical(&reader) {
            self = ref
            return
        }
        reader.rewind(to: mark)
        var run: ObjectKey?
        var stage: Int?
        var cluster: String?
        try readObject(&reader) { field, reader in
            if field == "run" { run = try ObjectKey(reading: &reader) }
            else if field == "stage" { stage = try reader.intValue() }
            else if field == "cluster" { cluster = try reader.string() }
            else { return false }
            return true
        }
        guard let run, let stage, let cluster else { throw missing(reader) }
        self.init(run: run, stage: stage, cluster: cluster)
    }
}

extension ClusterRef {
    /// A third of a journal's events: read as the journal writes them (canonical JSON) when they are.
    fileprivate static func canonical(_ reader: inout JSONPullReader) throws -> ClusterRef? {
        guard reader.skip(#"{"cluster":"#) else { return nil }
        let cluster = try reader.string()
        guard reader.skip(#","run":"#), let run = try ObjectKey.canonical(&reader), reader.skip(#","stage":"#) else { return nil }
        let stage = try reader.intValue()
        guard reader.skip("}") else { return nil }
        return ClusterRef(run: run, stage: stage, cluster: cluster)
    }
}

extension ClusterFailure {
    fileprivate init(reading reader: inout JSONPullReader) throws {
        var run: ObjectKey?
        var stage: Int?
        var cluster: String?
        var message: String?
        try readObject(&reader) { field, reader in
            if field == "run" { run = try ObjectKey(reading: &reader) }
            else if field == "stage" { stage = try reader.intValue() }
            else if field == "cluster" { cluster = try reader.string() }
            else if field == "message" { message = try reader.string() }
            else { return false }
            return true
        }
        guard let run, let stage, let cluster, let message else { throw missing(reader) }
        self.init(run: run, stage: stage, cluster: cluster, message: message)
    }
}

extension RunStuck {
    fileprivate init(reading reader: inout JSONPullReader) throws {
        var run: ObjectKey?
        var stage: Int?
        var clusters: [String]?
        try readObject(&reader) { field, reader in
            if field == "run" { run = try ObjectKey(reading: &reader) }
            else if field == "stage" { stage = try reader.intValue() }
            else if field == "clusters" { clusters = try reader.strings() }
            else { return false }
            return true
        }
        guard let run, let stage, let clusters else { throw missing(reader) }
        self.init(run: run, stage: stage, clusters: clusters)
    }
}

extension TaskRef {
    fileprivate init(reading reader: inout JSONPullReader) throws {
        var run: ObjectKey?
        var stage: Int?
        var phase: Phase?
        var task: Int?
        try readObject(&reader) { field, reader in
            if field == "run" { run = try ObjectKey(reading: &reader) }
            else if field == "stage" { stage = try reader.intValue() }
            else if field == "phase" { phase = Phase(rawValue: try reader.string()) }
            else if field == "task" { task = try reader.intValue() }
            else { return false }
            return true
        }
        guard let run, let stage, let phase, let task else { throw missing(reader) }
        self.init(run: run, stage: stage, phase: phase, task: task)
    }
}

extension ApprovalAccepted {
    fileprivate init(reading reader: inout JSONPullReader) throws {
        var request: ObjectKey?
        var generation: Int64?
        try readObject(&reader) { field, reader in
            if field == "request" { request = try ObjectKey(reading: &reader) }
            else if field == "generation" { generation = try reader.int() }
            else { return false }
            return true
        }
        guard let request, let generation else { throw missing(reader) }
        self.init(request: request, generation: generation)
    }
}

extension ApprovalDecision {
    /// Read directly: through the tree and `Codable` it cost about 23,000 instructions, once for each decision.
    fileprivate init(reading reader: inout JSONPullReader) throws {
        var request: ObjectKey?
        var run: ObjectKey?
        var approved: Bool?
        var approver: String?
        var planHash: String?
        var message: String?
        try readObject(&reader) { field, reader in
            if field == "request" { request = try ObjectKey(reading: &reader) }
            else if field == "run" { run = try ObjectKey(reading: &reader) }
            else if field == "approved" { approved = try reader.value().boolValue }
            else if field == "approver" { approver = try reader.string() }
            else if field == "planHash" { planHash = try reader.string() }
            else if field == "message" { message = try reader.string() }
            else { return false }
            return true
        }
        guard let request, let run, let approved, let approver, let planHash, let message else { throw missing(reader) }
        self.init(request: request, run: run, approved: approved, approver: approver, planHash: planHash, message: message)
    }
}

extension MemberApplied {
    fileprivate init(reading reader: inout JSONPullReader) throws {
        let mark = reader.mark
        if let applied = try Self.canonical(&reader) {
            self = applied
            return
        }
        reader.rewind(to: mark)
        var cluster: String?
        var placement: ObjectKey?
        var resourceIndex: Int?
        var objects: [JSON]?
        var untrackable: Bool?
        try readObject(&reader) { field, reader in
            if field == "cluster" { cluster = try reader.string() }
            else if field == "placement" { placement = try ObjectKey(reading: &reader) }
            else if field == "resourceIndex" { resourceIndex = try reader.intValue() }
            else if field == "objects" { objects = try reader.sharedElements() }
            else if field == "untrackable" { untrackable = try reader.value().boolValue }
            else { return false }
            return true
        }
        guard let cluster, let placement, let resourceIndex, let objects else { throw missing(reader) }
        self.init(cluster: cluster, placement: placement, resourceIndex: resourceIndex, objects: objects, untrackable: untrackable)
    }
}

extension MemberApplied {
    /// A third of a journal's events: read as the journal writes them (canonical JSON) when they are.
    fileprivate static func canonical(_ reader: inout JSONPullReader) throws -> MemberApplied? {
        guard reader.skip(#"{"cluster":"#) else { return nil }
        let cluster = try reader.string()
        guard reader.skip(#","objects":"#) else { return nil }
        let objects = try reader.sharedElements()
        guard reader.skip(#","placement":"#), let placement = try ObjectKey.canonical(&reader), reader.skip(#","resourceIndex":"#)
        else { return nil }
        let resourceIndex = try reader.intValue()
        var untrackable: Bool?
        if reader.skip(#","untrackable":"#) {
            guard let value = try reader.value().boolValue else { return nil }
            untrackable = value
        }
        guard reader.skip("}") else { return nil }
        return MemberApplied(cluster: cluster, placement: placement, resourceIndex: resourceIndex, objects: objects, untrackable: untrackable)
    }
}

extension MemberApplyFailed {
    fileprivate init(reading reader: inout JSONPullReader) throws {
        var cluster: String?
        var placement: ObjectKey?
        var resourceIndex: Int?
        var message: String?
        var resource: JSON?
        try readObject(&reader) { field, reader in
            if field == "cluster" { cluster = try reader.string() }
            else if field == "placement" { placement = try ObjectKey(reading: &reader) }
            else if field == "resourceIndex" { resourceIndex = try reader.intValue() }
            else if field == "message" { message = try reader.string() }
            else if field == "resource" { resource = try reader.value() }
            else { return false }
            return true
        }
        guard let cluster, let placement, let resourceIndex, let message else { throw missing(reader) }
        self.init(cluster: cluster, placement: placement, resourceIndex: resourceIndex, message: message, resource: resource)
    }
}

extension MemberRemoved {
    fileprivate init(reading reader: inout JSONPullReader) throws {
        var cluster: String?
        var placement: ObjectKey?
        try readObject(&reader) { field, reader in
            if field == "cluster" { cluster = try reader.string() }
            else if field == "placement" { placement = try ObjectKey(reading: &reader) }
            else { return false }
            return true
        }
        guard let cluster, let placement else { throw missing(reader) }
        self.init(cluster: cluster, placement: placement)
    }
}

extension MemberDiffReported {
    fileprivate init(reading reader: inout JSONPullReader) throws {
        var cluster: String?
        var placement: ObjectKey?
        var resourceIndex: Int?
        var differences: [String]?
        try readObject(&reader) { field, reader in
            if field == "cluster" { cluster = try reader.string() }
            else if field == "placement" { placement = try ObjectKey(reading: &reader) }
            else if field == "resourceIndex" { resourceIndex = try reader.intValue() }
            else if field == "differences" { differences = try reader.strings() }
            else { return false }
            return true
        }
        guard let cluster, let placement, let resourceIndex, let differences else { throw missing(reader) }
        self.init(cluster: cluster, placement: placement, resourceIndex: resourceIndex, differences: differences)
    }
}

extension ControllerHalted {
    fileprivate init(reading reader: inout JSONPullReader) throws {
        var key: ObjectKey?
        var message: String?
        try readObject(&reader) { field, reader in
            if field == "key" { key = try ObjectKey(reading: &reader) }
            else if field == "message" { message = try reader.string() }
            else { return false }
            return true
        }
        guard let key, let message else { throw missing(reader) }
        self.init(key: key, message: message)
    }
}
