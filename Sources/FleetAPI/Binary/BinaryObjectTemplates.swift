/// `JSON` objects of a binary image by their keys' string ids, as `JSONObjectTemplates` is for JSON text: an image
/// writes every object's keys in order, so objects of one kind have the same ids, and an object with the ids of one
/// seen before is a copy of that one's dictionary with its values put in place by index, without hashing a key.
///
/// - Note: Not thread-safe: one decoder (one thread) uses it at a time.
final class BinaryObjectTemplates {
    /// Slots (a power of two), one key set each; a key set whose slot another took is built again.
    static let slots = 1024

    private final class Template {
        let ids: [Int]
        /// The object with these keys and every value null.
        let members: [String: JSON]
        /// Where each key's value is in `members` (and in every copy of it: a copy keeps the buckets).
        let indices: [Dictionary<String, JSON>.Index]

        init(ids: [Int], members: [String: JSON], indices: [Dictionary<String, JSON>.Index]) {
            self.ids = ids
            self.members = members
            self.indices = indices
        }
    }

    /// Unchecked: a look-up is a load, and the dynamic exclusivity check on it cost as much again.
    @exclusivity(unchecked) private var table = [Template?](repeating: nil, count: slots)

    /// The object whose keys are `strings[ids[i]]` and values `values[i]`, in the same order (a later duplicate
    /// key wins). `ids` is not empty.
    func object(ids: ArraySlice<Int>, values: ArraySlice<JSON>, strings: [String]) -> JSON {
        let slot = (ids.first! &* 31 &+ ids.last! &* 7 &+ ids.count) & (Self.slots - 1)
        if let template = table[slot], template.ids.elementsEqual(ids) {
            var members = template.members
            var value = values.startIndex
            for index in template.indices {
                members.values[index] = values[value]
                value += 1
            }
            return .object(members)
        }
        var members = [String: JSON](minimumCapacity: ids.count)
        for (id, value) in zip(ids, values) { members[strings[id]] = value }
        // A key set with a duplicate has fewer members than keys, and no index for each key.
        if members.count == ids.count {
            var empty = members
            for index in empty.values.indices { empty.values[index] = .null }
            table[slot] = Template(ids: Array(ids), members: empty, indices: ids.map { empty.index(forKey: strings[$0])! })
        }
        return .object(members)
    }
}
