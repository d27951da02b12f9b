internal import ByteHashing
internal import Glibc

/// Turns stored rows into `ReplayedEvent`s for `Journal.replay`, on either store, with nothing allocated per event
/// but what the body keeps: payloads are decompressed into one reused buffer, the current dictionary is kept at
/// hand, and repeated type and actor names are made once.
struct ReplayDecoder {
    private var types = InternedNames()
    private var actors = InternedNames()
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var dictionaryID: Int64 = 0
    private var dictionary: [UInt8] = []

    /// Decodes one row, lent by the store for this call only, and hands it to `body`; `load` reads a dictionary
    /// that is not the current one.
    ///
    /// - Throws: What `body` throws, unchanged; `JournalError.corrupt` when the payload does not decode.
    mutating func decode(
        seq: Int64, type: UnsafeBufferPointer<UInt8>, time: Int64, actor: UnsafeBufferPointer<UInt8>,
        dictionaryID id: Int64, rawLength: Int, stored: UnsafeRawBufferPointer,
        load: (Int64) throws(JournalError) -> [UInt8]?, _ body: (ReplayedEvent) throws -> Void
    ) throws {
        if id != 0 && id != dictionaryID {
            guard let bytes = try load(id) else {
                throw JournalError.corrupt(seq: seq, reason: "dictionary \(id) is missing or damaged")
            }
            dictionary = bytes
            dictionaryID = id
        }
        if rawLength > buffer.count { buffer = [UInt8](repeating: 0, count: rawLength) }
        let type = types.name(type)
        let actor = actors.name(actor)
        let dictionary = self.dictionary
        let intact = try buffer.withUnsafeMutableBufferPointer { output -> Bool in
            let payload: UnsafeBufferPointer<UInt8>
            if id == 0 {
                guard stored.count == rawLength else { return false }
                payload = stored.assumingMemoryBound(to: UInt8.self)
            } else {
                let target = UnsafeMutableBufferPointer(rebasing: output[0..<rawLength])
                let intact = dictionary.withUnsafeBytes { dictionary in
                    LZ4.decompress(stored, into: target, dictionary: dictionary)
                }
                guard intact else { return false }
                payload = UnsafeBufferPointer(target)
            }
            try body(ReplayedEvent(seq: seq, type: type, time: time, actor: actor, payload: payload))
            return true
        }
        guard intact else {
            throw JournalError.corrupt(seq: seq, reason: "payload does not decompress with dictionary \(id)")
        }
    }
}

/// The names a journal repeats row after row (event types, actors such as `member/<cluster>`), each made into a
/// `String` once while it keeps coming: a table of recent names indexed by a hash of their bytes.
struct InternedNames {
    /// Slots in the table; a name whose slot another took is made again. Enough that the actors of a fleet's
    /// members (each back once a run, hundreds of others between) mostly keep theirs.
    static let slots = 4096

    /// Each slot's bytes and name, in arrays of their own: copying a slot's pair out to look at it retained and
    /// released both, twice a row.
    private var bytes = [[UInt8]](repeating: [], count: slots)
    private var names = [String](repeating: "", count: slots)

    mutating func name(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard let start = bytes.baseAddress, !bytes.isEmpty else { return "" }
        let slot = Self.slot(start, count: bytes.count)
        // memcmp, not `elementsEqual`: the generic comparison went byte by byte and was a twentieth of replay.
        let known = self.bytes[slot].withUnsafeBufferPointer { known in
            known.count == bytes.count && memcmp(known.baseAddress!, start, bytes.count) == 0
        }
        if known { return names[slot] }
        let name = String(decoding: bytes, as: UTF8.self)
        self.bytes[slot] = Array(bytes)
        names[slot] = name
        return name
    }

    static func slot(_ start: UnsafePointer<UInt8>, count: Int) -> Int {
        (ByteHash.of(start, count: count) & Int.max) % slots
    }
}
