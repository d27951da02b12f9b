import FleetAPI

/// The hub's objects by key, indexed by kind and by namespace, so a list, a namespace's objects or a
/// placement's candidates cost what they hold rather than the whole store.
public struct ObjectStore: Sendable {
    private var byKey: [ObjectKey: StoredObject] = [:]
    private var byKind: [String: Set<ObjectKey>] = [:]
    private var byNamespace: [String: Set<ObjectKey>] = [:]

    public init() {}

    public subscript(key: ObjectKey) -> StoredObject? {
        get { byKey[key] }
        set {
            let existed = byKey[key] != nil
            byKey[key] = newValue
            switch (existed, newValue != nil) {
            case (false, true):
                byKind[key.kind, default: []].insert(key)
                byNamespace[key.namespace, default: []].insert(key)
            case (true, false):
                byKind[key.kind]?.remove(key)
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

    public var values: Dictionary<ObjectKey, StoredObject>.Values { byKey.values }
    public var keys: Dictionary<ObjectKey, StoredObject>.Keys { byKey.keys }
    public var count: Int { byKey.count }

    /// The keys of one kind, optionally in one namespace, unordered.
    public func keys(ofKind kind: String, namespace: String? = nil) -> [ObjectKey] {
        guard let keys = byKind[kind] else { return [] }
        guard let namespace else { return Array(keys) }
        return keys.filter { $0.namespace == namespace }
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
