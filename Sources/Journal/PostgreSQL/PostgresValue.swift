/// A parameter bound to a PostgreSQL query, sent in binary.
enum PostgresValue {
    case int64(Int64)
    case text(String)
    case bytea([UInt8])

    /// The type OIDs libpq is told for each kind: `int8`, `text`, `bytea`.
    private var oid: UInt32 {
        switch self {
        case .int64: 20
        case .text: 25
        case .bytea: 17
        }
    }

    /// The value's wire bytes: `int8` big-endian, `text` UTF-8, `bytea` as is.
    private var bytes: [UInt8] {
        switch self {
        case .int64(let value): withUnsafeBytes(of: value.bigEndian) { Array($0) }
        case .text(let value): Array(value.utf8)
        case .bytea(let value): value
        }
    }

    /// Calls `body` with the C arrays `PQexecParams` takes, valid only during the call.
    static func withBound<T>(
        _ values: [PostgresValue],
        _ body: (
            UnsafePointer<UInt32>?, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?
        ) -> T
    ) -> T {
        let types = values.map(\.oid)
        // One buffer for every value; an empty value still needs a non-NULL pointer (NULL would mean SQL NULL).
        let encoded = values.map(\.bytes)
        let lengths = encoded.map { Int32($0.count) }
        var offsets: [Int] = []
        var joined: [UInt8] = []
        for value in encoded {
            offsets.append(joined.count)
            joined.append(contentsOf: value)
        }
        joined.append(0)
        let formats = [Int32](repeating: 1, count: values.count)
        return joined.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            let pointers: [UnsafePointer<CChar>?] = offsets.map { base + $0 }
            return body(types, pointers, lengths, formats)
        }
    }
}
