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

    /// One key set: its keys' bytes, and the object with those keys and every value null.
    private final class Template {
        /// The keys' UTF-8 bytes one after another; key `i` ends at `ends[i]`.
        let keys: [UInt8]
        let ends: [Int]
        let members: [String: JSON]
        /// Where each key's value is in `members` (and in every copy of it: a copy keeps the buckets).
        let indices: [Dictionary<String, JSON>.Index]

        init(keys: [UInt8], ends: [Int], members: [String: JSON], indices: [Dictionary<String, JSON>.Index]) {
            self.keys = keys
            self.ends = ends
            self.members = members
            self.indices = indices
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
        if let template = table[slot], template.matches(spans, in: text) {
            var members = template.members
            var value = values.startIndex
            for index in template.indices {
                members.values[index] = values[value]
                value += 1
            }
            return .object(members)
        }
        var members = [String: JSON](minimumCapacity: spans.count)
        var keys: [UInt8] = []
        var ends: [Int] = []
        ends.reserveCapacity(spans.count)
        for (span, value) in zip(spans, values) {
            let bytes = UnsafeBufferPointer(start: text + span.start, count: span.count)
            members[span.count == 0 ? "" : String(decoding: bytes, as: UTF8.self)] = value
            keys.append(contentsOf: bytes)
            ends.append(keys.count)
        }
        // A key set with a duplicate has fewer members than keys, and no index for each key.
        if members.count == spans.count {
            var empty = members
            for index in empty.values.indices { empty.values[index] = .null }
            let indices = spans.map { span in
                empty.index(forKey: String(decoding: UnsafeBufferPointer(start: text + span.start, count: span.count), as: UTF8.self))!
            }
            table[slot] = Template(keys: keys, ends: ends, members: empty, indices: indices)
        }
        return .object(members)
    }
}
