internal import Crypto

/// The journal's SHA-256 hash chain.
///
/// Each event's hash covers the previous event's hash (32 zero bytes before seq 1) and the event's uncompressed
/// content, so changing any stored byte of any row breaks the chain from that row on. Fields are encoded so they
/// cannot run together: integers as 8-byte big-endian, strings (UTF-8) and the payload each behind an 8-byte
/// big-endian length:
///
///     previous hash | seq | len stream | stream | version | len type | type | time | len actor | actor
///     | len payload | payload
enum ChainHash {
    /// The "previous hash" of seq 1.
    static let genesis = [UInt8](repeating: 0, count: 32)

    static func hash(
        previous: [UInt8], seq: Int64, stream: String, version: Int64, type: String, time: Int64, actor: String,
        payload: [UInt8]
    ) -> [UInt8] {
        withUTF8(stream) { stream in
            withUTF8(type) { type in
                withUTF8(actor) { actor in
                    hash(
                        previous: previous, seq: seq, stream: stream, version: version, type: type, time: time,
                        actor: actor, payload: payload)
                }
            }
        }
    }

    /// The fields before the payload go to SHA-256 in one update from a buffer on the stack, and the payload in
    /// another: each update costs as much as hashing a few dozen bytes, and there would be a dozen.
    private static func hash(
        previous: [UInt8], seq: Int64, stream: UnsafeRawBufferPointer, version: Int64, type: UnsafeRawBufferPointer,
        time: Int64, actor: UnsafeRawBufferPointer, payload: [UInt8]
    ) -> [UInt8] {
        let headerSize = previous.count + 7 * 8 + stream.count + type.count + actor.count
        var hasher = SHA256()
        withUnsafeTemporaryAllocation(byteCount: headerSize, alignment: 8) { header in
            var offset = 0
            func put(_ bytes: UnsafeRawBufferPointer) {
                UnsafeMutableRawBufferPointer(rebasing: header[offset...]).copyMemory(from: bytes)
                offset += bytes.count
            }
            func put(_ value: Int64) {
                header.storeBytes(of: value.bigEndian, toByteOffset: offset, as: Int64.self)
                offset += 8
            }
            previous.withUnsafeBytes { put($0) }
            put(seq)
            put(Int64(stream.count))
            put(stream)
            put(version)
            put(Int64(type.count))
            put(type)
            put(time)
            put(Int64(actor.count))
            put(actor)
            put(Int64(payload.count))
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: header[..<offset]))
        }
        payload.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return hasher.finalize().withUnsafeBytes { Array($0) }
    }

    /// The string's UTF-8 in place when it is stored contiguously (native strings are), else a copy.
    private static func withUTF8<Result>(_ text: String, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        if let result = text.utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return Array(text.utf8).withUnsafeBytes(body)
    }

    /// The hash `event` should carry after `previous`.
    static func hash(of event: RecordedEvent, previous: [UInt8]) -> [UInt8] {
        hash(
            previous: previous, seq: event.seq, stream: event.stream, version: event.version, type: event.type,
            time: event.time, actor: event.actor, payload: event.payload)
    }
}
