internal import CLZ4

/// LZ4 block compression, with or without a dictionary.
///
/// LZ4 blocks carry no length header: callers store the uncompressed length (`raw_len`) beside each block.
///
/// Related LZ4 documentation: <https://github.com/lz4/lz4/blob/dev/lib/lz4.h>
enum LZ4 {
    /// The most bytes LZ4 can reach back into a dictionary; a longer dictionary only uses its last 64 KiB.
    static let windowSize = 64 * 1024

    /// Compresses `source` on its own, or returns nil when that would not make it smaller.
    static func compress(_ source: [UInt8]) -> [UInt8]? {
        guard !source.isEmpty, source.count <= LZ4_MAX_INPUT_SIZE else { return nil }
        let bound = Int(LZ4_compressBound(Int32(source.count)))
        let block = [UInt8](unsafeUninitializedCapacity: bound) { output, count in
            count = source.withUnsafeBytes { input in
                Int(LZ4_compress_default(input.cString, output.cString, Int32(source.count), Int32(bound)))
            }
        }
        return block.isEmpty || block.count >= source.count ? nil : block
    }

    /// Decompresses a block that holds exactly `rawLength` bytes, using `dictionary` when it is not empty.
    ///
    /// Returns nil when the block is malformed or decodes to another length: LZ4's safe decoder never writes outside
    /// its buffer, so a damaged row cannot do worse than fail here.
    static func decompress(_ block: [UInt8], rawLength: Int, dictionary: [UInt8] = []) -> [UInt8]? {
        guard !block.isEmpty, rawLength > 0, rawLength <= Int32.max, block.count <= Int32.max else { return nil }
        var intact = false
        let bytes = [UInt8](unsafeUninitializedCapacity: rawLength) { output, count in
            let decoded = block.withUnsafeBytes { input in
                dictionary.withUnsafeBytes { dictionary in
                    if dictionary.isEmpty {
                        return LZ4_decompress_safe(input.cString, output.cString, Int32(block.count), Int32(rawLength))
                    }
                    return LZ4_decompress_safe_usingDict(
                        input.cString, output.cString, Int32(block.count), Int32(rawLength),
                        dictionary.cString, Int32(dictionary.count))
                }
            }
            intact = decoded == rawLength
            count = intact ? rawLength : 0
        }
        return intact ? bytes : nil
    }

    /// Decompresses a block that holds exactly `output.count` bytes into `output`; false when it does not.
    static func decompress(
        _ block: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<UInt8>, dictionary: UnsafeRawBufferPointer
    ) -> Bool {
        guard !block.isEmpty, !output.isEmpty, output.count <= Int32.max, block.count <= Int32.max else { return false }
        let decoded = dictionary.isEmpty
            ? LZ4_decompress_safe(block.cString, output.cString, Int32(block.count), Int32(output.count))
            : LZ4_decompress_safe_usingDict(
                block.cString, output.cString, Int32(block.count), Int32(output.count), dictionary.cString,
                Int32(dictionary.count))
        return decoded == output.count
    }

    /// The stored form of bytes that are compressed only when it pays: the block when smaller, else the raw bytes.
    static func pack(_ bytes: [UInt8]) -> [UInt8] {
        compress(bytes) ?? bytes
    }

    /// Reverses `pack(_:)`: a stored value as long as `rawLength` is raw, anything shorter is a block.
    static func unpack(_ stored: [UInt8], rawLength: Int) -> [UInt8]? {
        stored.count == rawLength ? stored : decompress(stored, rawLength: rawLength)
    }
}

extension UnsafeRawBufferPointer {
    /// The bytes as LZ4's `const char *`; non-empty buffers only.
    var cString: UnsafePointer<CChar> {
        baseAddress!.assumingMemoryBound(to: CChar.self)
    }
}

extension UnsafeMutableBufferPointer<UInt8> {
    /// The bytes as LZ4's `char *`; non-empty buffers only.
    var cString: UnsafeMutablePointer<CChar> {
        UnsafeMutableRawPointer(baseAddress!).assumingMemoryBound(to: CChar.self)
    }
}
