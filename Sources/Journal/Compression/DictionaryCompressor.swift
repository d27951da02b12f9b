internal import CLZ4

/// Compresses payloads one at a time against one LZ4 dictionary, cheaply.
///
/// The dictionary is loaded into a prepared stream once (`LZ4_loadDict`). Each payload is then compressed by a
/// working stream that refers to the prepared one in place (`clz4_ready_stream`, liblz4's attached dictionary),
/// so no per-payload copy of the 16 KiB hash table is made. Every payload is an independent block, so reading one
/// event needs only its row and its dictionary.
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
    /// Where blocks are compressed to, reused from payload to payload; grown to the largest bound seen.
    private var output: UnsafeMutableRawBufferPointer

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
        output = .allocate(byteCount: 4096, alignment: 16)
        LZ4_loadDict(prepared, pinned.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(dictionary.count))
    }

    deinit {
        LZ4_freeStream(prepared)
        LZ4_freeStream(working)
        pinned.deallocate()
        output.deallocate()
    }

    /// Compresses `payload` against the dictionary and hands `body` the block, or nil when that would not make it
    /// smaller. The block lives in a buffer the next call reuses: `body` must not keep it.
    func withCompressed<Result, Failure: Error>(
        _ payload: [UInt8], _ body: (UnsafeRawBufferPointer?) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        guard !payload.isEmpty, payload.count <= LZ4_MAX_INPUT_SIZE else { return try body(nil) }
        let bound = Int(LZ4_compressBound(Int32(payload.count)))
        if output.count < bound {
            output.deallocate()
            output = .allocate(byteCount: bound, alignment: 16)
        }
        clz4_ready_stream(working, prepared)
        let count = payload.withUnsafeBytes { input in
            Int(
                LZ4_compress_fast_continue(
                    working, input.cString, output.baseAddress!.assumingMemoryBound(to: CChar.self),
                    Int32(payload.count), Int32(bound), 1))
        }
        guard count > 0, count < payload.count else { return try body(nil) }
        return try body(UnsafeRawBufferPointer(rebasing: output[..<count]))
    }
}
