public import FleetAPI

/// The fields in which a member's object differs from the hub's manifest, as KubeFleet reports them in
/// `diffDetails`/`observedDiffs`: JSON-pointer paths with each side's value in Go's `fmt` spelling.
///
/// Partial comparison looks only at what the manifest sets (KubeFleet gets the same set from a server-side apply
/// dry run); full comparison also reports what the member has and the manifest does not. Either way the server's
/// own bookkeeping (uid, resourceVersion, managed fields, status, ...) and the agent's marks are left out.
public enum ManifestDiff {
    /// At most this many details per object, as KubeFleet keeps.
    public static let limit = 100

    public static func diff(hub manifest: JSON, member live: JSON, full: Bool) -> [PatchDetail] {
        var details: [PatchDetail] = []
        compare(comparable(manifest), comparable(live), path: "", full: full, into: &details)
        return Array(details.sorted { $0.path < $1.path }.prefix(limit))
    }

    /// The object without what no manifest sets: server-kept metadata, status, and the agent's own annotations.
    static func comparable(_ object: JSON) -> JSON {
        var object = object
        object["status"] = nil
        for field in ["uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink",
                      "ownerReferences", "deletionTimestamp", "deletionGracePeriodSeconds"] {
            object["metadata"]?[field] = nil
        }
        for annotation in [AgentMarks.specHash, AgentMarks.lastApplied] {
            object["metadata"]?["annotations"]?[annotation] = nil
        }
        if object["metadata"]?["annotations"]?.objectValue?.isEmpty == true { object["metadata"]?["annotations"] = nil }
        return object
    }

    private static func compare(_ hub: JSON, _ member: JSON?, path: String, full: Bool, into details: inout [PatchDetail]) {
        switch (hub, member) {
        case (.object(let hubFields), .object(let memberFields)?):
            for (key, value) in hubFields {
                compare(value, memberFields[key], path: path + "/" + escape(key), full: full, into: &details)
            }
            if full {
                for (key, value) in memberFields where hubFields[key] == nil {
                    details.append(PatchDetail(path: path + "/" + escape(key), valueInMember: render(value), valueInHub: nil))
                }
            }
        case (.array(let hubItems), .array(let memberItems)?) where hubItems.count == memberItems.count || full:
            for (index, item) in hubItems.enumerated() {
                compare(item, index < memberItems.count ? memberItems[index] : nil, path: path + "/\(index)", full: full, into: &details)
            }
            for index in hubItems.count..<max(hubItems.count, memberItems.count) {
                details.append(PatchDetail(path: path + "/\(index)", valueInMember: render(memberItems[index]), valueInHub: nil))
            }
        case (_, nil):
            details.append(PatchDetail(path: path, valueInMember: nil, valueInHub: render(hub)))
        case (_, let member?):
            if !equivalent(hub, member) {
                details.append(PatchDetail(path: path, valueInMember: render(member), valueInHub: render(hub)))
            }
        }
    }

    /// Equal, counting 1 and 1.0 as the same number, as JSON does.
    private static func equivalent(_ a: JSON, _ b: JSON) -> Bool {
        if let x = a.numberValue, let y = b.numberValue { return x == y }
        return a == b
    }

    /// RFC 6901: `~` and `/` in a key are escaped.
    private static func escape(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// A value as Go's `fmt.Sprint` prints the decoded JSON: strings bare, objects as `map[k:v]`, lists as `[a b]`.
    static func render(_ value: JSON) -> String {
        switch value {
        case .null: "<nil>"
        case .bool(let flag): flag ? "true" : "false"
        case .int(let number): "\(number)"
        case .double(let number): number.rounded() == number && abs(number) < 1e21 ? "\(Int64(number))" : "\(number)"
        case .string(let text): text
        case .array(let items): "[" + items.map(render).joined(separator: " ") + "]"
        case .object(let fields): "map[" + fields.keys.sorted().map { "\($0):\(render(fields[$0]!))" }.joined(separator: " ") + "]"
        }
    }
}

extension JSON {
    var numberValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }
}
