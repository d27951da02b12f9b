import Crypto
import FleetAPI
import Foundation

/// Encryption at rest for objects of the chosen kinds (Secrets by default) wherever the journal holds them: in
/// their own events, in the resource snapshots that copy them, in what members are told to apply, and in
/// checkpoints. Everything but `apiVersion`, `kind` and `metadata` is sealed with AES-GCM under the object's own
/// data key, its `Kind/namespace/name` authenticated with it, as the API server's aesgcm provider seals values
/// under their etcd key. The hub holds and serves plain objects; only what is stored is sealed.
///
/// The nonce is derived from the key and the plaintext (an HMAC, as AES-GCM-SIV does), so sealing is a function:
/// a checkpoint sealed from the plain state holds the very bytes the events did, and `journal verify` compares
/// the two without any key. The ciphertext shows only whether two values of one object are equal.
public struct Sealing: Sendable {
    public let keys: DataKeys
    /// Kind names, such as `Secret`.
    public let kinds: Set<String>

    /// The member a sealed object carries its ciphertext in.
    public static let field = "flotilla.dev/sealed"
    static let prefix = "k8s:enc:aesgcm:v1:"
    /// Shown on an object whose data key is gone, in place of what it held.
    public static let unreadable = "flotilla.dev/sealed-data"
    static let kept: Set<String> = ["apiVersion", "kind", "metadata"]

    public init(keys: DataKeys, kinds: Set<String>) {
        self.keys = keys
        self.kinds = kinds
    }

    /// The data key an object is sealed under: `Kind/namespace/name`.
    static func id(of object: JSON) -> String? {
        guard let kind = object["kind"]?.stringValue, let name = object[path: ["metadata", "name"]]?.stringValue else { return nil }
        let namespace = object[path: ["metadata", "namespace"]]?.stringValue ?? ""
        return namespace.isEmpty ? "\(kind)/\(name)" : "\(kind)/\(namespace)/\(name)"
    }

    public func seal(_ object: JSON) throws -> JSON {
        guard kinds.contains(object["kind"]?.stringValue ?? ""), let id = Self.id(of: object), var members = object.objectValue,
            members[Self.field] == nil
        else { return object }
        let hidden = members.filter { !Self.kept.contains($0.key) }
        guard !hidden.isEmpty, let key = try keys.key(for: id, create: true) else { return object }
        let plain = JSON.object(hidden).serialized()
        let digest = HMAC<SHA256>.authenticationCode(for: Array(id.utf8) + [0] + plain, using: key)
        let nonce = try AES.GCM.Nonce(data: Array(digest).prefix(12))
        let box = try AES.GCM.seal(plain, using: key, nonce: nonce, authenticating: Data(id.utf8))
        for name in hidden.keys { members[name] = nil }
        members[Self.field] = .string(Self.prefix + box.combined!.base64EncodedString())
        return .object(members)
    }

    /// The object as it was before sealing; one whose data key is gone stays sealed (see `presentable`).
    public func unseal(_ object: JSON) -> JSON {
        guard var members = object.objectValue, let sealed = members[Self.field]?.stringValue, let id = Self.id(of: object),
            sealed.hasPrefix(Self.prefix), let combined = Data(base64Encoded: String(sealed.dropFirst(Self.prefix.count))),
            let key = try? keys.key(for: id, create: false), let box = try? AES.GCM.SealedBox(combined: combined),
            let plain = try? AES.GCM.open(box, using: key, authenticating: Data(id.utf8)),
            let hidden = try? JSON.parse(Array(plain)).objectValue
        else { return object }
        members[Self.field] = nil
        members.merge(hidden) { _, new in new }
        return .object(members)
    }

    /// An object as a client may see it: one still sealed, because its key was destroyed or is not at hand,
    /// shows its identity and why its data is missing, never the ciphertext.
    public static func presentable(_ object: JSON) -> JSON {
        guard object[field] != nil else { return object }
        var shown = object
        shown[field] = nil
        shown[path: ["metadata", "annotations", unreadable]] = "unreadable: its encryption key is gone"
        return shown
    }

    func isSealed(_ object: JSON) -> Bool { kinds.contains(object["kind"]?.stringValue ?? "") }
    /// Opening looks at every sealed object, whatever `kinds` says now, so no past value is lost by sealing less.
    static func isSealedNow(_ object: JSON) -> Bool { object[field] != nil }

    public func seal(_ event: FleetEvent) throws -> FleetEvent { try event.mappingObjects(where: isSealed, seal) }
    public func unseal(_ event: FleetEvent) -> FleetEvent { event.mappingObjects(where: Self.isSealedNow, unseal) }
    public func seal(_ state: HubState) throws -> HubState { try state.mappingObjects(where: isSealed, seal) }
    /// Without a data key no object opens, so the scan of every object the state holds is skipped: start-up with a
    /// large fleet and no sealed objects paid for it.
    public func unseal(_ state: HubState) -> HubState {
        keys.holdsNone() ? state : state.mappingObjects(where: Self.isSealedNow, unseal)
    }
}

extension FleetEvent {
    /// The event with every Kubernetes object it carries that `selected` picks passed through `transform`.
    func mappingObjects(where selected: (JSON) -> Bool, _ transform: (JSON) throws -> JSON) rethrows -> FleetEvent {
        func each(_ object: JSON) throws -> JSON { selected(object) ? try transform(object) : object }
        switch self {
        case .objectCreated(var created):
            created.object = try each(created.object)
            return .objectCreated(created)
        case .objectUpdated(var updated):
            updated.object = try each(updated.object)
            return .objectUpdated(updated)
        case .resourceSnapshotCreated(var snapshot):
            snapshot.resources = try snapshot.resources.map(each)
            return .resourceSnapshotCreated(snapshot)
        case .memberApplied(var applied):
            applied.objects = try applied.objects.map(each)
            return .memberApplied(applied)
        default:
            return self
        }
    }
}

extension HubState {
    static let snapshotKinds: [ResourceKind] = [.clusterResourceSnapshot, .resourceSnapshot]

    /// The state with every Kubernetes object it holds that `selected` picks passed through `transform`: objects,
    /// those the resource snapshots copy, and what each member holds. Only what contains such an object is copied.
    func mappingObjects(where selected: (JSON) -> Bool, _ transform: (JSON) throws -> JSON) rethrows -> HubState {
        func has(_ objects: [JSON]) -> Bool { objects.contains(where: selected) }
        func each(_ object: JSON) throws -> JSON { selected(object) ? try transform(object) : object }
        var state = self
        for object in objects.values where selected(object.json) {
            let json = try transform(object.json)
            state.objects.modify(object.key) { $0.json = json }
        }
        for kind in Self.snapshotKinds {
            for key in objects.keys(ofKind: kind.kind) {
                guard let resources = objects[key]!.json[path: ["spec", "selectedResources"]]?.arrayValue, has(resources) else { continue }
                let mapped = JSON.array(try resources.map(each))
                state.objects.modify(key) { $0.json[path: ["spec", "selectedResources"]] = mapped }
            }
        }
        for (key, placement) in placements {
            for (index, snapshot) in placement.resourceSnapshots where has(snapshot.resources) {
                state.placements[key]!.resourceSnapshots[index]!.resources = try snapshot.resources.map(each)
            }
        }
        for (name, member) in members {
            for (key, applied) in member.applied where has(applied.objects) {
                state.members[name]!.applied[key]!.objects = try applied.objects.map(each)
            }
        }
        return state
    }
}
