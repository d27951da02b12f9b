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
        var hasher = SHA256()
        hasher.append(previous)
        hasher.append(seq)
        hasher.append(stream)
        hasher.append(version)
        hasher.append(type)
        hasher.append(time)
        hasher.append(actor)
        hasher.append(Int64(payload.count))
        hasher.append(payload)
        return Array(hasher.finalize())
    }

    /// The hash `event` should carry after `previous`.
    static func hash(of event: RecordedEvent, previous: [UInt8]) -> [UInt8] {
        hash(
            previous: previous, seq: event.seq, stream: event.stream, version: event.version, type: event.type,
            time: event.time, actor: event.actor, payload: event.payload)
    }
}

extension SHA256 {
    fileprivate mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update(bufferPointer: $0) }
    }

    fileprivate mutating func append(_ value: Int64) {
        withUnsafeBytes(of: value.bigEndian) { update(bufferPointer: $0) }
    }

    /// Hashes the string's UTF-8 in place when it is stored contiguously (native strings are), copying otherwise.
    fileprivate mutating func append(_ text: String) {
        let hashed = text.utf8.withContiguousStorageIfAvailable { bytes in
            append(Int64(bytes.count))
            update(bufferPointer: UnsafeRawBufferPointer(bytes))
        }
        if hashed == nil {
            let bytes = Array(text.utf8)
            append(Int64(bytes.count))
            append(bytes)
        }
    }
}
