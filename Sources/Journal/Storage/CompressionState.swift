/// The writer's compression state, whichever store it writes to: the current dictionary's compressor, the recent
/// payloads the next dictionary is made of, and the raw bytes compressed since the current one was made.
///
/// - Note: Not thread-safe: owned by one store's writer, on the journal's writer queue.
struct CompressionState {
    /// Raw payload bytes compressed with one dictionary before the next one is made from recent payloads.
    ///
    /// Measured on the benchmark journal (1M events, whose names change every 1,392 events): stored bytes with the
    /// dictionaries counted were 7.30x smaller than the JSON at 128 KiB, 7.71x at 256 KiB, 7.83x at 512 KiB, 7.30x at
    /// 1 MiB and 7.04x at 4 MiB. Each dictionary costs about 3.9 KB stored, but one kept longer goes stale as the
    /// names it holds stop coming, and its events compress worse (8.70x at 256 KiB, 7.51x at 1 MiB, counting events
    /// alone).
    static let rolloverBytes = 512 * 1024

    private var compressor: DictionaryCompressor
    private var window: PayloadWindow
    private var rawSinceDictionary: Int

    init(compressor: DictionaryCompressor, window: PayloadWindow, rawSinceDictionary: Int) {
        self.compressor = compressor
        self.window = window
        self.rawSinceDictionary = rawSinceDictionary
    }

    /// Walks a batch (consecutive, in seq order) for a store's writer: a dictionary made on the way goes to
    /// `storeDictionary` just before the first event that uses it, and each event to `storeEvent` with the
    /// compressor to compress it with.
    ///
    /// - Returns: The dictionaries made, for the readers' cache once the batch commits.
    mutating func store<Failure: Error>(
        _ events: [RecordedEvent], dictionary storeDictionary: (CreatedDictionary) throws(Failure) -> Void,
        event storeEvent: (RecordedEvent, DictionaryCompressor) throws(Failure) -> Void
    ) throws(Failure) -> [CreatedDictionary] {
        var created: [CreatedDictionary] = []
        for event in events {
            if let dictionary = rollover(before: event) {
                created.append(dictionary)
                try storeDictionary(dictionary)
            }
            try storeEvent(event, compressor)
            rawSinceDictionary += event.payload.count
            window.append(event.payload)
        }
        return created
    }

    /// A new dictionary that `event` and those after it must use, when enough raw payload has passed since the
    /// current one.
    private mutating func rollover(before event: RecordedEvent) -> CreatedDictionary? {
        guard rawSinceDictionary >= Self.rolloverBytes && !window.isEmpty else { return nil }
        compressor = DictionaryCompressor(id: compressor.id + 1, dictionary: window.dictionary())
        rawSinceDictionary = 0
        return CreatedDictionary(id: compressor.id, fromSeq: event.seq, bytes: compressor.dictionary)
    }

    /// Rebuilds the state a writer left, from what its store reads back: the newest dictionary, the raw bytes
    /// stored since it, and the newest payloads, newest first, until the window is full.
    static func restore(
        newest: StoredDictionary, rawSinceDictionary: Int64,
        newestPayloads: (_ take: (RecordedEvent) -> Bool) throws(JournalError) -> Void,
        into dictionaries: DictionaryCache
    ) throws(JournalError) -> CompressionState {
        guard let dictionary = newest.bytes else {
            throw .corrupt(seq: newest.fromSeq, reason: "dictionary \(newest.id) does not decompress")
        }
        dictionaries.insert(id: newest.id, bytes: dictionary)
        var window = PayloadWindow()
        try newestPayloads { event in window.prepend(event.payload) }
        return CompressionState(
            compressor: DictionaryCompressor(id: newest.id, dictionary: dictionary), window: window,
            rawSinceDictionary: Int(rawSinceDictionary))
    }
}

/// A dictionary created by a commit, for the readers' cache.
struct CreatedDictionary {
    let id: Int64
    /// The first event compressed with it.
    let fromSeq: Int64
    let bytes: [UInt8]
}

/// The newest stored dictionary as opening reads it; `bytes` is nil when it does not decompress.
struct StoredDictionary {
    let id: Int64
    let fromSeq: Int64
    let bytes: [UInt8]?
}
