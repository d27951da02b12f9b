import Journal

extension Hub {
    /// The MemberClusters joined in a journal, by name, read from its projections without starting a hub.
    public static func members(in journal: Journal) throws -> [String] {
        try restore(journal, readOnly: true).state.objects(ofKind: .memberCluster).map(\.key.name).sorted()
    }

    /// The user and groups a member's agent authenticates as: its MemberCluster's `spec.identity`, a
    /// ServiceAccount as the API server names one. Nil when the journal holds no such member.
    public static func agentIdentity(of member: String, in journal: Journal) throws -> (user: String, groups: [String])? {
        let state = try restore(journal, readOnly: true).state
        guard let object = state.objects[ObjectKey(.memberCluster, name: member)] else { return nil }
        let identity = object.json[path: ["spec", "identity"]] ?? .emptyObject
        let name = identity["name"]?.stringValue ?? ""
        switch identity["kind"]?.stringValue ?? "ServiceAccount" {
        case "ServiceAccount":
            let namespace = identity["namespace"]?.stringValue ?? ""
            return ("system:serviceaccount:\(namespace):\(name)", ["system:serviceaccounts", "system:serviceaccounts:\(namespace)"])
        case "Group":
            return ("fleet-member-agent-\(member)", [name])
        default:
            return (name, [])
        }
    }
}
