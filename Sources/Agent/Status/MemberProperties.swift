public import FleetAPI
public import Foundation

/// What the agent tells the hub about its cluster in the MemberCluster's status: the Kubernetes version, the node
/// count and the nodes' summed capacity and allocatable resources, as KubeFleet's default property provider.
public enum MemberProperties {
    public static let kubernetesVersion = "k8s.io/kubernetes-version"
    public static let nodeCount = "kubernetes-fleet.io/node-count"

    /// `status.properties` and `status.resourceUsage`; `nodes` is nil when the member serves no nodes, and then
    /// neither the node count nor the usage is reported.
    public static func build(version: JSON?, nodes: [JSON]?, now: Date) -> (properties: JSON, resourceUsage: JSON?) {
        let time = JSON.string(KubeTime.format(now))
        var properties: [String: JSON] = [:]
        if let gitVersion = version?["gitVersion"]?.stringValue {
            properties[kubernetesVersion] = ["value": .string(gitVersion), "observationTime": time]
        }
        guard let nodes else { return (.object(properties), nil) }
        properties[nodeCount] = ["value": .string("\(nodes.count)"), "observationTime": time]
        let usage: JSON = [
            "capacity": sum(nodes.map { $0["status"]?["capacity"] ?? .emptyObject }),
            "allocatable": sum(nodes.map { $0["status"]?["allocatable"] ?? .emptyObject }),
            "observationTime": time,
        ]
        return (.object(properties), usage)
    }

    /// Resource lists added per resource name; a quantity that does not parse is left out.
    static func sum(_ lists: [JSON]) -> JSON {
        var totals: [String: Decimal] = [:]
        for list in lists {
            for (name, value) in list.objectValue ?? [:] {
                guard let text = value.stringValue ?? value.intValue.map({ "\($0)" }), let amount = Quantity.parse(text) else { continue }
                totals[name, default: 0] += amount
            }
        }
        return .object(totals.mapValues { .string(Quantity.format($0)) })
    }
}

/// Kubernetes resource quantities (`resource.Quantity`): a decimal number with an optional SI (`m`, `k`, `M`,
/// `G`, ...) or binary (`Ki`, `Mi`, ...) suffix.
enum Quantity {
    private static let suffixes: [(String, Decimal)] = [
        ("Ki", 1024), ("Mi", pow(1024, 2)), ("Gi", pow(1024, 3)), ("Ti", pow(1024, 4)), ("Pi", pow(1024, 5)),
        ("Ei", pow(1024, 6)), ("n", Decimal(string: "0.000000001")!), ("u", Decimal(string: "0.000001")!),
        ("m", Decimal(string: "0.001")!), ("k", 1000), ("M", pow(1000, 2)), ("G", pow(1000, 3)), ("T", pow(1000, 4)),
        ("P", pow(1000, 5)), ("E", pow(1000, 6)),
    ]

    static func parse(_ text: String) -> Decimal? {
        for (suffix, factor) in suffixes where text.hasSuffix(suffix) {
            return Decimal(string: String(text.dropLast(suffix.count)), locale: Locale(identifier: "en_US_POSIX")).map { $0 * factor }
        }
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else { return nil }
        return value
    }

    /// A whole number as is; anything finer in thousandths (`1500m`), as quantities are canonically written.
    static func format(_ value: Decimal) -> String {
        var rounded = Decimal()
        var copy = value
        NSDecimalRound(&rounded, &copy, 0, .plain)
        if rounded == value { return "\(rounded)" }
        var milli = value * 1000
        var whole = Decimal()
        NSDecimalRound(&whole, &milli, 0, .up)
        return "\(whole)m"
    }
}
