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

    /// Reads a binary image's parts on two threads, the objects (and the member index made from them) on one and
    /// the rest on the caller's, then indexes the runs as `init(from:)` does: the same state in about half the time.
    /// What the image holds by the thousand is read directly (`HubState+BinaryReading`).
    init(fields: BinaryFields) throws {
        let other = Thread.detachedResult {
            var indexed = HubState()
            try Self.forEachKeyedEntry(try fields.value(forKey: CodingKeys.objects.stringValue), StoredObject.init(binary:)) { key, object in
                indexed.objects[key] = object
            }
            indexed.indexMembers()
            return indexed
        }
        // The other thread reads the image too, so it is waited for even when this side fails.
        let mine = Swift.Result {
            (
                try Self.keyedEntries(try fields.value(forKey: CodingKeys.placements.stringValue), PlacementState.init(binary:)),
                try fields.decode([KeyedEntry<UpdateRunState>].self, forKey: CodingKeys.runs.stringValue),
                try Self.stringKeyed(try fields.value(forKey: CodingKeys.members.stringValue), MemberState.init(binary:)),
                try fields.decode([KeyedEntry<Halt>].self, forKey: CodingKeys.halted.stringValue),
                try fields.decode(Int64.self, forKey: CodingKeys.lastSeq.stringValue)
            )
        }
        let theirs = Swift.Result { try other.value() }
        let (placements, runs, members, halted, lastSeq) = try mine.get()
        let indexed = try theirs.get()
        objects = indexed.objects
        memberLabels = indexed.memberLabels
        memberNames = indexed.memberNames
        ineligibleMembers = indexed.ineligibleMembers
        self.placements = placements
        self.runs = KeyedEntry.dictionary(runs)
        self.members = members
        self.halted = KeyedEntry.dictionary(halted)
        self.lastSeq = lastSeq
        for key in self.runs.keys { indexRun(key, placement: nil) }
        indexHolders()
        indexKinds()
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

