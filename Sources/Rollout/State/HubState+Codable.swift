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
        indexObjects()
        indexRunsAndHolders()
    }

    /// Reads a binary image's parts on four threads, each with the indexes made from them: the objects, the larger
    /// part, split between two (one reads the later half for the other to store and index), the placements on a
    /// third, and the runs and members on the caller's. On two cores the parts take turns, none much longer than
    /// half the whole, and the state loads in about half the time. What the image holds by the thousand is read
    /// directly (`HubState+BinaryReading`).
    init(fields: BinaryFields) throws {
        let objectCount = try fields.value(forKey: CodingKeys.objects.stringValue).count
        let middle = objectCount / 2
        let laterObjects = Thread.detachedResult {
            var read: [(ObjectKey, StoredObject)] = []
            read.reserveCapacity(objectCount - middle)
            let objects = try fields.value(forKey: CodingKeys.objects.stringValue)
            try Self.forEachKeyedEntry(objects, in: middle..<objectCount, StoredObject.init(binary:)) { read.append(($0, $1)) }
            return read
        }
        let other = Thread.detachedResult {
            var part = HubState()
            part.objects.reserveCapacity(objectCount)
            let objects = try fields.value(forKey: CodingKeys.objects.stringValue)
            try Self.forEachKeyedEntry(objects, in: 0..<middle, StoredObject.init(binary:)) { key, object in part.objects[key] = object }
            for (key, object) in try laterObjects.value() { part.objects[key] = object }
            part.indexObjects()
            return part
        }
        let placementsRead = Thread.detachedResult {
            try Self.keyedEntries(try fields.value(forKey: CodingKeys.placements.stringValue), PlacementState.init(binary:))
        }
        // The other threads read the image too, so they are waited for even when this side fails.
        let mine = Swift.Result {
            var part = HubState()
            part.runs = try Self.keyedEntries(try fields.value(forKey: CodingKeys.runs.stringValue), UpdateRunState.init(binary:))
            part.members = try Self.stringKeyed(try fields.value(forKey: CodingKeys.members.stringValue), MemberState.init(binary:))
            part.indexRunsAndHolders()
            part.halted = KeyedEntry.dictionary(try fields.decode([KeyedEntry<Halt>].self, forKey: CodingKeys.halted.stringValue))
            part.lastSeq = try fields.decode(Int64.self, forKey: CodingKeys.lastSeq.stringValue)
            return part
        }
        let theirs = Swift.Result { try other.value() }
        let readPlacements = Swift.Result { try placementsRead.value() }
        _ = try? laterObjects.value()
        self = try mine.get()
        let part = try theirs.get()
        objects = part.objects
        placements = try readPlacements.get()
        takeObjectIndexes(of: part)
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

