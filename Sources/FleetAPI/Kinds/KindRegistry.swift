/// Every kind one hub serves: the built-in table and the kinds its established CustomResourceDefinitions
/// define. A value, so a past state answers with the kinds it had then.
public struct KindRegistry: Sendable, Hashable {
    /// By key name (`CronTab.stable.example.com`).
    public private(set) var custom: [String: CustomKind] = [:]
    /// Every served kind, built-in first, then custom kinds by key name.
    public private(set) var all: [ResourceKind] = ResourceKind.all

    public init(_ customKinds: [CustomKind] = []) {
        custom = Dictionary(customKinds.map { ($0.kind.keyName, $0) }, uniquingKeysWith: { first, _ in first })
        all = ResourceKind.all + custom.keys.sorted().map { custom[$0]!.kind }
    }

    /// The kind an object key names.
    public func kind(keyName: String) -> ResourceKind? {
        ResourceKind.builtIn(keyName: keyName) ?? custom[keyName]?.kind
    }

    /// The kind a manifest's `apiVersion` and `kind` name, when that version is served.
    public func lookup(apiVersion: String, kind: String) -> ResourceKind? {
        if let builtIn = ResourceKind.lookup(apiVersion: apiVersion, kind: kind) { return builtIn }
        let parts = apiVersion.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, let found = custom["\(kind).\(parts[0])"]?.kind, found.versions.contains(parts[1]) else {
            return nil
        }
        return found
    }

    public func lookup(group: String, kind: String) -> ResourceKind? {
        ResourceKind.lookup(group: group, kind: kind) ?? custom["\(kind).\(group)"]?.kind
    }

    /// The kind a URL names by group, version and plural.
    public func kind(group: String, version: String, plural: String) -> ResourceKind? {
        all.first { $0.group == group && $0.plural == plural && $0.versions.contains(version) }
    }

    /// The kind kubectl would understand by `name` (see `ResourceKind.named`).
    public func named(_ name: String) -> ResourceKind? { ResourceKind.named(name, among: all) }

    /// The OpenAPI schema of `kind` at `version`: the built-in table's, or the defining CRD's.
    public func schema(for kind: ResourceKind, version: String) -> JSON? {
        guard kind.isCustom else { return KindSchemas.schema(for: kind, version: version) }
        guard let served = custom[kind.keyName]?.version(version) else { return nil }
        return CustomSchema.served(served.schema, kind: kind, version: version)
    }

    /// The kinds other than those `definition` itself defines that use names in `group`.
    public func kinds(inGroup group: String, except definition: String) -> [ResourceKind] {
        all.filter { $0.group == group && custom[$0.keyName]?.definition != definition }
    }
}
