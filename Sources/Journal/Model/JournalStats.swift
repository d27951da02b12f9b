/// Sizes of the journal's contents.
public struct JournalStats: Sendable, Equatable {
    /// Events stored.
    public let events: Int64
    /// Distinct streams.
    public let streams: Int64
    /// Payload bytes before compression.
    public let rawBytes: Int64
    /// Payload bytes as stored.
    public let storedBytes: Int64
    /// Compression dictionaries stored (the seed, or an empty one, counts as the first).
    public let dictionaries: Int
    /// Bytes the dictionaries take as stored; not part of `storedBytes`.
    public let dictionaryBytes: Int64

    /// Payload compression: raw bytes per stored byte (1 for an empty journal). Dictionaries are not counted.
    public var ratio: Double {
        storedBytes == 0 ? 1 : Double(rawBytes) / Double(storedBytes)
    }

    public init(
        events: Int64, streams: Int64, rawBytes: Int64, storedBytes: Int64, dictionaries: Int, dictionaryBytes: Int64
    ) {
        self.events = events
        self.streams = streams
        self.rawBytes = rawBytes
        self.storedBytes = storedBytes
        self.dictionaries = dictionaries
        self.dictionaryBytes = dictionaryBytes
    }
}
