public import FleetAPI

/// What to do with a manifest whose object already exists on the member but is not the Work's: KubeFleet's
/// `whenToTakeOver` (`workapplier/drift_detection_takeover.go`, `process.go`), decided without I/O.
public enum TakeOver {
    public enum Decision: Sendable, Equatable {
        /// Apply, adding the Work's owner to the object's owners.
        case takeOver
        /// Leave the object alone and report this result.
        case refuse(ApplyResult, diffs: [PatchDetail])
    }

    public static func decide(live: JSON, manifest: JSON, strategy: ApplyStrategy) -> Decision {
        if strategy.whenToTakeOver == .never {
            return .refuse(.notTakenOver("no ownership of the object in the member cluster; takeover is needed"), diffs: [])
        }
        let owners = AgentMarks.owners(of: live)
        if !owners.isEmpty && !strategy.allowCoOwnership {
            let listed = owners.map { "\($0["kind"]?.stringValue ?? "")/\($0["name"]?.stringValue ?? "")" }
            return .refuse(
                .failedToTakeOver(
                    "failed to take over a pre-existing object: the object is already owned by some other sources(s) "
                        + "and co-ownership is disallowed (existingOwnerRefs: \(listed.joined(separator: ", ")))"),
                diffs: [])
        }
        if strategy.whenToTakeOver == .ifNoDiff {
            let diffs = ManifestDiff.diff(hub: manifest, member: live, full: strategy.comparisonOption == .full)
            if !diffs.isEmpty {
                return .refuse(
                    .failedToTakeOver(
                        "cannot take over object: configuration differences are found between the manifest object "
                            + "and the corresponding object in the member cluster"),
                    diffs: diffs)
            }
        }
        return .takeOver
    }
}
