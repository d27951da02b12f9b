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
        if let event = try? Self.read(type: type, payloadBytes, cache) {
            self = event
            return
        }
        try self.init(type: type, payload: JSON.parse(payloadBytes))
    }

    private static func read(type: String, _ bytes: UnsafeBufferPointer<UInt8>, _ cache: JSONTreeCache?) throws -> FleetEvent? {
        // UpdateRunInitialized holds a whole strategy: one per run, left to `Codable`.
        guard let read = payloadReaders[type] else { return nil }
        var reader = JSONPullReader(bytes, sharing: cache)
        let event = try read(&reader)
        try reader.end()
        return event
    }

    /// The direct reader of each event type, found by one hash rather than a comparison per type.
    private static let payloadReaders: [String: @Sendable (inout JSONPullReader) throws -> FleetEvent] = [
        "ObjectCreated.v1": { .objectCreated(try ObjectCreated(reading: &$0)) },
        "ObjectUpdated.v1": { .objectUpdated(try ObjectUpdated(reading: &$0)) },
        "ObjectStatusUpdated.v1": { .objectStatusUpdated(try ObjectStatusUpdated(reading: &$0)) },
        "ObjectDeleted.v1": { .objectDeleted(try ObjectDeleted(reading: &$0)) },
        "PolicySnapshotCreated.v1": { .policySnapshotCreated(try PolicySnapshotCreated(reading: &$0)) },
        "ResourceSnapshotCreated.v1": { .resourceSnapshotCreated(try ResourceSnapshotCreated(reading: &$0)) },
        "PlacementScheduled.v1": { .placementScheduled(try PlacementScheduled(reading: &$0)) },
        "UpdateRunInitializationFailed.v1": { .updateRunInitializationFailed(try RunMessage(reading: &$0)) },
        "StageSkipped.v1": { .stageSkipped(try StageRef(reading: &$0)) },
        "ClusterUpdateStarted.v1": { .clusterUpdateStarted(try ClusterRef(reading: &$0)) },
        "ClusterUpdateSucceeded.v1": { .clusterUpdateSucceeded(try ClusterRef(reading: &$0)) },
        "ClusterUpdateFailed.v1": { .clusterUpdateFailed(try ClusterFailure(reading: &$0)) },
        "ClusterUpdateSkipped.v1": { .clusterUpdateSkipped(try ClusterRef(reading: &$0)) },
        "ClusterUpdateAvailable.v1": { .clusterUpdateAvailable(try ClusterRef(reading: &$0)) },
        "UpdateRunStuck.v1": { .updateRunStuck(try RunStuck(reading: &$0)) },
        "StageWaiting.v1": { .stageWaiting(try StageRef(reading: &$0)) },
        "TimedWaitElapsed.v1": { .timedWaitElapsed(try TaskRef(reading: &$0)) },
        "ApprovalRequested.v1": { .approvalRequested(try TaskRef(reading: &$0)) },
        "ApprovalTaskApproved.v1": { .approvalTaskApproved(try TaskRef(reading: &$0)) },
        "ApprovalAccepted.v1": { .approvalAccepted(try ApprovalAccepted(reading: &$0)) },
        "StageSucceeded.v1": { .stageSucceeded(try StageRef(reading: &$0)) },
        "UpdateRunSucceeded.v1": { .updateRunSucceeded(try RunRef(reading: &$0)) },
        "UpdateRunFailed.v1": { .updateRunFailed(try RunMessage(reading: &$0)) },
        "UpdateRunStopping.v1": { .updateRunStopping(try StageRef(reading: &$0)) },
        "UpdateRunStopped.v1": { .updateRunStopped(try StageRef(reading: &$0)) },
        "UpdateRunResumed.v1": { .updateRunResumed(try StageRef(reading: &$0)) },
        "MemberApplied.v1": { .memberApplied(try MemberApplied(reading: &$0)) },
        "MemberApplyFailed.v1": { .memberApplyFailed(try MemberApplyFailed(reading: &$0)) },
        "MemberRemoved.v1": { .memberRemoved(try MemberRemoved(reading: &$0)) },
        "MemberDiffReported.v1": { .memberDiffReported(try MemberDiffReported(reading: &$0)) },
        "ControllerHalted.v1": { .controllerHalted(try ControllerHalted(reading: &$0)) },
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

    /// Resources and applied objects: the same ones recur in many events, so they are shared.
    fileprivate mutating func trees() throws -> [JSON] {
        var values: [JSON] = []
        try beginArray()
        while try nextElement() { values.append(try sharedValue()) }
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
    fileprivate init(reading reader: inout JSONPullReader) throws {
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

extension ObjectCreated {
    fileprivate init(reading reader: inout JSONPullReader) throws {
        var key: ObjectKey?
        var uid: String?
        var object: JSON?
        try readObject(&reader) { field, reader in
            if field == "key" { key = try ObjectKey(reading: &reader) }
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
            else if field == "decisions" { decisions = try reader.trees() }
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
            else if field == "resources" { resources = try reader.trees() }
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
            else if field == "decisions" { decisions = try reader.trees() }
            else { return false }
            return true
        }
        guard let placement, let clusters else { throw missing(reader) }
        self.init(placement: placement, clusters: clusters, decisions: decisions)
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

extension MemberApplied {
    fileprivate init(reading reader: inout JSONPullReader) throws {
        var cluster: String?
        var placement: ObjectKey?
        var resourceIndex: Int?
        var objects: [JSON]?
        var untrackable: Bool?
        try readObject(&reader) { field, reader in
            if field == "cluster" { cluster = try reader.string() }
            else if field == "placement" { placement = try ObjectKey(reading: &reader) }
            else if field == "resourceIndex" { resourceIndex = try reader.intValue() }
            else if field == "objects" { objects = try reader.trees() }
            else if field == "untrackable" { untrackable = try reader.value().boolValue }
            else { return false }
            return true
        }
        guard let cluster, let placement, let resourceIndex, let objects else { throw missing(reader) }
        self.init(cluster: cluster, placement: placement, resourceIndex: resourceIndex, objects: objects, untrackable: untrackable)
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
