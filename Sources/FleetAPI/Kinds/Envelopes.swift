/// KubeFleet's envelopes: `ClusterResourceEnvelope` and `ResourceEnvelope` (v1beta1) wrap objects in `data`, a
/// map from a key (typically a file name) to a manifest, so that objects that must not take effect on the hub
/// (webhooks, admission policies) travel to the members as plain data. The hub stores an envelope and never
/// applies what it carries; a member receives the wrapped objects, never the envelope.
extension ResourceKind {
    public static let clusterResourceEnvelope = ResourceKind(
        group: placementGroup, versions: ["v1beta1"], kind: "ClusterResourceEnvelope", plural: "clusterresourceenvelopes",
        namespaced: false, categories: ["fleet", "fleet-placement"])
    public static let resourceEnvelope = ResourceKind(
        group: placementGroup, versions: ["v1beta1"], kind: "ResourceEnvelope", plural: "resourceenvelopes",
        namespaced: true, categories: ["fleet", "fleet-placement"])

    public var isEnvelope: Bool { self == .clusterResourceEnvelope || self == .resourceEnvelope }
}

public enum Envelopes {
    /// The labels KubeFleet's work generator puts on the Work it writes for an envelope.
    public static let typeLabel = "kubernetes-fleet.io/envelope-work"
    public static let nameLabel = "kubernetes-fleet.io/envelope-name"
    public static let namespaceLabel = "kubernetes-fleet.io/envelope-namespace"

    /// Whether a manifest is an envelope: its group and kind, as KubeFleet's work generator tells them apart.
    public static func isEnvelope(_ object: JSON) -> Bool {
        let group = object["apiVersion"]?.stringValue?.split(separator: "/").first.map(String.init)
        return group == ResourceKind.placementGroup
            && [ResourceKind.clusterResourceEnvelope.kind, ResourceKind.resourceEnvelope.kind].contains(object["kind"]?.stringValue ?? "")
    }

    /// The wrapped manifests, in KubeFleet's order: by their JSON text, descending, so that the same contents
    /// always make the same Work.
    public static func contents(of envelope: JSON) -> [JSON] {
        (envelope["data"]?.objectValue ?? [:]).values
            .map { (manifest: $0, text: $0.serialized()) }
            .sorted { $1.text.lexicographicallyPrecedes($0.text) }
            .map(\.manifest)
    }

    /// What a member holds for `objects`: each envelope replaced by what it wraps.
    public static func unwrapped(_ objects: [JSON]) -> [JSON] {
        objects.flatMap { isEnvelope($0) ? contents(of: $0) : [$0] }
    }

    /// `namespace/name`, or the name alone for a cluster-scoped object, as klog refers to objects.
    static func reference(_ object: JSON) -> String {
        let namespace = object[path: ["metadata", "namespace"]]?.stringValue ?? ""
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        return namespace.isEmpty ? name : "\(namespace)/\(name)"
    }
}
