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
        let shape: ObjectShape

        init(ids: [Int], shape: ObjectShape) {
            self.ids = ids
            self.shape = shape
        }
    }

    /// Unchecked: a look-up is a load, and the dynamic exclusivity check on it cost as much again.
    @exclusivity(unchecked) private var table = [Template?](repeating: nil, count: slots)

    /// The object whose keys are `strings[ids[i]]` and values `values[i]`, in the same order (a later duplicate
    /// key wins). `ids` is not empty.
    func object(ids: ArraySlice<Int>, values: ArraySlice<JSON>, strings: [String]) -> JSON {
        let slot = (ids.first! &* 31 &+ ids.last! &* 7 &+ ids.count) & (Self.slots - 1)
        if let template = table[slot], template.ids.elementsEqual(ids) { return template.shape.object(values) }
        var members = [String: JSON](minimumCapacity: ids.count)
        for (id, value) in zip(ids, values) { members[strings[id]] = value }
        if let shape = ObjectShape(members, keys: ids.map { strings[$0] }) { table[slot] = Template(ids: Array(ids), shape: shape) }
        return .object(members)
    }
}
