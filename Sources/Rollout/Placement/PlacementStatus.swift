import FleetAPI
import Foundation

/// A placement's `status` as KubeFleet's placement controller writes it (`placement_status.go`): one entry per
/// scheduled cluster with its conditions read off the cluster's binding, one per cluster the policy wanted and
/// could not get, and the placement's own conditions, each True only when it is True on every cluster, the first
/// that is not stopping the rest. Here a binding's conditions follow from what the journal holds: the cluster's
/// binding and what its member reported.
public enum PlacementStatus {
    /// A per-cluster condition's kind, in the order KubeFleet evaluates them.
    enum Step: String, CaseIterable {
        case rolloutStarted = "RolloutStarted"
        case overridden = "Overridden"
        case workSynchronized = "WorkSynchronized"
        case applied = "Applied"
        case available = "Available"
        case diffReported = "DiffReported"

        static func steps(reportsDiff: Bool) -> [Step] {
            reportsDiff
                ? [.rolloutStarted, .overridden, .workSynchronized, .diffReported]
                : [.rolloutStarted, .overridden, .workSynchronized, .applied, .available]
        }
    }

    struct Outcome {
        var status: String
        var reason: String
        var message: String
        var time: Date?
    }

    /// One scheduled cluster's entry and the outcome of each step it reached.
    struct ClusterEntry {
        var json: JSON
        var outcomes: [Step: Outcome]
        var observedIndex: String
    }

    public static func status(_ key: ObjectKey, in state: HubState) -> JSON? {
        guard let object = state.objects[key], let placement = state.placements[key] else { return nil }
        let prefix = PlacementNames.isClusterScoped(key) ? "ClusterResourcePlacement" : "ResourcePlacement"
        let generation = JSON.int(object.generation)
        let created = object.json[path: ["metadata", "creationTimestamp"]]?.stringValue.flatMap(KubeTime.parse)
        func condition(_ type: String, _ outcome: Outcome) -> JSON {
            [
                "type": .string(type), "status": .string(outcome.status), "reason": .string(outcome.reason),
                "message": .string(outcome.message), "observedGeneration": generation,
                "lastTransitionTime": (outcome.time ?? created).map { .string(KubeTime.format($0)) } ?? .null,
            ]
        }
        if let spec = placement.spec, let message = PlacementController.invalidSelectors(spec, placement: key, in: state) {
            let outcome = Outcome(status: "False", reason: "InvalidResourceSelectors", message: message, time: created)
            return ["conditions": [condition("\(prefix)Scheduled", outcome)]]
        }
        guard let spec = placement.spec, placement.policyIndex != nil else { return nil }
        let decisions = placement.decisions ?? []
        let scheduledAt = placement.scheduledAt
        let policy = object.spec["policy"] ?? .emptyObject
        let fulfilled = Scheduler.scheduledCondition(policy, picked: placement.scheduledClusters.count)
        var conditions = [
            condition(
                "\(prefix)Scheduled",
                Outcome(status: fulfilled.status, reason: fulfilled.reason, message: fulfilled.message, time: scheduledAt))
        ]
        let latestIndex = placement.latestResourceIndex.map { String($0) } ?? ""
        var status: JSON = ["observedResourceIndex": .string(latestIndex), "selectedResources": selectedResources(placement, index: placement.latestResourceIndex)]

        let reportsDiff = spec.strategy?.applyStrategy?["type"]?.stringValue == "ReportDiff"
        let entries = placement.scheduledClusters.map { cluster in
            clusterEntry(cluster, key: key, placement: placement, spec: spec, decisions: decisions, scheduledAt: scheduledAt,
                reportsDiff: reportsDiff, in: state, condition: condition)
        }
        status["placementStatuses"] = .array(
            entries.map(\.json) + unscheduledEntries(spec, picked: entries.count, decisions: decisions, scheduledAt: scheduledAt, condition: condition))
        guard !entries.isEmpty else {
            status["conditions"] = .array(conditions)
            return status
        }
        let rolloutStartedType = "\(prefix)RolloutStarted"
        if spec.strategyType == .external {
            let observed = Set(entries.map(\.observedIndex))
            let unknown = entries.first { $0.outcomes[.rolloutStarted]?.status == "Unknown" }
            let message: String?
            if observed.count > 1 {
                message = "Rollout is controlled by an external controller and different resource snapshot versions are observed across clusters"
            } else if observed == [""] {
                let runKind = PlacementNames.isClusterScoped(key) ? "ClusterStagedUpdateRun" : "StagedUpdateRun"
                message = "Rollout is controlled by an external controller and no resource snapshot name is observed across clusters. "
                    + "To determine rollout status, check the \(runKind) resources with spec.placementName matching this placement"
            } else if let unknown {
                message = "Rollout is controlled by an external controller and cluster \(unknown.json["clusterName"]?.stringValue ?? "") is in RolloutStarted Unknown state"
            } else {
                message = nil
            }
            if observed.count > 1 || observed == [""] {
                status["observedResourceIndex"] = ""
                status["selectedResources"] = []
            } else if let common = observed.first, let index = Int(common) {
                status["observedResourceIndex"] = .string(common)
                status["selectedResources"] = selectedResources(placement, index: index)
            }
            if let message {
                let time = entries.compactMap { $0.outcomes[.rolloutStarted]?.time }.max() ?? scheduledAt
                conditions.append(condition(rolloutStartedType, Outcome(status: "Unknown", reason: "RolloutControlledByExternalController", message: message, time: time)))
                status["conditions"] = .array(conditions)
                return status
            }
        }
        for step in Step.steps(reportsDiff: reportsDiff) {
            let outcomes = entries.compactMap { $0.outcomes[step] }
            let unknown = outcomes.filter { $0.status == "Unknown" }
            let failed = outcomes.filter { $0.status == "False" }
            let count = !unknown.isEmpty ? unknown.count : !failed.isEmpty ? failed.count : outcomes.count
            let status = !unknown.isEmpty ? "Unknown" : !failed.isEmpty ? "False" : "True"
            var outcome = placementOutcome(step, status: status, clusters: count)
            outcome.time = (!unknown.isEmpty ? unknown : !failed.isEmpty ? failed : outcomes).compactMap(\.time).max()
            if step == .overridden, status == "True", !entries.contains(where: hasOverrides) {
                outcome.reason = "NoOverrideSpecified"
                outcome.message = "No override rules are configured for the selected resources"
            }
            conditions.append(condition(prefix + step.rawValue, outcome))
            if status != "True" { break }
        }
        status["conditions"] = .array(conditions)
        return status
    }

    // MARK: One cluster

    static func clusterEntry(
        _ cluster: String, key: ObjectKey, placement: PlacementState, spec: PlacementSpec, decisions: [JSON], scheduledAt: Date?,
        reportsDiff: Bool, in state: HubState, condition: (String, Outcome) -> JSON
    ) -> ClusterEntry {
        let reason = decisions.first { $0["clusterName"]?.stringValue == cluster && $0["selected"] == true }?["reason"]?.stringValue ?? ""
        var entry: JSON = ["clusterName": .string(cluster)]
        var conditions = [condition("Scheduled", Outcome(status: "True", reason: "Scheduled", message: reason, time: scheduledAt))]
        var outcomes: [Step: Outcome] = [:]
        func finish(observed: String) -> ClusterEntry {
            entry["observedResourceIndex"] = .string(observed)
            entry["conditions"] = .array(conditions)
            return ClusterEntry(json: entry, outcomes: outcomes, observedIndex: observed)
        }
        func set(_ step: Step, _ outcome: Outcome) {
            outcomes[step] = outcome
            conditions.append(condition(step.rawValue, outcome))
        }
        let latest = placement.latestResourceIndex.map { String($0) } ?? ""
        let binding = placement.bindings[cluster]
        guard let binding else {
            set(.rolloutStarted, Outcome(status: "Unknown", reason: "RolloutStartedUnknown", message: "In the process of deciding whether to roll out some version of the resources or not", time: scheduledAt))
            return finish(observed: spec.strategyType == .external ? "" : latest)
        }
        if spec.strategyType == .rollingUpdate, binding.resourceIndex != placement.latestResourceIndex {
            set(.rolloutStarted, Outcome(status: "False", reason: "RolloutNotStartedYet", message: "The rollout is being blocked by the rollout strategy", time: binding.since))
            return finish(observed: latest)
        }
        let index = binding.resourceIndex
        let observed = spec.strategyType == .external ? String(index) : latest
        var started = "Detected the new changes on the resources and started the rollout process"
        var overrides: [ObjectKey] = []
        if let runKey = binding.run {
            started += ", resourceSnapshotIndex: \(index), updateRun: \(runKey.name)"
            overrides = state.runs[runKey]?.overrides[cluster] ?? []
        } else {
            overrides = binding.overrides ?? []
        }
        set(.rolloutStarted, Outcome(status: "True", reason: "RolloutStarted", message: started, time: binding.since))
        let clusterScoped = overrides.filter { $0.namespace.isEmpty }.map { JSON.string($0.name) }
        let namespaced = overrides.filter { !$0.namespace.isEmpty }.map { ["name": .string($0.name), "namespace": .string($0.namespace)] as JSON }
        if !clusterScoped.isEmpty { entry["applicableClusterResourceOverrides"] = .array(clusterScoped) }
        if !namespaced.isEmpty { entry["applicableResourceOverrides"] = .array(namespaced) }
        set(.overridden, overrides.isEmpty
            ? Outcome(status: "True", reason: "NoOverrideSpecified", message: "No override rules are configured for the selected resources", time: binding.since)
            : Outcome(status: "True", reason: "OverriddenSucceeded", message: "Successfully applied the override rules on the resources", time: binding.since))
        set(.workSynchronized, Outcome(status: "True", reason: "AllWorkSynced", message: "All of the works are synchronized to the latest", time: binding.since))

        let member = state.members[cluster]
        let work = WorkWriter.workKey(cluster: cluster, placement: key).name
        if reportsDiff {
            guard let reported = member?.reported[key], reported.resourceIndex == index else {
                set(.diffReported, Outcome(status: "False", reason: "DiffReportInProgress", message: "Diff reporting on resources is in progress", time: binding.since))
                return finish(observed: observed)
            }
            let differing = Set(reported.differences)
            let diffed = (placement.resourceSnapshots[index]?.resources ?? []).filter {
                differing.contains(SimulatedMembers.differenceName($0))
            }
            if !diffed.isEmpty { entry["diffedPlacements"] = .array(diffed.map(identifier)) }
            set(.diffReported, Outcome(status: "True", reason: "AllWorkHaveDiffReported", message: "All corresponding work objects have reported diff", time: binding.since))
            return finish(observed: observed)
        }
        if let failure = member?.failures[key], failure.resourceIndex == index {
            entry["failedPlacements"] = [failedPlacement(failure, time: binding.since)]
            set(.applied, Outcome(status: "False", reason: "NotAllWorkHaveBeenApplied", message: "Work object \(work) has failed to apply", time: binding.since))
            return finish(observed: observed)
        }
        guard let applied = state.applied(on: cluster, of: key, at: index) else {
            // With agents, the Work shows how far its agent got: applied, and waiting to be available.
            if let reported = state.objects[WorkWriter.workKey(cluster: cluster, placement: key)],
                WorkWriter.owner(of: reported)?.index == index, workCondition("Applied", of: reported) == "True"
            {
                set(.applied, Outcome(status: "True", reason: "AllWorkHaveBeenApplied", message: "All corresponding work objects are applied", time: binding.since))
                set(.available, Outcome(status: "False", reason: "NotAllWorkAreAvailable", message: "Work object \(work) is not yet available", time: binding.since))
                return finish(observed: observed)
            }
            set(.applied, Outcome(status: "False", reason: "ApplyInProgress", message: "Resources are being applied", time: binding.since))
            return finish(observed: observed)
        }
        set(.applied, Outcome(status: "True", reason: "AllWorkHaveBeenApplied", message: "All corresponding work objects are applied", time: applied.since))
        set(.available, applied.untrackable == true
            ? Outcome(status: "True", reason: "NotAllWorkAreAvailabilityTrackable", message: "The availability of work object \(work) is not trackable", time: applied.since)
            : Outcome(status: "True", reason: "AllWorkAreAvailable", message: "All corresponding work objects are available", time: applied.since))
        return finish(observed: observed)
    }

    /// A Work's condition as its agent set it for the Work's current generation.
    static func workCondition(_ type: String, of work: StoredObject) -> String? {
        (work.status?["conditions"]?.arrayValue ?? []).first {
            $0["type"]?.stringValue == type && $0["observedGeneration"]?.intValue == work.generation
        }?["status"]?.stringValue
    }

    /// KubeFleet's entry for a failed manifest: the object, when the member named it, and the Applied condition.
    static func failedPlacement(_ failure: MemberApplyFailed, time: Date?) -> JSON {
        var entry: JSON = failure.resource ?? .emptyObject
        entry["condition"] = [
            "type": "Applied", "status": "False", "reason": "ManifestApplyFailed", "message": .string(failure.message),
            "lastTransitionTime": time.map { .string(KubeTime.format($0)) } ?? .null,
        ]
        return entry
    }

    static func hasOverrides(_ entry: ClusterEntry) -> Bool {
        entry.json["applicableClusterResourceOverrides"] != nil || entry.json["applicableResourceOverrides"] != nil
    }

    /// The clusters a PickN or PickFixed policy asked for and did not get, each with why, as far as the scheduler's
    /// decisions say.
    static func unscheduledEntries(
        _ spec: PlacementSpec, picked: Int, decisions: [JSON], scheduledAt: Date?, condition: (String, Outcome) -> JSON
    ) -> [JSON] {
        let wanted: Int
        switch spec.placementType {
        case .pickAll: return []
        case .pickN: wanted = spec.policy?.numberOfClusters ?? 0
        case .pickFixed: wanted = spec.policy?.clusterNames?.count ?? 0
        }
        let unselected = decisions.filter { $0["selected"] != true }
        return unselected.prefix(max(0, min(wanted - picked, unselected.count))).map { decision in
            let outcome = Outcome(status: "False", reason: "ScheduleFailed", message: decision["reason"]?.stringValue ?? "", time: scheduledAt)
            return ["conditions": [condition("Scheduled", outcome)]]
        }
    }

    // MARK: The placement

    /// KubeFleet's placement-level wording for a step that is True, False or Unknown on `clusters` clusters.
    static func placementOutcome(_ step: Step, status: String, clusters n: Int) -> Outcome {
        let text: (String, String)
        switch (step, status) {
        case (.rolloutStarted, "Unknown"): text = ("RolloutStartedUnknown", "There are still \(n) cluster(s) in the process of deciding whether to roll out the latest resources or not")
        case (.rolloutStarted, "False"): text = ("RolloutNotStartedYet", "The rollout is being blocked by the rollout strategy in \(n) cluster(s)")
        case (.rolloutStarted, _): text = ("RolloutStarted", "All \(n) cluster(s) start rolling out the latest resource")
        case (.overridden, "Unknown"): text = ("OverriddenPending", "There are still \(n) cluster(s) in the process of overriding the selected resources if there is any override defined")
        case (.overridden, "False"): text = ("OverriddenFailed", "Failed to override resources in \(n) cluster(s)")
        case (.overridden, _): text = ("OverriddenSucceeded", "The selected resources are successfully overridden in \(n) cluster(s)")
        case (.workSynchronized, "Unknown"): text = ("WorkSynchronizedUnknown", "There are still \(n) cluster(s) in the process of creating or updating the work object(s) in the hub cluster")
        case (.workSynchronized, "False"): text = ("WorkNotSynchronizedYet", "There are \(n) cluster(s) which have not finished creating or updating work(s) yet")
        case (.workSynchronized, _): text = ("WorkSynchronized", "Work(s) are successfully created or updated in \(n) target cluster(s)' namespaces")
        case (.applied, "Unknown"): text = ("ApplyPending", "There are still \(n) cluster(s) in the process of applying the resources on the member cluster")
        case (.applied, "False"): text = ("ApplyFailed", "Failed to apply resources to \(n) cluster(s), please check the `failedPlacements` status")
        case (.applied, _): text = ("ApplySucceeded", "The selected resources are successfully applied to \(n) cluster(s)")
        case (.available, "Unknown"): text = ("ResourceAvailableUnknown", "There are still \(n) cluster(s) in the process of checking the availability of the selected resources")
        case (.available, "False"): text = ("ResourceNotAvailableYet", "The selected resources in \(n) cluster(s) are still not available yet")
        case (.available, _): text = ("ResourceAvailable", "The selected resources in \(n) cluster(s) are available now")
        case (.diffReported, "Unknown"): text = ("DiffReportingPending", "There are still \(n) cluster(s) in the process of checking for configuration differences")
        case (.diffReported, "False"): text = ("DiffReportingIncompleteOrFailed", "Diff reporting in \(n) clusters is still in progress or has failed")
        case (.diffReported, _): text = ("DiffReportingCompleted", "Diff reporting in \(n) cluster(s) has been completed")
        }
        return Outcome(status: status, reason: text.0, message: text.1, time: nil)
    }

    /// The objects a snapshot holds, as KubeFleet's `ResourceIdentifier`s.
    static func selectedResources(_ placement: PlacementState, index: Int?) -> JSON {
        guard let index, let snapshot = placement.resourceSnapshots[index] else { return [] }
        return .array(snapshot.resources.map(identifier))
    }

    static func identifier(_ resource: JSON) -> JSON {
        let apiVersion = resource["apiVersion"]?.stringValue ?? ""
        let parts = apiVersion.split(separator: "/", maxSplits: 1).map(String.init)
        var identifier: JSON = [
            "group": .string(parts.count == 2 ? parts[0] : ""), "version": .string(parts.last ?? ""),
            "kind": resource["kind"] ?? "", "name": resource[path: ["metadata", "name"]] ?? "",
        ]
        if let namespace = resource[path: ["metadata", "namespace"]] { identifier["namespace"] = namespace }
        return identifier
    }
}
