import FleetAPI
import Foundation

/// Which override snapshots a cluster gets, and what they do to the resources it receives.
public enum Overrides {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The latest snapshots of the overrides that touch any of `resources` for this placement, by cluster:
    /// KubeFleet's per-cluster override lists, frozen when a run initializes.
    static func frozen(
        for placement: ObjectKey, resources: [JSON], clusters: [String], in state: HubState
    ) -> [String: [ObjectKey]] {
        var overrideKeys = state.objects(ofKind: .resourceOverride, namespace: PlacementNames.isClusterScoped(placement) ? nil : placement.namespace).map(\.key)
        if PlacementNames.isClusterScoped(placement) {
            overrideKeys = state.objects(ofKind: .clusterResourceOverride).map(\.key) + overrideKeys
        }
        var candidates: [(snapshot: ObjectKey, spec: OverrideSpec)] = []
        for key in overrideKeys {
            guard let spec = try? state.objects[key]?.spec.decode(OverrideSpec.self),
                spec.placement.map({ $0.name == placement.name }) ?? true,
                Envelopes.unwrapped(resources).contains(where: { matches(spec, key: key, resource: $0) }),
                let snapshotKind = OverrideController.snapshotKind(of: key),
                let latest = state.objects(ofKind: snapshotKind, namespace: key.namespace).first(where: {
                    $0.labels[FleetLabel.parentOverride] == key.name && $0.labels[FleetLabel.isLatestSnapshot] == "true"
                })
            else { continue }
            candidates.append((latest.key, spec))
        }
        let labels = state.memberLabels
        var result: [String: [ObjectKey]] = [:]
        for cluster in clusters {
            let picked = candidates.filter { candidate in
                candidate.spec.policy.overrideRules.contains { $0.selects(labels[cluster] ?? [:]) }
            }.map(\.snapshot)
            if !picked.isEmpty { result[cluster] = picked }
        }
        return result
    }

    static func matches(_ spec: OverrideSpec, key: ObjectKey, resource: JSON) -> Bool {
        let apiVersion = resource["apiVersion"]?.stringValue ?? ""
        let parts = apiVersion.split(separator: "/", maxSplits: 1).map(String.init)
        let (group, version) = parts.count == 2 ? (parts[0], parts[1]) : ("", apiVersion)
        let name = resource[path: ["metadata", "name"]]?.stringValue
        let namespace = resource[path: ["metadata", "namespace"]]?.stringValue ?? ""
        if !key.namespace.isEmpty && namespace != key.namespace { return false }
        return spec.selectors.contains {
            $0.group == group && $0.version == version && $0.kind == resource["kind"]?.stringValue && $0.name == name
        }
    }

    /// The resources as `cluster` receives them once the given override snapshots are applied in order.
    public static func apply(
        _ resources: [JSON], snapshots: [ObjectKey], cluster: String, in state: HubState
    ) throws(Failure) -> [JSON] {
        guard !snapshots.isEmpty else { return resources }
        let labels = state.labels(ofMember: cluster)
        var result: [JSON] = []
        for resource in resources {
            guard Envelopes.isEnvelope(resource) else {
                if let overridden = try overridden(resource, snapshots: snapshots, cluster: cluster, labels: labels, in: state) {
                    result.append(overridden)
                }
                continue
            }
            // KubeFleet (#774) overrides what an envelope carries, dropping what a Delete rule deletes, and never
            // the envelope itself.
            var envelope = resource
            var data: [String: JSON] = [:]
            for (name, manifest) in resource["data"]?.objectValue ?? [:] {
                data[name] = try overridden(manifest, snapshots: snapshots, cluster: cluster, labels: labels, in: state)
            }
            envelope["data"] = .object(data)
            result.append(envelope)
        }
        return result
    }

    /// One resource once the override snapshots are applied in order; nil when a Delete rule deletes it.
    static func overridden(
        _ resource: JSON, snapshots: [ObjectKey], cluster: String, labels: [String: String], in state: HubState
    ) throws(Failure) -> JSON? {
        var current: JSON? = resource
        for snapshot in snapshots {
            guard let object = current, let stored = state.objects[snapshot],
                let spec = try? stored.spec["overrideSpec"]?.decode(OverrideSpec.self)
            else { continue }
            let owner = ObjectKey(
                kind: overrideKind(of: snapshot), namespace: snapshot.namespace,
                name: stored.labels[FleetLabel.parentOverride] ?? "")
            guard matches(spec, key: owner, resource: object) else { continue }
            for rule in spec.policy.overrideRules where rule.selects(labels) {
                if rule.overrideType == .delete {
                    current = nil
                    break
                }
                let operations: [JSON] = (rule.jsonPatchOverrides ?? []).map { patch in
                    var operation: JSON = ["op": .string(patch.op), "path": .string(patch.path)]
                    if let value = patch.value { operation["value"] = substitute(value, cluster: cluster) }
                    return operation
                }
                do {
                    current = try JSONPatch.apply(.array(operations), to: current ?? .null)
                } catch {
                    throw Failure(description: "override snapshot \(snapshot.name) does not apply to \(object["kind"]?.stringValue ?? "") \(object[path: ["metadata", "name"]]?.stringValue ?? ""): \(error)")
                }
            }
        }
        return current
    }

    static func overrideKind(of snapshot: ObjectKey) -> String {
        snapshot.kind == ResourceKind.clusterResourceOverrideSnapshot.kind
            ? ResourceKind.clusterResourceOverride.kind : ResourceKind.resourceOverride.kind
    }

    /// KubeFleet's one placeholder in override values.
    static func substitute(_ value: JSON, cluster: String) -> JSON {
        switch value {
        case .string(let text): .string(text.replacingOccurrences(of: "${MEMBER-CLUSTER-NAME}", with: cluster))
        case .array(let items): .array(items.map { substitute($0, cluster: cluster) })
        case .object(let members): .object(members.mapValues { substitute($0, cluster: cluster) })
        default: value
        }
    }
}
