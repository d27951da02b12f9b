/// Kubernetes strategic merge patch (`application/strategic-merge-patch+json`), which kubectl sends for
/// `apply`, `edit` and `patch` on kinds compiled into it.
///
/// Maps merge as in a JSON merge patch (`null` deletes). Lists the API types mark `patchStrategy:"merge"`
/// (see `MergeList.builtIn`) merge item by item; every other list is replaced. The server-side
/// directives are honoured: `$patch: replace|delete|merge` in maps and list items, `$retainKeys`,
/// `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>`. Unlike the API server, a value
/// the object does not have yet is still merged against an empty one, so directives and nulls never
/// end up stored in the object.
public enum StrategicMergePatch {
    /// Whether `kind` has a schema here; the API server answers 415 to a strategic merge patch for
    /// any other kind (custom resources), as kubectl itself sends a JSON merge patch for those.
    public static func supports(kind: String) -> Bool {
        MergeList.builtIn[kind] != nil
    }

    /// Applies `patch` to `target`. A kind without a schema gets only the `metadata` merge lists.
    public static func apply(_ patch: JSON, to target: JSON, kind: String) throws(PatchError) -> JSON {
        guard case .object(let members) = patch else {
            throw .malformed("invalid JSON document: a strategic merge patch must be a JSON object")
        }
        let merger = Merger(lists: MergeList.builtIn[kind] ?? MergeList.objectMeta(at: "metadata"))
        return .object(try merger.mergeMap(target.objectValue ?? [:], members, at: []))
    }
}

/// How one list field merges: items matched by a key field, or a set of primitives.
enum MergeList: Equatable {
    case byKey(String)
    case primitives

    /// The merge lists of each built-in kind, by dotted field path (list items add no segment), from
    /// the `patchStrategy`/`patchMergeKey` tags of the Kubernetes API types. Namespace `spec.finalizers`
    /// is deliberately absent: the API types leave it atomic, and kubectl, computing its patches from
    /// the same tags, sends the whole list, so merging it would keep finalizers the user removed.
    static let builtIn: [String: [String: MergeList]] = {
        let conditions: [String: MergeList] = ["status.conditions": .byKey("type")]
        let kinds: [String: [String: MergeList]] = [
            "Namespace": conditions,
            "ConfigMap": [:],
            "Secret": [:],
            "ServiceAccount": ["secrets": .byKey("name")],
            "Role": [:], "ClusterRole": [:], "RoleBinding": [:], "ClusterRoleBinding": [:],
            "Service": ["spec.ports": .byKey("port")].merging(conditions) { $1 },
            "Deployment": podTemplate(at: "spec.template").merging(conditions) { $1 },
            "StatefulSet": podTemplate(at: "spec.template").merging(conditions) { $1 },
            "DaemonSet": podTemplate(at: "spec.template").merging(conditions) { $1 },
            "Job": podTemplate(at: "spec.template").merging(conditions) { $1 },
            "CronJob": podTemplate(at: "spec.jobTemplate.spec.template"),
            "PersistentVolumeClaim": conditions, "LimitRange": [:], "ResourceQuota": [:], "Ingress": [:],
            "NetworkPolicy": [:], "PodDisruptionBudget": conditions, "HorizontalPodAutoscaler": conditions,
        ]
        return kinds.mapValues { $0.merging(objectMeta(at: "metadata")) { $1 } }
    }()

    static func podTemplate(at prefix: String) -> [String: MergeList] {
        objectMeta(at: "\(prefix).metadata").merging(podSpec(at: "\(prefix).spec")) { $1 }
    }

    static func objectMeta(at prefix: String) -> [String: MergeList] {
        ["\(prefix).finalizers": .primitives, "\(prefix).ownerReferences": .byKey("uid")]
    }

    private static func podSpec(at prefix: String) -> [String: MergeList] {
        var lists: [String: MergeList] = [
            "\(prefix).volumes": .byKey("name"),
            "\(prefix).imagePullSecrets": .byKey("name"),
            "\(prefix).hostAliases": .byKey("ip"),
            "\(prefix).topologySpreadConstraints": .byKey("topologyKey"),
            "\(prefix).resourceClaims": .byKey("name"),
            "\(prefix).schedulingGates": .byKey("name"),
        ]
        for containers in ["containers", "initContainers", "ephemeralContainers"] {
            let path = "\(prefix).\(containers)"
            lists[path] = .byKey("name")
            lists["\(path).ports"] = .byKey("containerPort")
            lists["\(path).env"] = .byKey("name")
            lists["\(path).volumeMounts"] = .byKey("mountPath")
            lists["\(path).volumeDevices"] = .byKey("devicePath")
        }
        return lists
    }
}

private let deleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/"
private let setElementOrderPrefix = "$setElementOrder/"

/// The merge for one kind; `path` holds the field names leading to the value being merged.
private struct Merger {
    let lists: [String: MergeList]

    func mergeMap(_ original: [String: JSON], _ patch: [String: JSON], at path: [String]) throws(PatchError)
        -> [String: JSON]
    {
        var patch = patch
        if let directive = patch.removeValue(forKey: "$patch") {
            switch directive {
            case "replace": return try mergeMap([:], patch, at: path)
            case "delete": return [:]
            case "merge": break
            default: throw unknownPatchType(directive, at: path)
            }
        }
        var result = original
        var fields: [String: JSON] = [:]
        var deletions: [String: [JSON]] = [:]
        var orders: [String: [JSON]] = [:]
        for (key, value) in patch where key != "$retainKeys" {
            if key.hasPrefix(deleteFromPrimitiveListPrefix) {
                guard case .array(let items) = value else {
                    throw .malformed("invalid patch format of primitive list")
                }
                deletions[String(key.dropFirst(deleteFromPrimitiveListPrefix.count))] = items
            } else if key.hasPrefix(setElementOrderPrefix) {
                guard case .array(let items) = value else {
                    throw .malformed("invalid patch format of setElementOrder list")
                }
                orders[String(key.dropFirst(setElementOrderPrefix.count))] = items
            } else if key.hasPrefix("$") {
                throw .malformed("unknown strategic merge patch directive \"\(key)\"")
            } else {
                fields[key] = value
            }
        }
        if let retained = patch["$retainKeys"] {
            guard case .array(let names) = retained, names.allSatisfy({ $0.stringValue != nil }) else {
                throw .malformed("invalid patch format of retainKeys")
            }
            let kept = Set(names.compactMap(\.stringValue))
            if fields.contains(where: { !$0.value.isNull && !kept.contains($0.key) }) {
                throw .invalid(field: Self.describe(path), message: "patch content doesn't match retainKeys list")
            }
            result = result.filter { kept.contains($0.key) }
        }

        for field in Set(fields.keys).union(deletions.keys).union(orders.keys).sorted() {
            let fieldPath = path + [field]
            let before = result[field]
            if let doomed = deletions[field], let current = result[field] {
                guard case .array(let items) = current else {
                    throw .invalid(field: Self.describe(fieldPath), message: "expected a list")
                }
                result[field] = .array(items.filter { item in !doomed.contains { $0.isEquivalent(to: item) } })
            }
            if let value = fields[field] {
                if value.isNull {
                    result[field] = nil
                } else {
                    result[field] = try merge(result[field], value, at: fieldPath)
                }
            }
            if let order = orders[field], let list = lists[Self.describe(fieldPath)],
                case .array(let merged)? = result[field]
            {
                result[field] = .array(list.ordered(merged, by: order, server: before?.arrayValue ?? []))
            }
        }
        return result
    }

    private func merge(_ original: JSON?, _ patch: JSON, at path: [String]) throws(PatchError) -> JSON {
        switch patch {
        case .object(let members):
            return .object(try mergeMap(original?.objectValue ?? [:], members, at: path))
        case .array(let items):
            guard let list = lists[Self.describe(path)] else { return patch }
            return .array(try mergeList(original?.arrayValue ?? [], items, list, at: path))
        default:
            return patch
        }
    }

    private func mergeList(_ original: [JSON], _ patch: [JSON], _ list: MergeList, at path: [String]) throws(PatchError)
        -> [JSON]
    {
        var original = original
        var items: [JSON] = []
        var replace = false
        for item in patch {
            guard case .object(var members) = item, let directive = members.removeValue(forKey: "$patch") else {
                items.append(item)
                continue
            }
            switch directive {
            case "replace":
                replace = true
            case "delete":
                guard case .byKey(let key) = list else {
                    throw .invalid(
                        field: Self.describe(path), message: "$patch: delete needs a list with a merge key")
                }
                guard let value = members[key] else { throw noMergeKey(members, key, at: path) }
                original.removeAll { $0[key]?.isEquivalent(to: value) ?? false }
            case "merge":
                items.append(.object(members))
            default:
                throw unknownPatchType(directive, at: path)
            }
        }

        var merged = replace ? [] : original
        for item in items {
            switch list {
            case .primitives:
                if !merged.contains(where: { $0.isEquivalent(to: item) }) { merged.append(item) }
            case .byKey(let key):
                guard case .object(let members) = item else {
                    throw .invalid(
                        field: Self.describe(path), message: "expected a map, but received \(item.serializedString())")
                }
                guard let value = members[key] else { throw noMergeKey(members, key, at: path) }
                if let index = merged.firstIndex(where: { $0[key]?.isEquivalent(to: value) ?? false }) {
                    merged[index] = .object(try mergeMap(merged[index].objectValue ?? [:], members, at: path))
                } else {
                    merged.append(.object(try mergeMap([:], members, at: path)))
                }
            }
        }
        return replace ? merged : list.ordered(merged, by: items, server: original)
    }

    private static func describe(_ path: [String]) -> String {
        path.joined(separator: ".")
    }

    private func unknownPatchType(_ directive: JSON, at path: [String]) -> PatchError {
        let place = path.isEmpty ? "the object" : Self.describe(path)
        return .malformed("unknown patch type: \(directive.serializedString()) in \(place)")
    }

    private func noMergeKey(_ members: [String: JSON], _ key: String, at path: [String]) -> PatchError {
        .invalid(
            field: Self.describe(path),
            message: "map: \(JSON.object(members).serializedString()) does not contain declared merge key: \(key)")
    }
}

extension MergeList {
    /// The API server's order for a merged list: items named in `order` (the patch list, or a
    /// `$setElementOrder` list) in that order, with the other items slotted in where they sat in the
    /// `server` list (the live list before the patch).
    fileprivate func ordered(_ merged: [JSON], by order: [JSON], server: [JSON]) -> [JSON] {
        var named: [(position: Int, item: JSON)] = []
        var serverOnly: [JSON] = []
        for item in merged {
            if let position = position(of: item, in: order) {
                named.append((position, item))
            } else {
                serverOnly.append(item)
            }
        }
        let patchItems = named.enumerated()
            .sorted { ($0.element.position, $0.offset) < ($1.element.position, $1.offset) }
            .map(\.element.item)

        var result: [JSON] = []
        var (i, j) = (0, 0)
        while i < serverOnly.count || j < patchItems.count {
            let takeServerItem =
                j == patchItems.count || (i < serverOnly.count && precedes(serverOnly[i], patchItems[j], in: server))
            if takeServerItem {
                result.append(serverOnly[i])
                i += 1
            } else {
                result.append(patchItems[j])
                j += 1
            }
        }
        return result
    }

    private func identity(_ item: JSON) -> JSON? {
        switch self {
        case .primitives: item
        case .byKey(let key): item[key]
        }
    }

    private func position(of item: JSON, in list: [JSON]) -> Int? {
        guard let id = identity(item) else { return nil }
        return list.firstIndex { identity($0)?.isEquivalent(to: id) ?? false }
    }

    private func precedes(_ a: JSON, _ b: JSON, in server: [JSON]) -> Bool {
        guard let pa = position(of: a, in: server), let pb = position(of: b, in: server) else { return false }
        return pa < pb
    }
}
