/// Walks of an object guided by its kind's `FieldTopology`: the set of fields it sets, the value at a field path,
/// a field removed, and server-side apply's merge of an applied configuration into the live object.
struct ObjectFields {
    let topology: FieldTopology

    /// Fields the API server never tracks: identity and what it sets itself.
    static let untrackedMetadata = [
        "name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName", "generation", "managedFields",
        "resourceVersion",
    ]

    /// The object without the fields no manager ever owns.
    static func tracked(_ object: JSON) -> JSON {
        var object = object
        object["apiVersion"] = nil
        object["kind"] = nil
        if var metadata = object["metadata"]?.objectValue {
            for field in untrackedMetadata { metadata[field] = nil }
            object["metadata"] = metadata.isEmpty ? JSON?.none : .object(metadata)
        }
        return object
    }

    /// The fields `object` sets, tracked ones only.
    func fields(of object: JSON) -> FieldSet {
        var set = FieldSet()
        for (name, value) in Self.tracked(object).objectValue ?? [:] {
            collect(value, topology.field(name), ["f:\(name)"], into: &set)
        }
        return set
    }

    private func collect(_ value: JSON, _ topology: FieldTopology, _ path: [String], into set: inout FieldSet) {
        switch value {
        case .object(let members) where !members.isEmpty && topology.shape(of: value) == .granular:
            for (name, member) in members { collect(member, topology.field(name), path + ["f:\(name)"], into: &set) }
        case .array(let items) where !items.isEmpty:
            let shape = topology.shape(of: value)
            guard shape != .atomic, shape != .granular else { return set.insert(path) }
            for (index, item) in items.enumerated() {
                let itemPath = path + [element(of: item, at: index, shape, topology)]
                set.insert(itemPath)
                guard case .map = shape, let members = item.objectValue else { continue }
                for (name, member) in members {
                    collect(member, topology.items.field(name), itemPath + ["f:\(name)"], into: &set)
                }
            }
        default:
            set.insert(path)
        }
    }

    /// The path element naming one list item: by its key fields, by value, or (an item without its keys) by index.
    private func element(of item: JSON, at index: Int, _ shape: FieldTopology.Shape, _ topology: FieldTopology) -> String {
        switch shape {
        case .set:
            return "v:" + item.serializedString()
        case .map(let keys):
            var fields: [String: JSON] = [:]
            for key in keys { fields[key] = item[key] ?? topology.items.keyDefault(key) }
            return fields.isEmpty ? "i:\(index)" : "k:" + JSON.object(fields).serializedString()
        default:
            return "i:\(index)"
        }
    }

    /// The value at a field path, nil when the object does not have it.
    func value(at path: [String], in object: JSON) -> JSON? {
        var current: JSON? = object
        var topology = self.topology
        var pending = path[...]
        while let element = pending.popFirst(), let value = current {
            if element.hasPrefix("f:") {
                let name = String(element.dropFirst(2))
                current = value[name]
                topology = topology.field(name)
            } else {
                current = index(of: element, in: value, topology).map { value.arrayValue![$0] }
                topology = topology.items
            }
        }
        return current
    }

    private func index(of element: String, in list: JSON, _ topology: FieldTopology) -> Int? {
        guard let items = list.arrayValue else { return nil }
        let shape = topology.shape(of: list)
        return items.indices.first { self.element(of: items[$0], at: $0, shape, topology) == element }
    }

    /// The object without the field or list item at `path`; maps and lists left empty by the removal go too, as
    /// the API server's types omit them.
    func removing(_ path: [String], from object: JSON) -> JSON {
        removing(path[...], from: object, topology) ?? .emptyObject
    }

    private func removing(_ path: ArraySlice<String>, from value: JSON, _ topology: FieldTopology) -> JSON? {
        guard let element = path.first else { return nil }
        let rest = path.dropFirst()
        if element.hasPrefix("f:") {
            let name = String(element.dropFirst(2))
            guard var members = value.objectValue, let member = members[name] else { return value }
            members[name] = rest.isEmpty ? JSON?.none : removing(rest, from: member, topology.field(name))
            return members.isEmpty ? JSON?.none : .object(members)
        }
        guard var items = value.arrayValue, let index = index(of: element, in: value, topology) else { return value }
        if rest.isEmpty {
            items.remove(at: index)
        } else {
            items[index] = removing(rest, from: items[index], topology.items) ?? .emptyObject
        }
        return items.isEmpty ? JSON?.none : .array(items)
    }

    /// Server-side apply's merge: the applied value wins wherever both have one; maps merge key by key, keyed
    /// lists item by item and sets by value, while atomic lists and maps are replaced. Items the applier does not
    /// mention keep their place; the applied ones follow the applied order.
    func merge(_ live: JSON?, _ applied: JSON) -> JSON {
        merge(live, applied, topology)
    }

    private func merge(_ live: JSON?, _ applied: JSON, _ topology: FieldTopology) -> JSON {
        switch applied {
        case .object(let members) where topology.shape(of: applied) == .granular:
            var result = live?.objectValue ?? [:]
            for (name, value) in members {
                result[name] = value.isNull ? JSON?.none : merge(result[name], value, topology.field(name))
            }
            return .object(result)
        case .array(let items):
            let shape = topology.shape(of: applied)
            guard shape == .set || shape.isMap, let liveItems = live?.arrayValue else { return applied }
            let id = { (item: JSON, index: Int) in self.element(of: item, at: index, shape, topology) }
            let liveIDs = liveItems.enumerated().map { id($1, $0) }
            var merged: [JSON] = []
            for (index, item) in items.enumerated() {
                let existing = liveIDs.firstIndex(of: id(item, index)).map { liveItems[$0] }
                merged.append(shape.isMap ? merge(existing, item, topology.items) : item)
            }
            let appliedIDs = Set(items.enumerated().map { id($1, $0) })
            let liveOnly = liveItems.indices.filter { !appliedIDs.contains(liveIDs[$0]) }
            return .array(Self.interleave(liveOnly.map { ($0, liveItems[$0]) }, merged, appliedLivePositions: items.enumerated().map { liveIDs.firstIndex(of: id($1, $0)) }))
        default:
            return applied
        }
    }

    /// Live-only items slotted in before the first applied item that sat after them in the live list; items new to
    /// the list come after every live one before them.
    private static func interleave(_ liveOnly: [(Int, JSON)], _ applied: [JSON], appliedLivePositions: [Int?]) -> [JSON] {
        var result: [JSON] = []
        var pending = liveOnly[...]
        for (item, position) in zip(applied, appliedLivePositions) {
            while let first = pending.first, first.0 < position ?? Int.max {
                result.append(first.1)
                pending.removeFirst()
            }
            result.append(item)
        }
        result.append(contentsOf: pending.map(\.1))
        return result
    }
}

extension FieldTopology.Shape {
    var isMap: Bool {
        if case .map = self { return true }
        return false
    }
}
