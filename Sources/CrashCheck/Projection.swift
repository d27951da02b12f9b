import FleetAPI

/// What a play leaves behind as clients see it: every listed object, by listing (a kind on the hub, or a kind on
/// one member), compared between an interrupted play and the baseline after dropping what legitimately differs
/// between two plays on the wall clock.
///
/// ```swift
/// let problems = Projection.differences(baseline: Projection.normalize(before), round: Projection.normalize(after))
/// ```
public enum Projection {
    /// The listings with the values that legitimately differ between two plays replaced or removed. Only these:
    ///
    /// - `metadata.resourceVersion` and `metadata.creationTimestamp`: the seq and the wall-clock time of events,
    ///   and seqs shift whenever member reports interleave differently with controller steps or a crash drops an
    ///   uncommitted tail.
    /// - `metadata.uid` and `metadata.ownerReferences[].uid`: the hub derives a uid from the seq it is created
    ///   after, so it shifts with the seqs. Each is replaced by the name of the listed object that carries it, so an
    ///   owner reference must still point at the same owner; a uid no listed object carries stays as it is.
    /// - `lastTransitionTime` of every condition (`conditions[]`): wall-clock time, including the approval's, which
    ///   the driver stamps with its own clock.
    /// - `startTime` and `endTime` of a run's stages (`status.stagesStatus[]`, `status.deletionStageStatus`).
    /// - the `time` of each `metadata.managedFields` entry: when its manager last wrote, on the wall clock.
    ///
    /// Everything else (names, labels, annotations, generations, specs, condition types, statuses, reasons,
    /// messages and observed generations, the frozen plan, snapshot contents and hashes, member contents) must be
    /// equal.
    public static func normalize(_ listings: [String: [JSON]]) -> [String: [JSON]] {
        var owners: [String: String] = [:]
        for item in listings.values.joined() {
            guard let uid = item[path: ["metadata", "uid"]]?.stringValue else { continue }
            owners[uid] = "uid of \(name(item))"
        }
        return listings.mapValues { items in items.map { normalize($0, owners: owners) } }
    }

    static func normalize(_ object: JSON, owners: [String: String]) -> JSON {
        var object = scrubTimes(object)
        guard var metadata = object["metadata"] else { return object }
        metadata["resourceVersion"] = nil
        metadata["creationTimestamp"] = nil
        if let entries = metadata["managedFields"]?.arrayValue {
            metadata["managedFields"] = .array(entries.map { without(["time"], $0) })
        }
        if let uid = metadata["uid"]?.stringValue {
            metadata["uid"] = .string(owners[uid] ?? uid)
        }
        if let references = metadata["ownerReferences"]?.arrayValue {
            metadata["ownerReferences"] = .array(
                references.map { reference in
                    guard let uid = reference["uid"]?.stringValue else { return reference }
                    var reference = reference
                    reference["uid"] = .string(owners[uid] ?? uid)
                    return reference
                })
        }
        object["metadata"] = metadata
        return object
    }

    /// Removes condition transition times everywhere, and stage start and end times under `status`.
    static func scrubTimes(_ value: JSON) -> JSON {
        switch value {
        case .array(let elements): return .array(elements.map(scrubTimes))
        case .object(var members):
            for (key, member) in members {
                switch (key, member) {
                case ("conditions", .array(let conditions)):
                    members[key] = .array(conditions.map { without(["lastTransitionTime"], scrubTimes($0)) })
                case ("stagesStatus", .array(let stages)):
                    members[key] = .array(stages.map { without(["startTime", "endTime"], scrubTimes($0)) })
                case ("deletionStageStatus", .object):
                    members[key] = without(["startTime", "endTime"], scrubTimes(member))
                default:
                    members[key] = scrubTimes(member)
                }
            }
            return .object(members)
        default: return value
        }
    }

    static func without(_ keys: [String], _ value: JSON) -> JSON {
        guard var members = value.objectValue else { return value }
        for key in keys { members[key] = nil }
        return .object(members)
    }

    /// `Kind/namespace/name` of a listed object.
    static func name(_ item: JSON) -> String {
        let kind = item["kind"]?.stringValue ?? "?"
        let namespace = item[path: ["metadata", "namespace"]]?.stringValue.map { "\($0)/" } ?? ""
        return "\(kind)/\(namespace)\(item[path: ["metadata", "name"]]?.stringValue ?? "?")"
    }

    /// Objects present in one play only, and objects that differ, each with the first few paths where they do.
    /// Both sides must be normalized.
    public static func differences(baseline: [String: [JSON]], round: [String: [JSON]]) -> [String] {
        var problems: [String] = []
        for listing in Set(baseline.keys).union(round.keys).sorted() {
            let expected = Dictionary((baseline[listing] ?? []).map { (name($0), $0) }, uniquingKeysWith: { a, _ in a })
            let actual = Dictionary((round[listing] ?? []).map { (name($0), $0) }, uniquingKeysWith: { a, _ in a })
            for object in Set(expected.keys).union(actual.keys).sorted() {
                switch (expected[object], actual[object]) {
                case (nil, _?): problems.append("\(listing): \(object) is not in the baseline")
                case (_?, nil): problems.append("\(listing): \(object) is missing")
                case (let a?, let b?) where a != b:
                    let paths = JSONDifference.paths(a, b, limit: 3)
                    problems.append("\(listing): \(object) differs at " + paths.joined(separator: "; "))
                default: break
                }
            }
        }
        return problems
    }
}

/// Where two JSON values differ, as readable paths with both sides.
public enum JSONDifference {
    /// The first `limit` paths (depth first, object keys sorted) where `a` and `b` differ, e.g.
    /// `.status.conditions[1].reason: "A" (baseline) vs "B"`, where `reference` names `a`.
    public static func paths(_ a: JSON, _ b: JSON, limit: Int, reference: String = "baseline") -> [String] {
        var found: [String] = []
        walk(a, b, path: "", into: &found, limit: limit, reference: reference)
        return found
    }

    static func walk(_ a: JSON, _ b: JSON, path: String, into found: inout [String], limit: Int, reference: String) {
        guard found.count < limit, a != b else { return }
        switch (a, b) {
        case (.object(let x), .object(let y)):
            for key in Set(x.keys).union(y.keys).sorted() {
                walk(x[key] ?? .null, y[key] ?? .null, path: "\(path).\(key)", into: &found, limit: limit, reference: reference)
            }
        case (.array(let x), .array(let y)) where x.count == y.count:
            for (index, (p, q)) in zip(x, y).enumerated() {
                walk(p, q, path: "\(path)[\(index)]", into: &found, limit: limit, reference: reference)
            }
        default:
            found.append("\(path.isEmpty ? "." : path): \(short(a)) (\(reference)) vs \(short(b))")
        }
    }

    static func short(_ value: JSON) -> String {
        let text = value.serializedString()
        return text.count <= 120 ? text : text.prefix(117) + "..."
    }
}
