import FleetAPI

/// The hub's objects by key, indexed by kind and namespace and by namespace, so a list, a namespace's objects of
/// one kind or of every kind, or a placement's candidates cost what they hold rather than the whole store.
public struct ObjectStore: Sendable {
    private var byKey: [ObjectKey: StoredObject] = [:]
    /// Kind, then namespace ("" for cluster-scoped objects), to keys.
    private var byKind: [String: [String: Set<ObjectKey>]] = [:]
    private var byNamespace: [String: Set<ObjectKey>] = [:]

    public init() {}

    public subscript(key: ObjectKey) -> StoredObject? {
        get { byKey[key] }
        set {
            // One lookup that also says whether the key was there, rather than a read and then a write.
            let existed = if let newValue { byKey.updateValue(newValue, forKey: key) != nil } else { byKey.removeValue(forKey: key) != nil }
            switch (existed, newValue != nil) {
            case (false, true):
                byKind[key.kind, default: [:]][key.namespace, default: []].insert(key)
                byNamespace[key.namespace, default: []].insert(key)
            case (true, false):
                byKind[key.kind]?[key.namespace]?.remove(key)
                if byKind[key.kind]?[key.namespace]?.isEmpty == true { byKind[key.kind]?[key.namespace] = nil }
                if byKind[key.kind]?.isEmpty == true { byKind[key.kind] = nil }
                byNamespace[key.namespace]?.remove(key)
                if byNamespace[key.namespace]?.isEmpty == true { byNamespace[key.namespace] = nil }
            default:
                break
            }
        }
    }

    /// Makes room for `count` objects at once, so loading a checkpoint does not rehash the store as it grows.
    public mutating func reserveCapacity(_ count: Int) {
        byKey.reserveCapacity(count)
    }

    /// Changes the object at `key` in place, when there is one. The key, and so the indexes, stay as they are.
    public mutating func modify(_ key: ObjectKey, _ body: (inout StoredObject) -> Void) {
        guard let index = byKey.index(forKey: key) else { return }
        body(&byKey.values[index])
    }

    /// Calls `body` with every object of `kind` in one pass over the store, in storage order, rather than a look-up
    /// per key: indexing a kind that is most of the store, as a large fleet's members are, costs a third less.
    func forEach(ofKind kind: String, _ body: (StoredObject) -> Void) {
        for index in byKey.indices where byKey.keys[index].kind == kind { body(byKey.values[index]) }
    }

    /// How many objects of `kind` there are, in every namespace.
    func count(ofKind kind: String) -> Int {
        byKind[kind]?.values.reduce(0) { $0 + $1.count } ?? 0
    }

    public var values: Dictionary<ObjectKey, StoredObject>.Values { byKey.values }
    public var keys: Dictionary<ObjectKey, StoredObject>.Keys { byKey.keys }
    public var count: Int { byKey.count }

    /// The keys of one kind, optionally in one namespace, unordered.
    public func keys(ofKind kind: String, namespace: String? = nil) -> [ObjectKey] {
        guard let namespaces = byKind[kind] else { return [] }
        if let namespace {
            return Array(namespaces[namespace] ?? [])
        }
        if namespaces.count == 1, let only = namespaces.first {
            return Array(only.value)
        }
        return namespaces.values.flatMap { $0 }
    }

    /// The keys in one namespace, of every kind, unordered.
    public func keys(inNamespace namespace: String) -> Set<ObjectKey> {
        byNamespace[namespace] ?? []
    }
}

extension ObjectStore: Hashable {
    public static func == (lhs: ObjectStore, rhs: ObjectStore) -> Bool { lhs.byKey == rhs.byKey }
    public func hash(into hasher: inout Hasher) { hasher.combine(byKey) }
}
