public import FleetAPI

/// The JSON merge patch client-side apply sends (`kubectl apply`'s three-way merge): set what the new manifest
/// says where the live object differs, and delete what the last applied manifest had and the new one dropped.
/// Lists are replaced whole, as a JSON merge patch replaces them.
public enum ThreeWayMerge {
    public static func patch(lastApplied: JSON?, manifest: JSON, live: JSON) -> JSON {
        diff(original: lastApplied ?? .emptyObject, modified: manifest, current: live) ?? .emptyObject
    }

    private static func diff(original: JSON, modified: JSON, current: JSON) -> JSON? {
        guard case .object(let new) = modified else { return modified == current ? nil : modified }
        let old = original.objectValue ?? [:]
        let now = current.objectValue ?? [:]
        var patch: [String: JSON] = [:]
        for (key, value) in new {
            guard let live = now[key] else {
                patch[key] = value
                continue
            }
            if case .object = value, case .object = live {
                if let nested = diff(original: old[key] ?? .emptyObject, modified: value, current: live) {
                    patch[key] = nested
                }
            } else if value != live {
                patch[key] = value
            }
        }
        for key in old.keys where new[key] == nil && now[key] != nil {
            patch[key] = .null
        }
        return patch.isEmpty ? nil : .object(patch)
    }
}
