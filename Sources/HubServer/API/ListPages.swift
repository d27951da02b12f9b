import FleetAPI
import Foundation
import Rollout

/// The states that paged lists started from, so every page of one list comes from the same state, as the API
/// server serves every page at the first page's resourceVersion. A state kept here costs little: it shares its
/// storage with the hub's until the hub next changes. Old ones go, and their tokens expire with 410.
actor ListSnapshots {
    static let capacity = 16
    static let lifetime: TimeInterval = 300

    private var states: [Int64: (state: HubState, kept: Date)] = [:]

    func keep(_ state: HubState) {
        let now = Date()
        states = states.filter { now.timeIntervalSince($0.value.kept) < Self.lifetime }
        if states.count >= Self.capacity, let oldest = states.min(by: { $0.value.kept < $1.value.kept })?.key {
            states[oldest] = nil
        }
        states[state.lastSeq] = (state, now)
    }

    func state(at resourceVersion: Int64) -> HubState? {
        guard let entry = states[resourceVersion], Date().timeIntervalSince(entry.kept) < Self.lifetime else { return nil }
        return entry.state
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
    /// One page of the list: `limit` objects at most (0: all) after the continue token's, filtered by the
    /// selectors on their stored labels and names, and only those rendered.
    func page(of state: HubState, after: ContinueToken?) throws -> (items: [JSON], next: ContinueToken?, remaining: Int?) {
        let selectors = try Selectors(query: request.query)
        let limit = max(0, Int(request.query["limit"] ?? "") ?? 0)
        let keys = state.objects.keys(ofKind: kind.kind, namespace: path.namespace).sorted()
        var index = keys.startIndex
        if let after {
            let last = ObjectKey(kind: kind.kind, namespace: after.namespace, name: after.name)
            index = keys.firstIndex { $0 > last } ?? keys.endIndex
        }
        var items: [JSON] = []
        var lastKey: ObjectKey?
        while index < keys.endIndex {
            let key = keys[index]
            if let stored = state.objects[key], selectors.matches(stored.json) {
                if limit > 0 && items.count == limit { break }
                if let rendered = state.render(key) { items.append(rendered) }
                lastKey = key
            }
            index += 1
        }
        guard index < keys.endIndex, let lastKey else { return (items, nil, nil) }
        let remaining = selectors.isEmpty ? keys.endIndex - index : nil
        return (items, ContinueToken(resourceVersion: state.lastSeq, after: lastKey), remaining)
    }
}
