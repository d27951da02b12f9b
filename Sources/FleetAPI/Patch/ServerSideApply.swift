/// A deliberately simplified `kubectl apply --server-side` (`application/apply-patch+yaml`): enough for
/// kubectl to create and update objects, without field ownership.
///
/// With no live object the applied configuration becomes the object. Otherwise it is merged into the
/// live object, with strategic-merge semantics for the built-in kinds and JSON-merge semantics (lists
/// replaced whole) for the others. Fields the configuration does not mention are kept.
///
/// How this differs from real server-side apply:
/// - No `metadata.managedFields` is recorded or read, so there is no field ownership: `manager` is
///   only required to be set, as the API server requires it.
/// - There are never conflicts, so `force` has nothing to override; every apply wins outright.
/// - A field dropped from a configuration stays, even where real SSA would remove it because this
///   manager alone owned it; here only an explicit `null` removes a field.
/// - Lists merge by the strategic-merge-patch keys, not by `x-kubernetes-list-map-keys` (Service
///   ports, for instance, merge by `port` only, not by `port` and `protocol`), and the `$patch`-style
///   directives a configuration should not contain are honoured rather than refused.
public enum ServerSideApply {
    public static func apply(_ applied: JSON, to live: JSON?, manager: String, kind: String) throws(PatchError)
        -> JSON
    {
        guard !manager.isEmpty else {
            throw .invalid(field: "fieldManager", message: "Required value: is required for apply patch")
        }
        guard case .object = applied else {
            throw .malformed("invalid apply configuration: expected an object")
        }
        guard let live else { return applied }
        if StrategicMergePatch.supports(kind: kind) {
            return try StrategicMergePatch.apply(applied, to: live, kind: kind)
        }
        return MergePatch.apply(applied, to: live)
    }
}
