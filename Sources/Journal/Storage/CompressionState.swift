/// The writer's compression state, whichever store it writes to: the current dictionary's compressor, the recent
/// payloads the next dictionary is made of, and the raw bytes compressed since the current one was made.
///
/// - Note: Not thread-safe: owned by one store's writer, on the journal's writer queue.
struct CompressionState {
    /// Raw payload bytes compressed with one dictionary before the next one is made from recent payloads.
    static let rolloverBytes = 256 * 1024

    private(set) var compressor: DictionaryCompressor
    private var window: PayloadWindow
    private var rawSinceDictionary: Int

    init(compressor: DictionaryCompressor, window: PayloadWindow, rawSinceDictionary: Int) {
        self.compressor = compressor
        self.window = window
        self.rawSinceDictionary = rawSinceDictionary
    }

    /// A new dictionary that `event` and those after it must use, when enough raw payload has passed since the
    /// current one; the caller stores it before the event.
    mutating func rollover(before event: RecordedEvent) -> CreatedDictionary? {
        guard rawSinceDictionary >= Self.rolloverBytes && !window.isEmpty else { return nil }
        compressor = DictionaryCompressor(id: compressor.id + 1, dictionary: window.dictionary())
        rawSinceDictionary = 0
        return CreatedDictionary(id: compressor.id, fromSeq: event.seq, bytes: compressor.dictionary)
    }

    /// Counts a payload the caller has stored.
    mutating func stored(_ payload: [UInt8]) {
        rawSinceDictionary += payload.count
        window.append(payload)
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
