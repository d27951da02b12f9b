/// Server-side apply (`application/apply-patch+yaml`) and the field ownership every other write records, as the
/// API server's field manager keeps them in `metadata.managedFields`.
///
/// - An **apply** merges the configuration into the live object (`ObjectFields.merge`), and the manager's apply
///   entry becomes exactly the fields the configuration sets. Setting a field another manager owns to a different
///   value is a conflict, refused unless forced (the field then leaves the other managers); the same value shares
///   ownership. Fields this manager applied last time and leaves out now are removed, unless another manager owns
///   them.
/// - An **update** (create, replace, any other patch, a status write) never conflicts: the manager takes every
///   field whose value it set or changed, away from the others.
///
/// Fields are tracked per `FieldTopology`, without `apiVersion`, `kind` and the metadata the server sets. A write
/// that changes neither the object nor who owns what leaves every entry's time as it was, so it stays a no-op.
public enum ServerSideApply {
    /// The live object with `applied` merged in; `managed` gets the writer's apply entry and loses what it removes
    /// or takes.
    ///
    /// - Throws: `ApplyConflict` when, unforced, the configuration changes fields other managers own.
    public static func apply(
        _ applied: JSON, to live: JSON?, managed: inout ManagedFields, by writer: FieldWriter, force: Bool,
        topology: FieldTopology
    ) throws(ApplyConflict) -> JSON {
        let fields = ObjectFields(topology: topology)
        let appliedSet = fields.fields(of: applied)
        var merged = fields.merge(live, applied)
        let mine = managed.index(of: writer, .apply)
        let before = managed

        var conflicts: [ApplyConflict.Conflict] = []
        for (index, entry) in managed.entries.enumerated() where index != mine {
            for path in entry.fields.intersection(appliedSet).members where appliedSet.isLeaf(path) {
                let current = live.flatMap { fields.value(at: path, in: $0) }
                guard current != fields.value(at: path, in: merged) else { continue }
                conflicts.append(.init(manager: entry.label, identifier: entry.identifier, path: path))
                if force { managed.entries[index].fields = managed.entries[index].fields.subtracting(FieldSet([path])) }
            }
        }
        if !conflicts.isEmpty && !force { throw ApplyConflict(conflicts) }

        let previous = mine.map { managed.entries[$0].fields } ?? FieldSet()
        let others = managed.entries.indices.filter { $0 != mine }.reduce(FieldSet()) { $0.union(managed.entries[$1].fields) }
        for path in previous.subtracting(appliedSet).members where !others.containsAnything(at: path) {
            merged = fields.removing(path, from: merged)
        }
        let entry = ManagedFields.Entry(
            manager: writer.manager, operation: .apply, apiVersion: writer.apiVersion, time: writer.time,
            subresource: writer.subresource, fields: appliedSet)
        if let mine { managed.entries[mine] = entry } else { managed.entries.append(entry) }
        settle(&managed, before: before, live: live, after: merged)
        return merged
    }

    /// Records an update from `live` (nil on create) to `object` by `writer` in `managed`.
    public static func update(
        from live: JSON?, to object: JSON, managed: inout ManagedFields, by writer: FieldWriter, topology: FieldTopology
    ) {
        let fields = ObjectFields(topology: topology)
        let before = managed
        let liveSet = live.map(fields.fields(of:)) ?? FieldSet()
        let newSet = fields.fields(of: object)
        var changed = FieldSet()
        for path in newSet.members {
            let current = live.flatMap { fields.value(at: path, in: $0) }
            if current == nil || (newSet.isLeaf(path) && current != fields.value(at: path, in: object)) { changed.insert(path) }
        }
        let removed = liveSet.subtracting(newSet)
        let lost = changed.union(removed)
        for index in managed.entries.indices { managed.entries[index].fields = managed.entries[index].fields.subtracting(lost) }
        if let mine = managed.index(of: writer, .update) {
            managed.entries[mine].fields = managed.entries[mine].fields.union(changed)
            managed.entries[mine].time = writer.time
        } else if !changed.isEmpty {
            managed.entries.append(.init(
                manager: writer.manager, operation: .update, apiVersion: writer.apiVersion, time: writer.time,
                subresource: writer.subresource, fields: changed))
        }
        settle(&managed, before: before, live: live, after: object)
    }

    /// Drops the entries left owning nothing and caps the update entries; a write that changed nothing keeps the
    /// managed fields exactly as they were, times included.
    private static func settle(_ managed: inout ManagedFields, before: ManagedFields, live: JSON?, after: JSON) {
        managed.entries.removeAll { $0.fields.isEmpty }
        managed.capUpdates()
        let untimed = { (fields: ManagedFields) in fields.entries.map { entry in var entry = entry; entry.time = nil; return entry } }
        if let live, ObjectFields.tracked(live) == ObjectFields.tracked(after), untimed(managed) == untimed(before) {
            managed = before
        }
    }
}

/// An apply refused because it would change fields other managers own: the API server's 409 `Conflict`.
public struct ApplyConflict: Error, Sendable, Equatable {
    public struct Conflict: Sendable, Equatable {
        /// The owner as the message names it (`"kubectl-client-side-apply" using apps/v1`).
        public var manager: String
        var identifier: String
        public var path: [String]

        /// `.spec.replicas`
        public var field: String { FieldSet.describe(path) }
    }

    public var conflicts: [Conflict]

    init(_ conflicts: [Conflict]) {
        self.conflicts = conflicts.sorted { ($0.identifier, $0.field) < ($1.identifier, $1.field) }
    }

    /// `Apply failed with 1 conflict: conflict with "m" using apps/v1: .spec.replicas`, or, for several, each
    /// manager's fields on lines of their own.
    public var message: String {
        if conflicts.count == 1 {
            return "Apply failed with 1 conflict: conflict with \(conflicts[0].manager): \(conflicts[0].field)"
        }
        var lines: [String] = []
        var manager: String?
        for conflict in conflicts {
            if conflict.manager != manager {
                lines.append("conflicts with \(conflict.manager):")
                manager = conflict.manager
            }
            lines.append("- \(conflict.field)")
        }
        return "Apply failed with \(conflicts.count) conflicts: " + lines.joined(separator: "\n")
    }
}
