/// The bytes a JSON string cannot hold as they are: quotes, backslashes and control characters. Reading and
/// writing strings both look for them eight bytes at a time.
enum JSONSpecialBytes {
    /// Where, from `index` on in the `count` bytes at `base`, the first quote, backslash or control character is,
    /// found eight bytes at a time; or where fewer than eight bytes are left, for the caller to look at one by one.
    @inline(__always)
    static func plainRun(_ base: UnsafePointer<UInt8>, from index: Int, count: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var index = index
        while index + 8 <= count {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            // A zero byte in `quote` or `backslash`, or a byte below 0x20 in `word`: the lowest flag is exactly the
            // first such byte (a borrow only flags bytes above it).
            let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
            if special & highs != 0 { return index + (special & highs).trailingZeroBitCount / 8 }
            index += 8
        }
        return index
    }
}
