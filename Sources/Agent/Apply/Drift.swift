public import FleetAPI

/// What to do with an object the Work owns and already applied this same manifest to (its spec-hash matches):
/// KubeFleet's `whenToApply`, decided without I/O. The agent does not write an object that still matches, so a
/// restarted agent writes nothing; one someone changed since is applied again (`Always`) or left alone with its
/// drifts reported (`IfNotDrifted`, comparing per `comparisonOption`).
public enum Drift {
    public enum Decision: Sendable, Equatable {
        case upToDate
        case reapply
        case refuse([PatchDetail])
    }

    public static func decide(live: JSON, manifest: JSON, strategy: ApplyStrategy) -> Decision {
        // With Always only the fields the manifest sets are corrected; what the API server adds is no drift.
        let changed = ManifestDiff.diff(hub: manifest, member: live, full: false)
        guard strategy.whenToApply == .ifNotDrifted else { return changed.isEmpty ? .upToDate : .reapply }
        let drifts = strategy.comparisonOption == .full ? ManifestDiff.diff(hub: manifest, member: live, full: true) : changed
        return drifts.isEmpty ? .upToDate : .refuse(drifts)
    }
}
