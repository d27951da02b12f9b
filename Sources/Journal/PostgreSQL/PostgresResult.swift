internal import CLibPQ

/// The rows of one query, read in binary (see `PostgresConnection`); `clear()` frees them.
///
/// - Note: Not `Sendable`; the owner of the connection that made it reads it and clears it.
struct PostgresResult {
    private let handle: OpaquePointer

    init(_ handle: OpaquePointer) {
        self.handle = handle
    }

    var rows: Int { Int(PQntuples(handle)) }

    func clear() {
        PQclear(handle)
    }

    func isNull(row: Int, column: Int) -> Bool {
        PQgetisnull(handle, Int32(row), Int32(column)) == 1
    }

    /// An `int8` or `int4` column (big-endian two's complement).
    func int64(row: Int, column: Int) -> Int64 {
        let value = bytes(row: row, column: column)
        var bits: UInt64 = 0
        for byte in value {
            bits = bits << 8 | UInt64(byte)
        }
        return value.count == 4 ? Int64(Int32(truncatingIfNeeded: bits)) : Int64(bitPattern: bits)
    }

    func text(row: Int, column: Int) -> String {
        String(decoding: bytes(row: row, column: column), as: UTF8.self)
    }

    /// A `bytea` column's bytes, copied.
    func bytea(row: Int, column: Int) -> [UInt8] {
        Array(bytes(row: row, column: column))
    }

    /// The column's raw value, lent until `clear()`.
    func bytes(row: Int, column: Int) -> UnsafeBufferPointer<UInt8> {
        let length = Int(PQgetlength(handle, Int32(row), Int32(column)))
        guard length > 0, let value = PQgetvalue(handle, Int32(row), Int32(column)) else {
            return UnsafeBufferPointer(start: nil, count: 0)
        }
        return UnsafeRawPointer(value).withMemoryRebound(to: UInt8.self, capacity: length) {
            UnsafeBufferPointer(start: $0, count: length)
        }
    }
}
