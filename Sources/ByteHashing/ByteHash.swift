/// A quick hash of a few dozen bytes, for the tables that find repeated text by its bytes (the journal's interned
/// names, `JSONTreeCache`, `JSONPullReader.Vocabulary`): eight bytes a step, where FNV-1a's multiply per byte was a
/// chain as long as the text on replay's hottest path. Every table that uses it compares the bytes too, so a
/// collision costs a miss, not a wrong answer.
///
/// A module of its own so that the journal and the API types, which depend on neither, share it; inlinable, as it
/// runs a few times for every event a replay reads.
public enum ByteHash {
    @inlinable @inline(__always)
    public static func of(_ start: UnsafePointer<UInt8>, count: Int) -> Int {
        let raw = UnsafeRawPointer(start)
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: count)
        var offset = 0
        while offset + 8 <= count {
            hash = mix(hash, raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        if offset < count {
            // The last eight bytes, overlapping the step before, or the few there are one by one.
            if count >= 8 {
                hash = mix(hash, raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
            } else {
                var tail: UInt64 = 0
                for index in 0..<count { tail = tail << 8 | UInt64(start[index]) }
                hash = mix(hash, tail)
            }
        }
        return Int(truncatingIfNeeded: finish(hash))
    }

    /// MurmurHash3's finalizer: a multiply carries a bit only upward, so without it bytes at the end of the last
    /// word (where names like `member/bk000000-m01` differ) never reached the low bits a table indexes by.
    @inlinable @inline(__always)
    static func finish(_ hash: UInt64) -> UInt64 {
        var hash = hash
        hash = (hash ^ (hash >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        hash = (hash ^ (hash >> 33)) &* 0xC4CE_B9FE_1A85_EC53
        return hash ^ (hash >> 33)
    }

    @inlinable @inline(__always)
    static func mix(_ hash: UInt64, _ word: UInt64) -> UInt64 {
        let product = (hash ^ word) &* 0xFF51_AFD7_ED55_8CCD
        return product ^ (product >> 32)
    }
}
