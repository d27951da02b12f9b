extension JSON {
    /// Canonical compact JSON: object keys sorted by their UTF-8 bytes, minimal escaping, numbers
    /// as Go's `encoding/json` prints them. Equal values always give equal bytes.
    /// Non-finite doubles (which JSON cannot carry) are written as `null`.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        JSONWriter.write(self, into: &out)
        return out
    }

    /// Appends the canonical bytes of `serialized()` to `buffer`.
    public func serialize(into buffer: inout [UInt8]) {
        JSONWriter.write(self, into: &buffer)
    }

    public func serializedString() -> String {
        String(decoding: serialized(), as: UTF8.self)
    }

    /// Indented JSON with sorted keys, the way `kubectl get -o json` prints (`json.MarshalIndent`
    /// with `indent` spaces): `"key": value`, empty containers as `{}` / `[]`, no trailing newline.
    public func prettyPrinted(indent: Int = 4) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        JSONWriter.writePretty(self, indent: indent, level: 0, into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

extension JSON: CustomStringConvertible {
    /// The canonical compact serialization.
    public var description: String { serializedString() }
}

enum JSONWriter {
    static func write(_ value: JSON, into out: inout [UInt8]) {
        switch value {
        case .null:
            out.append(contentsOf: [110, 117, 108, 108])
        case .bool(let b):
            if b {
                out.append(contentsOf: [116, 114, 117, 101])
            } else {
                out.append(contentsOf: [102, 97, 108, 115, 101])
            }
        case .int(let i):
            appendInt(i, into: &out)
        case .double(let d):
            GoFloat.appendJSON(d, into: &out)
        case .string(let s):
            appendString(s, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            var first = true
            for (key, member) in sortedMembers(members) {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                appendString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(member, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func writePretty(_ value: JSON, indent: Int, level: Int, into out: inout [UInt8]) {
        func newline(_ level: Int) {
            out.append(0x0A)
            for _ in 0..<(indent * level) { out.append(0x20) }
        }
        switch value {
        case .array(let elements) where !elements.isEmpty:
            out.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(level + 1)
                writePretty(element, indent: indent, level: level + 1, into: &out)
            }
            newline(level)
            out.append(UInt8(ascii: "]"))
        case .object(let members) where !members.isEmpty:
            out.append(UInt8(ascii: "{"))
            for (i, (key, member)) in sortedMembers(members).enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(level + 1)
                appendString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                out.append(0x20)
                writePretty(member, indent: indent, level: level + 1, into: &out)
            }
            newline(level)
            out.append(UInt8(ascii: "}"))
        default:
            write(value, into: &out)
        }
    }

    /// Members in ascending order of their keys' UTF-8 bytes (Go's `sort.Strings` order).
    static func sortedMembers(_ members: [String: JSON]) -> [(key: String, value: JSON)] {
        var pairs = Array(members)
        if pairs.count > 1 {
            pairs.sort { utf8Less($0.key, $1.key) }
        }
        return pairs
    }

    static func sortedKeys(_ members: [String: JSON]) -> [String] {
        var keys = Array(members.keys)
        if keys.count > 1 { keys.sort(by: utf8Less) }
        return keys
    }

    /// Byte-wise comparison of two strings' UTF-8 encodings.
    @inline(__always)
    static func utf8Less(_ a: String, _ b: String) -> Bool {
        let fast = a.utf8.withContiguousStorageIfAvailable { pa in
            b.utf8.withContiguousStorageIfAvailable { pb -> Bool in
                let n = min(pa.count, pb.count)
                for i in 0..<n where pa[i] != pb[i] {
                    return pa[i] < pb[i]
                }
                return pa.count < pb.count
            }
        }
        if let result = fast ?? nil { return result }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    static func appendInt(_ value: Int64, into out: inout [UInt8]) {
        if value >= 0 && value < 10 {
            out.append(UInt8(48 + value))
            return
        }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var i = 20
            while magnitude > 0 {
                i -= 1
                buffer[i] = UInt8(48 + magnitude % 10)
                magnitude /= 10
            }
            if value < 0 { out.append(UInt8(ascii: "-")) }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[i..<20]))
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    static func appendString(_ string: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { bytes in
            appendEscapedBuffer(bytes, into: &out)
        }
        if done == nil {
            Array(string.utf8).withUnsafeBufferPointer { appendEscapedBuffer($0, into: &out) }
        }
        out.append(UInt8(ascii: "\""))
    }

    static func appendEscapedBuffer(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        var runStart = 0
        var i = 0
        let end = bytes.count
        while i < end {
            // Past the bytes that need no escaping eight at a time: most strings written (messages, names) have none.
            i = JSONSpecialBytes.plainRun(bytes.baseAddress.unsafelyUnwrapped, from: i, count: end)
            guard i < end else { break }
            let b = bytes[i]
            if b >= 0x20 && b != 0x22 && b != 0x5C {
                i += 1
                continue
            }
            if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
            out.append(UInt8(ascii: "\\"))
            switch b {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x0A: out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "t"))
            case 0x08: out.append(UInt8(ascii: "b"))
            case 0x0C: out.append(UInt8(ascii: "f"))
            default:
                out.append(contentsOf: [UInt8(ascii: "u"), 48, 48, hexDigits[Int(b >> 4)], hexDigits[Int(b & 0xF)]])
            }
            i += 1
            runStart = i
        }
        if runStart < end { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<end])) }
    }
}
