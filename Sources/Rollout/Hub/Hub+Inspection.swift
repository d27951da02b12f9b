import Journal

extension Hub {
    /// The MemberClusters joined in a journal, by name, read from its projections without starting a hub.
    public static func members(in journal: Journal) throws -> [String] {
        try restore(journal, readOnly: true).state.objects(ofKind: .memberCluster).map(\.key.name).sorted()
    }
}
