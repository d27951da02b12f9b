import Crypto

/// Object uids derived from the journal position, so deciders stay pure and a rebuild gives the same uids.
enum ObjectUID {
    static func make(for key: ObjectKey, after seq: Int64) -> String {
        let digest = Array(SHA256.hash(data: Array("\(key)@\(seq)".utf8)))
        let hex = ResourceHash.hex(Array(digest.prefix(16)))
        let chars = Array(hex)
        func part(_ from: Int, _ to: Int) -> String { String(chars[from..<to]) }
        // RFC 4122 layout: version 5 (name-based), variant 10xx.
        let variant = Array("89ab")[Int(digest[8] & 0x03)]
        return "\(part(0, 8))-\(part(8, 12))-5\(part(13, 16))-\(variant)\(part(17, 20))-\(part(20, 32))"
    }
}
