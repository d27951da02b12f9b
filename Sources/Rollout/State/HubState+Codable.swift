import FleetAPI
import Foundation

/// Checkpoint images must be canonical: equal states give equal bytes. Dictionaries keyed by `ObjectKey` would
/// encode in hash order, so they are written as arrays sorted by key.
struct KeyedEntry<Value: Codable & Sendable>: Codable, Sendable {
    var key: ObjectKey
    var value: Value

    static func sorted(_ dictionary: [ObjectKey: Value]) -> [KeyedEntry] {
        dictionary.keys.sorted().map { KeyedEntry(key: $0, value: dictionary[$0]!) }
    }

    static func dictionary(_ entries: [KeyedEntry]) -> [ObjectKey: Value] {
        Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }
}

extension HubState {
    enum CodingKeys: String, CodingKey {
        case objects, placements, runs, members, halted, lastSeq
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        for entry in try container.decode([KeyedEntry<StoredObject>].self, forKey: .objects) {
            objects[entry.key] = entry.value
        }
        placements = KeyedEntry.dictionary(try container.decode([KeyedEntry<PlacementState>].self, forKey: .placements))
        runs = KeyedEntry.dictionary(try container.decode([KeyedEntry<UpdateRunState>].self, forKey: .runs))
        members = try container.decode([String: MemberState].self, forKey: .members)
        halted = KeyedEntry.dictionary(try container.decode([KeyedEntry<Halt>].self, forKey: .halted))
        lastSeq = try container.decode(Int64.self, forKey: .lastSeq)
        for key in runs.keys { indexRun(key, placement: nil) }
        indexMembers()
        indexHolders()
        indexKinds()
    }

    /// Reads a binary image's parts on two threads, each with the indexes made from them: the objects and the
    /// placements on one, the runs and the members on the caller's. The two halves cost about the same, so the
    /// state loads in about half the time. What the image holds by the thousand is read directly
    /// (`HubState+BinaryReading`).
    init(fields: BinaryFields) throws {
        let other = Thread.detachedResult {
            var half = HubState()
            let objects = try fields.value(forKey: CodingKeys.objects.stringValue)
            half.objects.reserveCapacity(try objects.count)
            try Self.forEachKeyedEntry(objects, StoredObject.init(binary:)) { key, object in half.objects[key] = object }
            half.indexMembers()
            half.indexKinds()
            half.placements = try Self.keyedEntries(try fields.value(forKey: CodingKeys.placements.stringValue), PlacementState.init(binary:))
            return half
        }
        // The other thread reads the image too, so it is waited for even when this side fails.
        let mine = Swift.Result {
            var half = HubState()
            half.runs = try Self.keyedEntries(try fields.value(forKey: CodingKeys.runs.stringValue), UpdateRunState.init(binary:))
            for key in half.runs.keys { half.indexRun(key, placement: nil) }
            half.members = try Self.stringKeyed(try fields.value(forKey: CodingKeys.members.stringValue), MemberState.init(binary:))
            half.indexHolders()
            half.halted = KeyedEntry.dictionary(try fields.decode([KeyedEntry<Halt>].self, forKey: CodingKeys.halted.stringValue))
            half.lastSeq = try fields.decode(Int64.self, forKey: CodingKeys.lastSeq.stringValue)
            return half
        }
        let theirs = Swift.Result { try other.value() }
        self = try mine.get()
        let half = try theirs.get()
        objects = half.objects
        placements = half.placements
        memberLabels = half.memberLabels
        memberNames = half.memberNames
        ineligibleMembers = half.ineligibleMembers
        kinds = half.kinds
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(objects.keys.sorted().map { KeyedEntry(key: $0, value: objects[$0]!) }, forKey: .objects)
        try container.encode(KeyedEntry.sorted(placements), forKey: .placements)
        try container.encode(KeyedEntry.sorted(runs), forKey: .runs)
        try container.encode(members, forKey: .members)
        try container.encode(KeyedEntry.sorted(halted), forKey: .halted)
        try container.encode(lastSeq, forKey: .lastSeq)
    }
}

extension MemberState {
    enum CodingKeys: String, CodingKey {
        case applied, reported, failures
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        applied = KeyedEntry.dictionary(try container.decode([KeyedEntry<Applied>].self, forKey: .applied))
        reported = KeyedEntry.dictionary(try container.decode([KeyedEntry<Reported>].self, forKey: .reported))
        failures = KeyedEntry.dictionary(try container.decode([KeyedEntry<MemberApplyFailed>].self, forKey: .failures))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(KeyedEntry.sorted(applied), forKey: .applied)
        try container.encode(KeyedEntry.sorted(reported), forKey: .reported)
        try container.encode(KeyedEntry.sorted(failures), forKey: .failures)
    }
}

