public import FleetAPI
public import Foundation

/// A Work's `status` as KubeFleet's work applier writes it (`workapplier/status.go`): per manifest `Applied`,
/// `Available` and (ReportDiff) `DiffReported` with their reasons and the diff, and the Work's own three
/// conditions at its generation. Conditions keep their transition time while their status holds.
public enum WorkStatus {
    public static func build(
        previous: JSON?, generation: Int64, reportDiff: Bool, outcomes: [ManifestOutcome], now: Date
    ) -> JSON {
        let previousManifests = Dictionary(
            (previous?["manifestConditions"]?.arrayValue ?? []).map { (ManifestIdentifier(json: $0["identifier"] ?? .null), $0) },
            uniquingKeysWith: { first, _ in first })
        var applied = 0, available = 0, untrackable = 0, diffReported = 0
        var manifests: [JSON] = []
        for outcome in outcomes {
            let before = previousManifests[outcome.identifier]
            let keep = decodeConditions(before?["conditions"])
            var conditions = keep.filter { !["Applied", "Available", "DiffReported"].contains($0.type) }
            let generation = outcome.memberGeneration ?? 0
            func set(_ type: String, _ status: Condition.Status, _ reason: String, _ message: String) {
                // Zero is left out, as Go's omitempty leaves it.
                var condition = Condition(
                    type: type, status: status, reason: reason, message: message,
                    observedGeneration: generation == 0 ? nil : generation, lastTransitionTime: now)
                if let old = keep[type: type], old.status == status { condition.lastTransitionTime = old.lastTransitionTime }
                conditions.set(condition)
            }
            if !reportDiff {
                switch outcome.apply {
                case .applied: set("Applied", .true, "Applied", "Manifest has been applied successfully")
                case let failure: set("Applied", .false, failure.reason, "Failed to apply the manifest (error: \(failure.error ?? ""))")
                }
            }
            switch outcome.availability {
            case .skipped: break
            case .available: set("Available", .true, "Available", "Manifest is available")
            case .notYetAvailable:
                set("Available", .false, "ManifestNotAvailableYet", "Manifest is not yet available; Fleet will check again later")
            case .notTrackable:
                set("Available", .true, "NotTrackable",
                    "Manifest's availability is not trackable; Fleet assumes that the applied manifest is available")
            }
            if reportDiff {
                switch outcome.apply {
                case .noDiffFound:
                    set("DiffReported", .true, "NoDiffFound", "No diff has been found between the hub cluster and the member cluster")
                case .foundDiff:
                    set("DiffReported", .true, "FoundDiff", "Diff has been found between the hub cluster and the member cluster")
                case .failedToReportDiff(let error):
                    set("DiffReported", .false, "FailedToReportDiff",
                        "Failed to report the diff between the hub cluster and the member cluster (error = \(error))")
                case let other:
                    set("DiffReported", .false, "FailedToReportDiff",
                        "An error blocks the diff reporting process (\(other.reason), error: \(other.error ?? ""))")
                }
            }
            var manifest: [String: JSON] = [
                "identifier": outcome.identifier.json, "conditions": encode(conditions),
            ]
            if !outcome.diffs.isEmpty {
                let first = before?["diffDetails"]?["firstDiffedObservedTime"] ?? .string(KubeTime.format(now))
                manifest["diffDetails"] = [
                    "observationTime": .string(KubeTime.format(now)), "firstDiffedObservedTime": first,
                    "observedInMemberClusterGeneration": outcome.memberGeneration.map { .int($0) } ?? .null,
                    "observedDiffs": .array(outcome.diffs.map(\.json)),
                ]
            }
            if !outcome.drifts.isEmpty {
                let first = before?["driftDetails"]?["firstDriftedObservedTime"] ?? .string(KubeTime.format(now))
                manifest["driftDetails"] = [
                    "observationTime": .string(KubeTime.format(now)), "firstDriftedObservedTime": first,
                    "observedInMemberClusterGeneration": .int(outcome.memberGeneration ?? 0),
                    "observedDrifts": .array(outcome.drifts.map(\.json)),
                ]
            }
            manifests.append(.object(manifest))
            if outcome.apply.isApplied { applied += 1 }
            if outcome.availability.countsAsAvailable { available += 1 }
            if outcome.availability == .notTrackable { untrackable += 1 }
            if outcome.apply.isDiffReported { diffReported += 1 }
        }
        var conditions = decodeConditions(previous?["conditions"])
        let total = outcomes.count
        func setWork(_ type: String, _ status: Condition.Status, _ reason: String, _ message: String) {
            conditions.set(Condition(
                type: type, status: status, reason: reason, message: message, observedGeneration: generation,
                lastTransitionTime: now))
        }
        if reportDiff {
            conditions.removeAll { $0.type == "Applied" || $0.type == "Available" }
            if diffReported == total {
                setWork("DiffReported", .true, "AllManifestsDiffReported", "All the specified manifests have reported diff")
            } else {
                setWork("DiffReported", .false, "SomeManifestsHaveNotReportedDiff",
                    "Failed to report diff on all manifests (\(diffReported) of \(total) manifests have reported diff)")
            }
        } else {
            conditions.removeAll { $0.type == "DiffReported" }
            if applied == total {
                setWork("Applied", .true, "AllManifestsApplied", "All the specified manifests have been applied")
                if available == total && untrackable == 0 {
                    setWork("Available", .true, "AllManifestsAvailable", "All of the applied manifests are available")
                } else if available == total {
                    setWork("Available", .true, "WorkNotTrackable", "Some of the applied manifests cannot be tracked for availability")
                } else {
                    setWork("Available", .false, "SomeManifestsAreNotAvailable",
                        "Some manifests are not available (\(available) of \(total) manifests are available)")
                }
            } else {
                setWork("Applied", .false, "SomeManifestsAreNotApplied",
                    "Failed to apply all manifests (\(applied) of \(total) manifests are applied)")
                // As KubeFleet: no Available until everything is applied.
                conditions.removeAll { $0.type == "Available" }
            }
        }
        var status: [String: JSON] = ["conditions": encode(conditions)]
        if !manifests.isEmpty { status["manifestConditions"] = .array(manifests) }
        return .object(status)
    }

    /// The same status but for observation times: what decides whether a write to the hub is needed.
    public static func sameExceptTimes(_ a: JSON?, _ b: JSON?) -> Bool {
        stripTimes(a ?? .null) == stripTimes(b ?? .null)
    }

    private static func stripTimes(_ value: JSON) -> JSON {
        switch value {
        case .object(var fields):
            fields["observationTime"] = nil
            return .object(fields.mapValues(stripTimes))
        case .array(let items): return .array(items.map(stripTimes))
        default: return value
        }
    }

    static func decodeConditions(_ json: JSON?) -> [Condition] {
        guard let json else { return [] }
        return (try? JSONValueDecoder().decode([Condition].self, from: json)) ?? []
    }

    static func encode(_ conditions: [Condition]) -> JSON {
        (try? JSONValueEncoder().encode(conditions)) ?? .array([])
    }
}
