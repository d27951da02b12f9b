/// Just enough of a protobuf writer to build Kubernetes protobuf bodies field by field, for the tests that check
/// `KubeProtobuf` and the fuzzer that mutates such bodies.
public enum ProtobufWriter {
    public static let magic = KubeProtobuf.magic

    public static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        while value >= 0x80 {
            out.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        return out + [UInt8(value)]
    }

    public static func tag(_ field: Int, _ wireType: UInt64) -> [UInt8] { varint(UInt64(field) << 3 | wireType) }
    public static func uint(_ field: Int, _ value: UInt64) -> [UInt8] { tag(field, 0) + varint(value) }
    public static func bytes(_ field: Int, _ payload: [UInt8]) -> [UInt8] { tag(field, 2) + varint(UInt64(payload.count)) + payload }
    public static func string(_ field: Int, _ text: String) -> [UInt8] { bytes(field, Array(text.utf8)) }

    /// One occurrence of a map field per entry, each a {1 key, 2 value} message.
    public static func map(_ field: Int, _ entries: [(String, [UInt8])]) -> [UInt8] {
        entries.flatMap { key, value in bytes(field, string(1, key) + bytes(2, value)) }
    }

    public static func stringMap(_ field: Int, _ entries: [(String, String)]) -> [UInt8] {
        map(field, entries.map { ($0, Array($1.utf8)) })
    }

    /// Magic plus a `runtime.Unknown` envelope around `raw`, with the empty fields 3 and 4 kubectl sends.
    public static func body(apiVersion: String = "v1", kind: String, raw: [UInt8]) -> [UInt8] {
        magic + bytes(1, string(1, apiVersion) + string(2, kind)) + bytes(2, raw) + bytes(3, []) + bytes(4, [])
    }
}
