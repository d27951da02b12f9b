import FleetAPI
import Foundation

/// Direct reads of what a checkpoint image holds by the thousand: objects, members and what each applied, placements
/// and their bindings, runs. They give what `init(from:)` gives, at the cost of their bytes; the rest goes through
/// `Codable`. Each refuses a field it does not know (see `BinaryValue`), so one left behind by a new stored property
/// costs a replay, never a state without it.
extension HubState {
    /// The `[KeyedEntry<Value>]` at `value` (the entries at the positions in `range`, when given), each entry
    /// passed to `body` as it is read.
    static func forEachKeyedEntry<Value>(
        _ value: BinaryValue, in range: Range<Int>? = nil, _ read: (BinaryValue) throws -> Value,
        _ body: (ObjectKey, Value) throws -> Void
    ) throws {
        _ = try value.elements(in: range) { entry in
            var key: ObjectKey?
            var entryValue: Value?
            try entry.forEachField { name, field in
                switch name {
                case "key": key = try ObjectKey(binary: field)
                case "value": entryValue = try read(field)
                default: throw BinaryValue.unknownField(name, of: [ObjectKey: Value].self)
                }
            }
            guard let key, let entryValue else { throw BinaryValue.missingField("key or value", of: [ObjectKey: Value].self) }
            try body(key, entryValue)
        }
    }

    /// The dictionary a `[KeyedEntry<Value>]` at `value` encodes.
    static func keyedEntries<Value>(_ value: BinaryValue, _ read: (BinaryValue) throws -> Value) throws -> [ObjectKey: Value] {
        var dictionary: [ObjectKey: Value] = [:]
        dictionary.reserveCapacity(try value.count)
        try forEachKeyedEntry(value, read) { key, entry in dictionary[key] = entry }
        return dictionary
    }

    /// The `[String: Value]` at `value`.
    static func stringKeyed<Value>(_ value: BinaryValue, _ read: (BinaryValue) throws -> Value) throws -> [String: Value] {
        var dictionary: [String: Value] = [:]
        dictionary.reserveCapacity(try value.count)
        try value.forEachField { name, field in dictionary[name] = try read(field) }
        return dictionary
    }
}

extension ObjectKey {
    init(binary value: BinaryValue) throws {
        var kind: String?
        var namespace: String?
        var name: String?
        try value.forEachField { field, entry in
            switch field {
            case "kind": kind = try entry.string()
            case "namespace": namespace = try entry.string()
            case "name": name = try entry.string()
            default: throw BinaryValue.unknownField(field, of: ObjectKey.self)
            }
        }
        guard let kind, let namespace, let name else { throw BinaryValue.missingField("kind, namespace or name", of: ObjectKey.self) }
        self.init(kind: kind, namespace: namespace, name: name)
    }
}

extension StoredObject {
    init(binary value: BinaryValue) throws {
        var key: ObjectKey?
        var json: JSON?
        var generation: Int64?
        var resourceVersion: Int64?
        try value.forEachField { name, field in
            switch name {
            case "key": key = try ObjectKey(binary: field)
            case "json": json = try field.json()
            case "generation": generation = try field.integer()
            case "resourceVersion": resourceVersion = try field.integer()
            default: throw BinaryValue.unknownField(name, of: StoredObject.self)
            }
        }
        guard let key, let json, let generation, let resourceVersion else {
            throw BinaryValue.missingField("key, json, generation or resourceVersion", of: StoredObject.self)
        }
        self.init(key: key, json: json, generation: generation, resourceVersion: resourceVersion)
    }
}

extension MemberState {
    init(binary value: BinaryValue) throws {
        self.init()
        var seen = 0
        try value.forEachField { name, field in
            switch name {
            case "applied": applied = try HubState.keyedEntries(field, Applied.init(binary:))
            case "reported": reported = try HubState.keyedEntries(field) { try $0.decode(Reported.self) }
            case "failures": failures = try HubState.keyedEntries(field) { try $0.decode(MemberApplyFailed.self) }
            default: throw BinaryValue.unknownField(name, of: MemberState.self)
            }
            seen += 1
        }
        guard seen == 3 else { throw BinaryValue.missingField("applied, reported or failures", of: MemberState.self) }
    }
}

extension MemberState.Applied {
    init(binary value: BinaryValue) throws {
        var resourceIndex: Int?
        var objects: [JSON]?
        var since: Date?
        var untrackable: Bool?
        try value.forEachField { name, field in
            switch name {
            case "resourceIndex": resourceIndex = try field.integer()
            case "objects": objects = try field.elements { try $0.sharedJSON() }
            case "since": since = try field.optional { try $0.date() }
            case "untrackable": untrackable = try field.optional { try $0.bool() }
            default: throw BinaryValue.unknownField(name, of: MemberState.Applied.self)
            }
        }
        guard let resourceIndex, let objects else { throw BinaryValue.missingField("resourceIndex or objects", of: Self.self) }
        self.init(resourceIndex: resourceIndex, objects: objects, since: since, untrackable: untrackable)
    }
}

extension PlacementState {
    init(binary value: BinaryValue) throws {
        self.init()
        var required = Set(["scheduledClusters", "resourceSnapshots", "bindings"])
        try value.forEachField { name, field in
            switch name {
            case "spec": spec = try field.optional { try $0.decode(PlacementSpec.self) }
            case "policyIndex": policyIndex = try field.optional { try $0.integer() }
            case "scheduledClusters": scheduledClusters = try field.elements { try $0.string() }
            case "decisions": decisions = try field.optional { try $0.elements { try $0.sharedJSON() } }
            case "scheduledAt": scheduledAt = try field.optional { try $0.date() }
            case "resourceSnapshots":
                try field.forEachField { index, snapshot in
                    guard let index = Int(index) else { throw BinaryValue.unknownField(index, of: [Int: Snapshot].self) }
                    resourceSnapshots[index] = try Snapshot(binary: snapshot)
                }
            case "bindings": bindings = try HubState.stringKeyed(field, Binding.init(binary:))
            case "latestResourceIndex": latestResourceIndex = try field.optional { try $0.integer() }
            default: throw BinaryValue.unknownField(name, of: PlacementState.self)
            }
            required.remove(name)
        }
        guard required.isEmpty else { throw BinaryValue.missingField(required.sorted().joined(separator: ", "), of: Self.self) }
    }
}

extension PlacementState.Snapshot {
    init(binary value: BinaryValue) throws {
        var hash: String?
        var resources: [JSON]?
        try value.forEachField { name, field in
            switch name {
            case "hash": hash = try field.string()
            case "resources": resources = try field.elements { try $0.sharedJSON() }
            default: throw BinaryValue.unknownField(name, of: Self.self)
            }
        }
        guard let hash, let resources else { throw BinaryValue.missingField("hash or resources", of: Self.self) }
        self.init(hash: hash, resources: resources)
    }
}

extension PlacementState.Binding {
    init(binary value: BinaryValue) throws {
        var run: ObjectKey?
        var resourceIndex: Int?
        var since: Date?
        var overrides: [ObjectKey]?
        try value.forEachField { name, field in
            switch name {
            case "run": run = try field.optional(ObjectKey.init(binary:))
            case "resourceIndex": resourceIndex = try field.integer()
            case "since": since = try field.optional { try $0.date() }
            case "overrides": overrides = try field.optional { try $0.elements(ObjectKey.init(binary:)) }
            default: throw BinaryValue.unknownField(name, of: Self.self)
            }
        }
        guard let resourceIndex else { throw BinaryValue.missingField("resourceIndex", of: Self.self) }
        self.init(run: run, resourceIndex: resourceIndex, since: since, overrides: overrides)
    }
}

extension UpdateRunState {
    /// What a run holds by the stage and cluster is read directly (its status's stages, in FleetAPI); the rest,
    /// once a run, through `Codable`.
    init(binary value: BinaryValue) throws {
        // What `init(key:spec:generation:)` takes first, in a pass of its own; the rest are set in the second.
        var key: ObjectKey?
        var spec: UpdateRunSpec?
        var generation: Int64?
        try value.forEachField { name, field in
            switch name {
            case "key": key = try ObjectKey(binary: field)
            case "spec": spec = try field.decode(UpdateRunSpec.self)
            case "generation": generation = try field.integer()
            default: break
            }
        }
        guard let key, let spec, let generation else {
            throw BinaryValue.missingField("key, spec or generation", of: UpdateRunState.self)
        }
        self.init(key: key, spec: spec, generation: generation)
        var required = Set([
            "status", "overrides", "stuckThreshold", "frozenMembership", "approvals", "rollsBackOnFailure",
        ])
        try value.forEachField { name, field in
            switch name {
            case "key", "spec", "generation": return
            case "status": status = try field.decode(UpdateRunStatus.self)
            case "resourceSnapshotIndex": resourceSnapshotIndex = try field.optional { try $0.integer() }
            case "applyStrategy": applyStrategy = try field.optional { try $0.json() }
            case "overrides": overrides = try HubState.stringKeyed(field) { try $0.elements(ObjectKey.init(binary:)) }
            case "stuckThreshold": stuckThreshold = try field.double()
            case "frozenMembership": frozenMembership = try field.bool()
            case "maxFailures": maxFailures = try field.optional { try $0.decode(FailureBudget.self) }
            case "progressDeadline": progressDeadline = try field.optional { try $0.double() }
            case "minSuccessTime": minSuccessTime = try field.optional { try $0.double() }
            case "approvals": approvals = try field.decode(ApprovalRules.self)
            case "rollsBackOnFailure": rollsBackOnFailure = try field.bool()
            case "rollbackOf": rollbackOf = try field.optional { try $0.string() }
            case "heldBefore": heldBefore = try field.optional { try HubState.stringKeyed($0) { try $0.decode(HeldSnapshot.self) } }
            case "restores": restores = try field.optional { try HubState.stringKeyed($0) { try $0.integer(Int.self) } }
            default: throw BinaryValue.unknownField(name, of: UpdateRunState.self)
            }
            required.remove(name)
        }
        guard required.isEmpty else { throw BinaryValue.missingField(required.sorted().joined(separator: ", "), of: Self.self) }
    }
}
