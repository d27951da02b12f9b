import Crypto
public import FleetAPI

/// What the agent writes on the objects it applies, so that it (or a restarted agent) knows them again.
public enum AgentMarks {
    /// The SHA-256 of the manifest last applied, KubeFleet's annotation: equal means nothing to re-apply.
    public static let specHash = "kubernetes-fleet.io/spec-hash"
    /// Client-side apply's record of the manifest, for the next three-way merge.
    public static let lastApplied = "kubernetes-fleet.io/last-applied-configuration"
    /// The field manager of every server-side apply and patch.
    public static let fieldManager = "flotilla-agent"

    public static let appliedWorkAPIVersion = "placement.kubernetes-fleet.io/v1beta1"

    /// The hex SHA-256 of a manifest's canonical JSON (keys sorted).
    public static func hash(_ manifest: JSON) -> String {
        SHA256.hash(data: manifest.serialized()).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// The owner reference that marks an object as applied for one Work.
    public static func ownerReference(appliedWork name: String, uid: String) -> JSON {
        ["apiVersion": .string(appliedWorkAPIVersion), "kind": "AppliedWork", "name": .string(name), "uid": .string(uid),
         "blockOwnerDeletion": false]
    }

    /// The object's owner references.
    public static func owners(of object: JSON) -> [JSON] {
        object["metadata"]?["ownerReferences"]?.arrayValue ?? []
    }

    /// True when the object is owned by the AppliedWork with this uid.
    public static func isOwned(_ object: JSON, byAppliedWork uid: String) -> Bool {
        owners(of: object).contains { $0["kind"]?.stringValue == "AppliedWork" && $0["uid"]?.stringValue == uid }
    }
}
