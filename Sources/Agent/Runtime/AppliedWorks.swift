import FleetAPI
public import KubeClient
import Logging

/// The member's cluster-scoped `AppliedWork` objects, one per Work (KubeFleet's `appliedwork_types.go`): the owner
/// of everything applied for that Work, and in `status.appliedResources` the list of it. The agent ensures their
/// CustomResourceDefinition exists before anything else.
public struct AppliedWorks: Sendable {
    public static let type = ResourceType(
        group: "placement.kubernetes-fleet.io", version: "v1beta1", kind: "AppliedWork", resource: "appliedworks",
        namespaced: false)
    static let definitions = ResourceType(
        group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition",
        resource: "customresourcedefinitions", namespaced: false)

    let member: KubeClient
    let discovery: Discovery
    let logger: Logger

    public init(member: KubeClient, discovery: Discovery, logger: Logger) {
        self.member = member
        self.discovery = discovery
        self.logger = logger
    }

    /// An AppliedWork: its uid (the owner of what it applied) and what it lists.
    public struct Record: Sendable {
        public var uid: String
        public var applied: [ManifestIdentifier]

        init(_ object: JSON) {
            uid = object["metadata"]?["uid"]?.stringValue ?? ""
            applied = (object["status"]?["appliedResources"]?.arrayValue ?? []).map(ManifestIdentifier.init(json:))
        }
    }

    /// Applies the AppliedWork definition and waits until the member serves the kind.
    public func installDefinition() async throws(KubeError) {
        _ = try await member.apply(
            Self.definitions, name: "appliedworks.placement.kubernetes-fleet.io", Self.definition,
            fieldManager: AgentMarks.fieldManager, force: true)
        var lastError = KubeError.malformed("the AppliedWork kind is not served")
        for _ in 0..<60 {
            do throws(KubeError) {
                _ = try await discovery.resolve(apiVersion: AgentMarks.appliedWorkAPIVersion, kind: "AppliedWork")
                return
            } catch {
                lastError = error
            }
            try? await Task.sleep(for: .milliseconds(500))
        }
        throw lastError
    }

    /// The Work's AppliedWork, created when missing.
    public func ensure(work: String, namespace: String) async throws(KubeError) -> Record {
        let object: JSON
        if let existing = try await member.get(Self.type, name: work) {
            object = existing
        } else {
            object = try await member.create(Self.type, [
                "apiVersion": .string(AgentMarks.appliedWorkAPIVersion), "kind": "AppliedWork",
                "metadata": ["name": .string(work)],
                "spec": ["workName": .string(work), "workNamespace": .string(namespace)],
            ])
        }
        return Record(object)
    }

    /// The names of the AppliedWorks of Works in `namespace` on the hub.
    public func names(forWorksIn namespace: String) async throws(KubeError) -> [String] {
        try await member.list(Self.type).items.filter { $0["spec"]?["workNamespace"]?.stringValue == namespace }
            .compactMap { $0["metadata"]?["name"]?.stringValue }
    }

    /// Writes what was applied for the Work.
    public func record(work: String, applied: [ManifestIdentifier]) async throws(KubeError) {
        _ = try await member.mergePatch(
            Self.type, name: work, subresource: "status", ["status": ["appliedResources": .array(applied.map(\.json))]])
    }

    /// Removes the objects the AppliedWork with this uid owns, last wave first: deleted when it is their only
    /// owner, else released. Objects someone else took over stay.
    public func remove(_ resources: [ManifestIdentifier], ownedBy uid: String) async throws(KubeError) {
        let ordered = resources.sorted {
            ApplyWaves.wave(group: $0.group, resource: $0.resource) > ApplyWaves.wave(group: $1.group, resource: $1.resource)
        }
        for resource in ordered {
            let type = ResourceType(
                group: resource.group, version: resource.version, kind: resource.kind, resource: resource.resource,
                namespaced: !resource.namespace.isEmpty)
            let namespace = resource.namespace.isEmpty ? nil : resource.namespace
            guard let live = try await member.get(type, namespace: namespace, name: resource.name),
                AgentMarks.isOwned(live, byAppliedWork: uid)
            else { continue }
            let others = AgentMarks.owners(of: live).filter { $0["uid"]?.stringValue != uid }
            if others.isEmpty {
                try await member.delete(type, namespace: namespace, name: resource.name)
                logger.info("removed \(resource.kind) \(resource.namespace.isEmpty ? "" : resource.namespace + "/")\(resource.name)")
            } else {
                _ = try await member.mergePatch(
                    type, namespace: namespace, name: resource.name, ["metadata": ["ownerReferences": .array(others)]],
                    fieldManager: AgentMarks.fieldManager)
            }
        }
    }

    /// Everything of a Work that is gone from the hub, then its AppliedWork.
    public func removeAll(work: String) async throws(KubeError) {
        guard let object = try await member.get(Self.type, name: work) else { return }
        let record = Record(object)
        try await remove(record.applied, ownedBy: record.uid)
        try await member.delete(Self.type, name: work)
    }

    /// KubeFleet's AppliedWork CRD, cluster-scoped, with a status subresource.
    static let definition: JSON = {
        let preserve: JSON = ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
        return [
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": ["name": "appliedworks.placement.kubernetes-fleet.io"],
            "spec": [
                "group": "placement.kubernetes-fleet.io", "scope": "Cluster",
                "names": [
                    "kind": "AppliedWork", "listKind": "AppliedWorkList", "plural": "appliedworks",
                    "singular": "appliedwork", "categories": ["fleet", "fleet-placement"],
                ],
                "versions": [[
                    "name": "v1beta1", "served": true, "storage": true, "subresources": ["status": .emptyObject],
                    "schema": [
                        "openAPIV3Schema": [
                            "type": "object",
                            "properties": [
                                "spec": [
                                    "type": "object", "required": ["workName", "workNamespace"],
                                    "properties": ["workName": ["type": "string"], "workNamespace": ["type": "string"]],
                                ],
                                "status": preserve,
                            ],
                        ]
                    ],
                ]],
            ],
        ]
    }()
}
