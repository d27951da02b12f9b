/// The most recent raw payloads, at least `LZ4.windowSize` bytes of them when there are that many: the material
/// for the next dictionary.
struct PayloadWindow {
    private var payloads: [[UInt8]] = []
    private var head = 0
    private var byteCount = 0

    var isEmpty: Bool { byteCount == 0 }

    /// Adds the newest payload and drops the oldest ones that are no longer needed to fill the window.
    mutating func append(_ payload: [UInt8]) {
        guard !payload.isEmpty else { return }
        payloads.append(payload)
        byteCount += payload.count
        while byteCount - payloads[head].count >= LZ4.windowSize {
            byteCount -= payloads[head].count
            head += 1
        }
        if head > 1024 {
            payloads.removeFirst(head)
            head = 0
        }
    }

    /// Prepends an older payload, for rebuilding the window from the newest events backwards; false once full.
    mutating func prepend(_ payload: [UInt8]) -> Bool {
        guard byteCount < LZ4.windowSize else { return false }
        if !payload.isEmpty {
            payloads.insert(payload, at: head)
            byteCount += payload.count
        }
        return byteCount < LZ4.windowSize
    }

    /// The last `LZ4.windowSize` bytes of the payloads in order, newest at the end, where LZ4 finds matches at the
    /// shortest offsets.
    func dictionary() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(byteCount)
        for payload in payloads[head...] {
            bytes.append(contentsOf: payload)
        }
        return Array(bytes.suffix(LZ4.windowSize))
    }
}
