import FleetAPI
import Foundation

/// Validates user writes and turns them into object events. Pure: the hub supplies the state.
public enum ObjectDecider {
    public static func decide(_ command: ObjectCommand, _ state: HubState) throws(HubError) -> [FleetEvent] {
        switch command {
        case .create(let json):
            let (kind, key) = try identify(json, kinds: state.kinds)
            guard state.objects[key] == nil else { throw .alreadyExists(kind: kind.plural, name: key.name) }
            return try create(kind, key, json, state)
        case .update(let json):
            let (kind, key) = try identify(json, kinds: state.kinds)
            guard let existing = state.objects[key] else { throw .notFound(kind: kind.plural, name: key.name) }
            return try update(kind, key, json, existing, state)
        case .apply(let json):
            let (kind, key) = try identify(json, kinds: state.kinds)
            if let existing = state.objects[key] { return try update(kind, key, json, existing, state) }
            return try create(kind, key, json, state)
        case .updateStatus(let key, let status):
            guard let kind = state.kind(of: key), let existing = state.objects[key] else {
                throw .notFound(kind: state.kind(of: key)?.plural ?? key.kind, name: key.name)
            }
            if existing.status == status { return [] }
            var candidate = existing.json
            candidate["status"] = status
            try validate(kind, key, candidate, old: existing.json, state)
            return [.objectStatusUpdated(ObjectStatusUpdated(key: key, status: status))]
        case .delete(let key):
            guard let kind = state.kind(of: key), state.objects[key] != nil else {
                throw .notFound(kind: state.kind(of: key)?.plural ?? key.kind, name: key.name)
            }
            return dependents(of: key, kind: kind, in: state).map { .objectDeleted(ObjectDeleted(key: $0)) }
                + [.objectDeleted(ObjectDeleted(key: key))]
        }
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

    static func create(_ kind: ResourceKind, _ key: ObjectKey, _ json: JSON, _ state: HubState) throws(HubError) -> [FleetEvent] {
        if kind.namespaced && state.objects[ObjectKey(.namespace, name: key.namespace)] == nil {
            throw .notFound(kind: "namespaces", name: key.namespace)
        }
        let object = defaulted(kind, key, clean(json, kind: kind, keepStatus: false, state))
        try validate(kind, key, object, old: nil, state)
        return [.objectCreated(ObjectCreated(key: key, uid: ObjectUID.make(for: key, after: state.lastSeq), object: object))]
    }

    static func update(
        _ kind: ResourceKind, _ key: ObjectKey, _ json: JSON, _ existing: StoredObject, _ state: HubState
    ) throws(HubError) -> [FleetEvent] {
        if let version = json[path: ["metadata", "resourceVersion"]]?.stringValue, !version.isEmpty,
            version != String(existing.resourceVersion)
        {
            throw .conflict(kind: kind.plural, name: key.name)
        }
        let object = defaulted(kind, key, clean(json, kind: kind, keepStatus: !kind.hasStatus, state))
        try validate(kind, key, object, old: existing.json, state)
        if object == clean(existing.json, kind: kind, keepStatus: !kind.hasStatus, state) { return [] }
        return [.objectUpdated(ObjectUpdated(key: key, object: object))]
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
