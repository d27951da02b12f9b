import FleetAPI
import Foundation
import Rollout

/// The states that paged lists started from, so every page of one list comes from the same state, as the API
/// server serves every page at the first page's resourceVersion. A state kept here costs little: it shares its
/// storage with the hub's until the hub next changes. Each keeps the sorted keys its lists page through, so a page
/// costs what it holds. Old ones go, and their tokens expire with 410.
actor ListSnapshots {
    static let capacity = 16
    static let lifetime: TimeInterval = 300

    private struct Kept {
        var state: HubState
        var kept: Date
        var sortedKeys: [ListScope: [ObjectKey]]
    }

    private var states: [Int64: Kept] = [:]

    func keep(_ state: HubState, _ scope: ListScope, sortedKeys: [ObjectKey]) {
        if states[state.lastSeq] != nil {
            states[state.lastSeq]?.sortedKeys[scope] = sortedKeys
            return
        }
        let now = Date()
        states = states.filter { now.timeIntervalSince($0.value.kept) < Self.lifetime }
        if states.count >= Self.capacity, let oldest = states.min(by: { $0.value.kept < $1.value.kept })?.key {
            states[oldest] = nil
        }
        states[state.lastSeq] = Kept(state: state, kept: now, sortedKeys: [scope: sortedKeys])
    }

    /// The state a list began at, and the keys it pages through.
    func source(at resourceVersion: Int64, _ scope: ListScope) -> ListSource? {
        guard let entry = states[resourceVersion], Date().timeIntervalSince(entry.kept) < Self.lifetime else { return nil }
        if let keys = entry.sortedKeys[scope] { return ListSource(state: entry.state, keys: keys) }
        let source = ListSource(state: entry.state, scope)
        states[resourceVersion]?.sortedKeys[scope] = source.keys
        return source
    }
}

/// What one list covers: a kind, in one namespace or all.
struct ListScope: Hashable {
    var kind: String
    var namespace: String?
}

/// A state and the keys of one list scope in it, sorted as pages are served.
struct ListSource {
    var state: HubState
    var keys: [ObjectKey]

    init(state: HubState, keys: [ObjectKey]) {
        self.state = state
        self.keys = keys
    }

    /// Every key of a scope has its kind, so ordering by namespace and name is `ObjectKey`'s order, with one string
    /// comparison fewer per step of a sort that sees every key.
    init(state: HubState, _ scope: ListScope) {
        let keys = state.objects.keys(ofKind: scope.kind, namespace: scope.namespace)
        self.init(state: state, keys: keys.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) })
    }
}

/// A list's `continue` token: the resourceVersion of its first page and the last object served, base64 JSON as
/// the API server's is.
struct ContinueToken: Equatable {
    var resourceVersion: Int64
    var namespace: String
    var name: String

    var encoded: String {
        let json: JSON = ["rv": .int(resourceVersion), "ns": .string(namespace), "name": .string(name)]
        return Data(json.serialized()).base64EncodedString()
    }

    init(resourceVersion: Int64, after key: ObjectKey) {
        self.resourceVersion = resourceVersion
        self.namespace = key.namespace
        self.name = key.name
    }

    init(_ text: String) throws {
        guard let data = Data(base64Encoded: text), let json = try? JSON.parse(Array(data)),
            let resourceVersion = json["rv"]?.intValue, let namespace = json["ns"]?.stringValue,
            let name = json["name"]?.stringValue
        else {
            throw KubeStatus.badRequest("continue key is not valid: not a continue token this server issued")
        }
        self.resourceVersion = resourceVersion
        self.namespace = namespace
        self.name = name
    }

    static let expired = KubeStatus(
        code: 410, reason: "Expired",
        message: "The provided continue parameter is too old to display a consistent list result. You can start a new "
            + "list without the continue parameter.")
}

extension ResourceHandler {
    var listScope: ListScope { ListScope(kind: kind.keyName, namespace: path.namespace) }

    /// One page of the list: `limit` objects at most (0: all) after the continue token's, filtered by the
    /// selectors on their stored labels and names, and only those rendered.
    func page(of source: ListSource, after: ContinueToken?) throws -> (items: [JSON], next: ContinueToken?, remaining: Int?) {
        let selectors = try Selectors(query: request.query)
        let limit = max(0, Int(request.query["limit"] ?? "") ?? 0)
        let (state, keys) = (source.state, source.keys)
        var index = keys.startIndex
        if let after {
            index = keys.partitioningIndex(after: ObjectKey(kind: kind.keyName, namespace: after.namespace, name: after.name))
        }
        var items: [JSON] = []
        var lastKey: ObjectKey?
        let forTable = request.wantsTable
        while index < keys.endIndex {
            let key = keys[index]
            if let stored = state.objects[key], selectors.matches(stored.json) {
                if limit > 0 && items.count == limit { break }
                if let rendered = state.render(key, forTable: forTable) { items.append(rendered) }
                lastKey = key
            }
            index += 1
        }
        guard index < keys.endIndex, let lastKey else { return (items, nil, nil) }
        let remaining = selectors.isEmpty ? keys.endIndex - index : nil
        return (items, ContinueToken(resourceVersion: state.lastSeq, after: lastKey), remaining)
    }
}

extension [ObjectKey] {
    /// In a sorted array, the index of the first key after `key`: a binary search.
    func partitioningIndex(after key: ObjectKey) -> Int {
        var low = startIndex
        var high = endIndex
        while low < high {
            let middle = (low + high) / 2
            if self[middle] > key { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
