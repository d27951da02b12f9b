import FleetAPI

/// A user's write to one object, as the API or the command line receives it.
public enum ObjectCommand: Sendable, Equatable {
    /// Create a new object from a full manifest.
    case create(JSON)
    /// Replace an object's spec, labels and annotations; `resourceVersion` in the manifest, when set, must match.
    case update(JSON)
    /// Create the object, or update it when it exists: what `kubectl apply` amounts to.
    case apply(JSON)
    /// Server-side apply: merge the configuration into the object, creating it when missing, as its field manager
    /// owns it; `force` takes the fields other managers own instead of refusing the write.
    case serverSideApply(JSON, force: Bool)
    /// Replace the `status` subresource.
    case updateStatus(ObjectKey, JSON)
    /// Delete an object; a namespace takes its objects with it.
    case delete(ObjectKey)
}

extension ObjectCommand {
    /// The object the command writes, with the kinds `kinds` serves.
    public func target(in kinds: KindRegistry) throws(HubError) -> ObjectKey {
        switch self {
        case .create(let json), .update(let json), .apply(let json), .serverSideApply(let json, _): try ObjectDecider.identify(json, kinds: kinds).1
        case .updateStatus(let key, _), .delete(let key): key
        }
    }
}
