internal import ByteHashing
import Foundation

/// Objects by the keys they have, for a parser that reads many objects of the same few shapes (replay: canonical
/// JSON writes every object of a kind with the same keys in the same order). An object with the keys of one seen
/// before is a copy of that one's dictionary with its values put in place by index: no key is made into a string
/// or hashed, where making and hashing each key was most of building an object.
///
/// - Note: Not thread-safe: one parser (one thread) uses it at a time.
final class JSONObjectTemplates {
    /// Slots (a power of two), one key set each; a key set whose slot another took is built again.
    static let slots = 1024

    /// One key set: its keys' bytes, and its shape.
    private final class Template {
        /// The keys' UTF-8 bytes one after another; key `i` ends at `ends[i]`.
        let keys: [UInt8]
        let ends: [Int]
        let shape: ObjectShape

        init(keys: [UInt8], ends: [Int], shape: ObjectShape) {
            self.keys = keys
            self.ends = ends
            self.shape = shape
        }

        /// Whether the keys at `spans` of `text` are exactly these, in this order.
        func matches(_ spans: ArraySlice<JSONByteParser.Span>, in text: UnsafePointer<UInt8>) -> Bool {
            guard ends.count == spans.count else { return false }
            return keys.withUnsafeBufferPointer { keys in
                var start = 0
                for (end, span) in zip(ends, spans) {
                    guard end - start == span.count,
                        span.count == 0 || memcmp(keys.baseAddress! + start, text + span.start, span.count) == 0
                    else { return false }
                    start = end
                }
                return true
            }
        }
    }

    /// Unchecked: a look-up is a load, and the dynamic exclusivity check on it cost as much again.
    @exclusivity(unchecked) private var table = [Template?](repeating: nil, count: slots)

    /// The object whose keys are at `spans` of `text` (plain strings, not escaped) and whose values are `values`,
    /// in the same order; a later duplicate key wins, as in `JSON.parse`.
    func object(keys spans: ArraySlice<JSONByteParser.Span>, in text: UnsafePointer<UInt8>, values: ArraySlice<JSON>) -> JSON {
        let first = spans[spans.startIndex]
        let last = spans[spans.endIndex - 1]
        let slot = (ByteHash.of(text + first.start, count: first.count) &* 31
            &+ ByteHash.of(text + last.start, count: last.count) &+ spans.count) & (Self.slots - 1)
        if let template = table[slot], template.matches(spans, in: text) { return template.shape.object(values) }
        var members = [String: JSON](minimumCapacity: spans.count)
        var names: [String] = []
        var keys: [UInt8] = []
        var ends: [Int] = []
        names.reserveCapacity(spans.count)
        ends.reserveCapacity(spans.count)
        for (span, value) in zip(spans, values) {
            let bytes = UnsafeBufferPointer(start: text + span.start, count: span.count)
            let name = span.count == 0 ? "" : String(decoding: bytes, as: UTF8.self)
            members[name] = value
            names.append(name)
            keys.append(contentsOf: bytes)
            ends.append(keys.count)
        }
        if let shape = ObjectShape(members, keys: names) { table[slot] = Template(keys: keys, ends: ends, shape: shape) }
        return .object(members)
    }
}

/// One key set's object with every value null, and where each key's value is in it (and in every copy of it: a
/// copy keeps the buckets): what the template tables (`JSONObjectTemplates`, `BinaryObjectTemplates`) build each
/// object of the set from.
struct ObjectShape {
    let members: [String: JSON]
    let indices: [Dictionary<String, JSON>.Index]

    /// The shape of `members`, whose keys are `keys` in order; nil when a key repeats, as the object then has fewer
    /// members than keys and no index for each.
    init?(_ members: [String: JSON], keys: [String]) {
        guard members.count == keys.count else { return nil }
        var empty = members
        for index in empty.values.indices { empty.values[index] = .null }
        self.members = empty
        indices = keys.map { empty.index(forKey: $0)! }
    }

    /// The object of this shape with `values`, in the order of its keys.
    func object(_ values: ArraySlice<JSON>) -> JSON {
        var members = self.members
        var value = values.startIndex
        for index in indices {
            members.values[index] = values[value]
            value += 1
        }
        return .object(members)
    }
}
