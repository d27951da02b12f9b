internal import CLZ4

/// Compresses payloads one at a time against one LZ4 dictionary, cheaply.
///
/// The dictionary is loaded into a prepared stream once (`LZ4_loadDict`). Each payload then starts from a copy of
/// that stream's state, the alternative to `LZ4_attach_dictionary` that liblz4's documentation names (the shared
/// library does not export `LZ4_attach_dictionary`). Every payload is an independent block, so reading one event
/// needs only its row and its dictionary.
///
/// - Note: Not thread-safe: it is owned by the journal's writer.
final class DictionaryCompressor {
    /// The dictionary's id in the `dictionaries` table.
    let id: Int64
    /// The dictionary's bytes, as stored.
    let dictionary: [UInt8]
    /// A copy of `dictionary` at a fixed address: the prepared stream points into it.
    private let pinned: UnsafeMutableRawBufferPointer
    private let prepared: UnsafeMutablePointer<LZ4_stream_t>
    private let working: UnsafeMutablePointer<LZ4_stream_t>

    init(id: Int64, dictionary: [UInt8]) {
        self.id = id
        self.dictionary = dictionary
        pinned = .allocate(byteCount: max(dictionary.count, 1), alignment: 16)
        pinned.copyBytes(from: dictionary)
        guard let prepared = LZ4_createStream(), let working = LZ4_createStream() else {
            fatalError("LZ4_createStream failed: out of memory")
        }
        self.prepared = prepared
        self.working = working
        LZ4_loadDict(prepared, pinned.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(dictionary.count))
    }

    deinit {
        LZ4_freeStream(prepared)
        LZ4_freeStream(working)
        pinned.deallocate()
    }

    /// Compresses `payload` against the dictionary, or returns nil when that would not make it smaller.
    func compress(_ payload: [UInt8]) -> [UInt8]? {
        guard !payload.isEmpty, payload.count <= LZ4_MAX_INPUT_SIZE else { return nil }
        let bound = Int(LZ4_compressBound(Int32(payload.count)))
        clz4_copy_stream(working, prepared)
        let block = [UInt8](unsafeUninitializedCapacity: bound) { output, count in
            count = payload.withUnsafeBytes { input in
                Int(
                    LZ4_compress_fast_continue(
                        working, input.cString, output.cString, Int32(payload.count), Int32(bound), 1))
            }
        }
        return block.isEmpty || block.count >= payload.count ? nil : block
    }
}
