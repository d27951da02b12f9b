import FleetAPI
import Foundation

/// Validates user writes and turns them into object events. Pure: the hub supplies the state, and with `writer`
/// (every write through the API has one) the field manager whose ownership `metadata.managedFields` records.
public enum ObjectDecider {
    public static func decide(_ command: ObjectCommand, _ state: HubState, by writer: FieldWriter? = nil) throws(HubError) -> [FleetEvent] {
        let ownership = writer.map(Ownership.update) ?? .unchanged
        switch command {
        case .create(let json):
            let (kind, key) = try identify(json, kinds: state.kinds)
            guard state.objects[key] == nil else { throw .alreadyExists(kind: kind.plural, name: key.name) }
            return try create(kind, key, json, state, ownership)
        case .update(let json):
            let (kind, key) = try identify(json, kinds: state.kinds)
            guard let existing = state.objects[key] else { throw .notFound(kind: kind.plural, name: key.name) }
            return try update(kind, key, json, existing, state, ownership)
        case .apply(let json):
            let (kind, key) = try identify(json, kinds: state.kinds)
            if let existing = state.objects[key] { return try update(kind, key, json, existing, state, ownership) }
            return try create(kind, key, json, state, ownership)
        case .serverSideApply(let json, let force):
            let (kind, key) = try identify(json, kinds: state.kinds)
            guard let writer else { throw .badRequest("a server-side apply needs a field manager") }
            let existing = state.objects[key]
            if let existing { try checkVersion(json, existing, kind) }
            var managed = ManagedFields(of: existing?.json)
            let applied = ownedPart(clean(json, kind: kind, keepStatus: false, state), kind)
            let merged: JSON
            do {
                merged = try ServerSideApply.apply(
                    applied, to: existing.map { ownedPart($0.json, kind) }, managed: &managed, by: writer, force: force,
                    topology: topology(kind, state))
            } catch {
                throw .applyConflict(error)
            }
            guard let existing else { return try create(kind, key, merged, state, .applied(managed)) }
            return try update(kind, key, merged, existing, state, .applied(managed))
        case .updateStatus(let key, let status):
            guard let kind = state.kind(of: key), let existing = state.objects[key] else {
                throw .notFound(kind: state.kind(of: key)?.plural ?? key.kind, name: key.name)
            }
            var managed = ManagedFields(of: existing.json)
            let before = managed
            if let writer {
                ServerSideApply.update(
                    from: ["status": existing.status ?? .emptyObject], to: ["status": status], managed: &managed, by: writer,
                    topology: topology(kind, state))
            }
            if existing.status == status && managed == before { return [] }
            var candidate = existing.json
            candidate["status"] = status
            try validate(kind, key, candidate, old: existing.json, state)
            // Without a writer the event carries no managed fields, and the object keeps its own.
            let recorded: JSON? = writer.map { _ in managed.json }
            return [.objectStatusUpdated(ObjectStatusUpdated(key: key, status: status, managedFields: recorded))]
        case .delete(let key):
            guard let kind = state.kind(of: key), state.objects[key] != nil else {
                throw .notFound(kind: state.kind(of: key)?.plural ?? key.kind, name: key.name)
            }
            return dependents(of: key, kind: kind, in: state).map { .objectDeleted(ObjectDeleted(key: $0)) }
                + [.objectDeleted(ObjectDeleted(key: key))]
        }
    }

    /// How a write changes who owns which fields.
    enum Ownership {
        /// Written without a field manager (the hub's own writes): the managed fields stay as they are.
        case unchanged
        /// An update by this manager: it takes what it changes.
        case update(FieldWriter)
        /// A server-side apply, whose managed fields are already decided.
        case applied(ManagedFields)

        func managedFields(_ kind: ResourceKind, live: JSON?, object: JSON, _ state: HubState) -> ManagedFields {
            switch self {
            case .unchanged: return ManagedFields(of: live)
            case .applied(let managed): return managed
            case .update(let writer):
                var managed = ManagedFields(of: live)
                ServerSideApply.update(
                    from: live.map { ownedPart($0, kind) }, to: ownedPart(object, kind), managed: &managed, by: writer,
                    topology: topology(kind, state))
                return managed
            }
        }
    }

    /// How server-side apply sees the kind's lists and maps: built-in kinds by their merge keys, custom kinds by
    /// their schema.
    static func topology(_ kind: ResourceKind, _ state: HubState) -> FieldTopology {
        kind.isCustom ? .schema(state.kinds.schema(for: kind, version: kind.preferredVersion)) : .builtIn(kind: kind.kind)
    }

    /// What writes to the object itself may own: everything but a status kept by its subresource.
    static func ownedPart(_ json: JSON, _ kind: ResourceKind) -> JSON {
        guard kind.hasStatus else { return json }
        var json = json
        json["status"] = nil
        return json
    }

    /// The kind and key a manifest names among the kinds `kinds` serves; a namespaced kind without a namespace
    /// goes to `default`.
    public static func identify(_ json: JSON, kinds: KindRegistry = KindRegistry()) throws(HubError) -> (ResourceKind, ObjectKey) {
        guard let apiVersion = json["apiVersion"]?.stringValue, !apiVersion.isEmpty else {
            throw .badRequest("Object 'apiVersion' is missing in the manifest")
        }
        guard let kindName = json["kind"]?.stringValue, !kindName.isEmpty else {
            throw .badRequest("Object 'Kind' is missing in the manifest")
        }
        guard let kind = kinds.lookup(apiVersion: apiVersion, kind: kindName) else {
            throw .badRequest("no matches for kind \"\(kindName)\" in version \"\(apiVersion)\"")
        }
        guard let name = json[path: ["metadata", "name"]]?.stringValue, !name.isEmpty else {
            throw .invalid(
                InvalidObject(kind: kind.kind, name: "", causes: [FieldError(field: "metadata.name", rule: "Required value: name or generateName is required")]),
                group: kind.group)
        }
        let namespace = kind.namespaced ? (json[path: ["metadata", "namespace"]]?.stringValue ?? "default") : ""
        return (kind, ObjectKey(kind, namespace: namespace, name: name))
    }

    static func create(
        _ kind: ResourceKind, _ key: ObjectKey, _ json: JSON, _ state: HubState, _ ownership: Ownership
    ) throws(HubError) -> [FleetEvent] {
        if kind.namespaced && state.objects[ObjectKey(.namespace, name: key.namespace)] == nil {
            throw .notFound(kind: "namespaces", name: key.namespace)
        }
        var object = defaulted(kind, key, clean(json, kind: kind, keepStatus: false, state))
        try validate(kind, key, object, old: nil, state)
        object = ownership.managedFields(kind, live: nil, object: object, state).stamped(on: object)
        return [.objectCreated(ObjectCreated(key: key, uid: ObjectUID.make(for: key, after: state.lastSeq), object: object))]
    }

    static func update(
        _ kind: ResourceKind, _ key: ObjectKey, _ json: JSON, _ existing: StoredObject, _ state: HubState, _ ownership: Ownership
    ) throws(HubError) -> [FleetEvent] {
        try checkVersion(json, existing, kind)
        var object = defaulted(kind, key, clean(json, kind: kind, keepStatus: !kind.hasStatus, state))
        try validate(kind, key, object, old: existing.json, state)
        let managed = ownership.managedFields(kind, live: existing.json, object: object, state)
        object = managed.stamped(on: object)
        let stored = ManagedFields(of: existing.json).stamped(on: clean(existing.json, kind: kind, keepStatus: !kind.hasStatus, state))
        if object == stored { return [] }
        return [.objectUpdated(ObjectUpdated(key: key, object: object))]
    }

    /// A `resourceVersion` in the manifest is a precondition: the object must still be at that version.
    static func checkVersion(_ json: JSON, _ existing: StoredObject, _ kind: ResourceKind) throws(HubError) {
        if let version = json[path: ["metadata", "resourceVersion"]]?.stringValue, !version.isEmpty,
            version != String(existing.resourceVersion)
        {
            throw .conflict(kind: kind.plural, name: existing.key.name)
        }
    }

    static func validate(_ kind: ResourceKind, _ key: ObjectKey, _ object: JSON, old: JSON?, _ state: HubState) throws(HubError) {
        var causes = FleetValidation.validate(kind, object: object, old: old)
        if kind.isCustom, let schema = state.kinds.schema(for: kind, version: kind.preferredVersion) {
            causes += CustomSchema.validate(object, schema: schema)
        }
        if !causes.isEmpty { throw .invalid(InvalidObject(kind: kind.kind, name: key.name, causes: causes), group: kind.group) }
    }

    /// The manifest without what the hub owns. Status comes only through the status subresource for kinds that
    /// have one. A custom object keeps only what its schema declares, as the API server prunes.
    static func clean(_ json: JSON, kind: ResourceKind, keepStatus: Bool, _ state: HubState) -> JSON {
        var json = json
        for field in ["uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "deletionTimestamp", "selfLink"] {
            json[path: ["metadata", field]] = nil
        }
        if !keepStatus { json["status"] = nil }
        json["apiVersion"] = .string(kind.apiVersion)
        if kind.isCustom, let schema = state.kinds.schema(for: kind, version: kind.preferredVersion) {
            json = CustomSchema.prune(json, schema: schema)
        }
        return json
    }

    /// API-server defaulting the seed shows: a namespace's name label and finalizer.
    static func defaulted(_ kind: ResourceKind, _ key: ObjectKey, _ json: JSON) -> JSON {
        var json = json
        json[path: ["metadata", "name"]] = .string(key.name)
        if kind.namespaced { json[path: ["metadata", "namespace"]] = .string(key.namespace) }
        if kind == .namespace {
            json[path: ["metadata", "labels", FleetLabel.namespaceName]] = .string(key.name)
            if json[path: ["spec", "finalizers"]] == nil { json[path: ["spec", "finalizers"]] = ["kubernetes"] }
        }
        return json
    }

    /// What goes with an object: a namespace's objects, a placement's snapshots, a run's approval requests.
    static func dependents(of key: ObjectKey, kind: ResourceKind, in state: HubState) -> [ObjectKey] {
        switch kind {
        case .namespace:
            return state.objects.keys(inNamespace: key.name).sorted()
        case .clusterResourcePlacement, .resourcePlacement:
            let kinds: [ResourceKind] = [
                .clusterResourceSnapshot, .resourceSnapshot, .clusterSchedulingPolicySnapshot, .schedulingPolicySnapshot,
            ]
            return kinds.flatMap { state.objects(ofKind: $0, namespace: key.namespace) }
                .filter { $0.labels[FleetLabel.parentPlacement] == key.name }.map(\.key).sorted()
        case .clusterResourceOverride, .resourceOverride:
            guard let snapshotKind = OverrideController.snapshotKind(of: key) else { return [] }
            return state.objects(ofKind: snapshotKind, namespace: key.namespace)
                .filter { $0.labels[FleetLabel.parentOverride] == key.name }.map(\.key)
        case .clusterStagedUpdateRun, .stagedUpdateRun:
            return state.objects(ofKind: PlacementNames.approvalKind(forRun: key), namespace: key.namespace)
                .filter { $0.labels[FleetLabel.targetUpdateRun] == key.name }.map(\.key)
        case .memberCluster:
            // What the hub made for the member's agent goes with it.
            guard let member = state.objects[key] else { return [] }
            let access = MemberClusterController.accessObjects(member).map { ObjectKey(kind: $0.kind, namespace: $0.namespace, name: $0.name) }
            let inNamespace = state.objects.keys(inNamespace: WorkWriter.namespace(ofMember: key.name)).sorted()
            return inNamespace + access.filter { $0.namespace.isEmpty && state.objects[$0] != nil }.reversed()
        case .customResourceDefinition:
            // The API server's finalizer deletes every object of the kind before the definition goes.
            guard let defined = state.kinds.custom.values.first(where: { $0.definition == key.name }) else { return [] }
            return state.objects(ofKind: defined.kind).map(\.key)
        default:
            return []
        }
    }
}
