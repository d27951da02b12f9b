/// KubeFleet's kinds, field for field as its CRDs define them (reference §1.1–1.7). The cluster-scoped and
/// namespaced twins share one tree, and `v1` is a structural copy of `v1beta1`.
extension KindSchemas {
    static func fleetFields(_ kind: ResourceKind) -> (String, [String], [String: JSON]) {
        switch kind {
        case .memberCluster:
            return (
                "A cluster that has joined the fleet and can receive placed resources.", ["spec"],
                ["spec": memberClusterSpec(), "status": memberClusterStatus()]
            )
        case .clusterResourcePlacement, .resourcePlacement:
            let scope =
                kind.namespaced
                ? "resources of its own namespace" : "cluster-scoped resources (a namespace brings its contents)"
            return (
                "Selects \(scope) on the hub and places them on member clusters.", ["spec"],
                ["spec": placementSpec(), "status": placementStatus()]
            )
        case .clusterSchedulingPolicySnapshot, .schedulingPolicySnapshot:
            return (
                "An immutable revision of a placement's scheduling policy, with the scheduler's decision for it.",
                ["spec"], ["spec": policySnapshotSpec(), "status": policySnapshotStatus()]
            )
        case .clusterResourceSnapshot, .resourceSnapshot:
            return (
                "An immutable copy of the resources a placement selected at one resource index.", ["spec"],
                [
                    "spec": object(
                        "The captured resources.", required: ["selectedResources"],
                        [
                            "selectedResources": array(
                                "The selected manifests, stored as they were on the hub.",
                                of: preserved("One manifest."))
                        ]),
                    "status": object(
                        "Observed state of the snapshot.", ["conditions": conditions("Snapshot conditions.")]),
                ]
            )
        case .clusterStagedUpdateStrategy, .stagedUpdateStrategy:
            return (
                "A reusable, ordered list of stages that decides which member clusters update when.", ["spec"],
                ["spec": strategySpec("The stages, run strictly in order.")]
            )
        case .clusterStagedUpdateRun, .stagedUpdateRun:
            return (
                "One stage-by-stage rollout of a placement's resource snapshot, following a staged update strategy. "
                    + "Flotilla's annotations: flotilla.dev/on-failure is Halt (the default) or Rollback, with which a "
                    + "failed run creates <name>-rollback: it restores, on every cluster the run changed, the snapshot "
                    + "the cluster held before, stages in reverse order, and the two runs name each other in "
                    + "flotilla.dev/rollback-of and flotilla.dev/rolled-back-by. Also flotilla.dev/max-failures, "
                    + "progress-deadline, min-success-time, stuck-threshold and membership (see the README).",
                ["spec"], ["spec": updateRunSpec(), "status": updateRunStatus()]
            )
        case .clusterApprovalRequest, .approvalRequest:
            return (
                "A gate in a staged update run; the run goes on once a user sets the Approved condition.", ["spec"],
                [
                    "spec": object(
                        "Which run and stage wait for approval; immutable.",
                        required: ["parentStageRollout", "targetStage"],
                        [
                            "parentStageRollout": string("Name of the update run waiting for approval."),
                            "targetStage": string("Name of the stage the approval gates."),
                        ]),
                    "status": object(
                        "The decision.",
                        [
                            "conditions": conditions(
                                "Approved is set by the approver (with observedGeneration equal to the request's "
                                    + "generation); ApprovalAccepted by the run once it saw the approval.")
                        ]),
                ]
            )
        case .clusterResourceOverride, .resourceOverride:
            return (
                "Per-cluster changes to the resources a placement propagates: JSON patches, or a deletion, chosen "
                    + "by member labels.", ["spec"], ["spec": overrideSpec(namespaced: kind.namespaced)]
            )
        case .clusterResourceOverrideSnapshot, .resourceOverrideSnapshot:
            return (
                "An immutable revision of an override; update runs freeze the revisions each cluster gets.", ["spec"],
                [
                    "spec": object(
                        "The override as it was at this revision.", required: ["overrideSpec", "overrideHash"],
                        [
                            "overrideSpec": overrideSpec(namespaced: kind.namespaced),
                            "overrideHash": string("SHA-256 of the override spec."),
                        ])
                ]
            )
        case .work:
            return (
                "The manifests one member cluster is to hold for one placement, and what its agent reports of them.", [],
                [
                    "spec": object(
                        "What to apply and how.",
                        [
                            "workload": object(
                                "The manifests.",
                                ["manifests": array("Each object as the member is to hold it.", of: preserved("One manifest."))]),
                            "applyStrategy": preserved("How the agent applies: type, whenToTakeOver, comparisonOption, whenToApply."),
                            "reportBackStrategy": preserved("Whether the agent reports back the objects' status."),
                        ]),
                    "status": object(
                        "What the member's agent observed.",
                        [
                            "conditions": conditions("Applied, Available and DiffReported, for the whole Work."),
                            "manifestConditions": array(
                                "Each manifest's identifier and conditions, with drift or diff details.",
                                of: preserved("One manifest's conditions.")),
                        ]),
                ]
            )
        case .clusterResourcePlacementEviction:
            return (
                "Takes a placement's resources off one member cluster, if the placement's disruption budget allows; "
                    + "executed once.", ["spec"],
                [
                    "spec": object(
                        "Which placement to evict from which cluster; immutable.", required: ["placementName", "clusterName"],
                        [
                            "placementName": string("Name of the ClusterResourcePlacement.", maxLength: 255),
                            "clusterName": string("Name of the member cluster.", maxLength: 255),
                        ]),
                    "status": object(
                        "The outcome.",
                        ["conditions": conditions("Valid: the eviction names a placement and cluster it can act on; Executed: it was carried out.")]),
                ]
            )
        case .clusterResourcePlacementDisruptionBudget:
            return (
                "How many clusters of the ClusterResourcePlacement of the same name voluntary evictions may take at once.", ["spec"],
                [
                    "spec": object(
                        "Exactly one of maxUnavailable and minAvailable.",
                        [
                            "maxUnavailable": intOrString(
                                "Clusters that may be unavailable, a count or a percentage of a PickN placement's numberOfClusters; not for PickAll.",
                                pattern: "^(100|[0-9]{1,2})%$"),
                            "minAvailable": intOrString(
                                "Clusters that must stay available, a count (PickAll) or a percentage of a PickN placement's numberOfClusters.",
                                pattern: "^(100|[0-9]{1,2})%$"),
                        ])
                ]
            )
        case .clusterResourceEnvelope, .resourceEnvelope:
            let scope = kind.namespaced ? "namespaced resources of its own namespace" : "cluster-scoped resources"
            var data = map("The manifests wrapped in this envelope, each by a key, typically a file name.", of: preserved("One manifest."))
            data["minProperties"] = 1
            data["maxProperties"] = 50
            return ("Wraps \(scope) for placement: the hub stores them, members apply them.", ["data"], ["data": data])
        case .notificationSink:
            return notificationSinkFields()
        default:
            preconditionFailure("no OpenAPI schema for \(kind.kind)")
        }
    }

    // MARK: Overrides

    private static func overrideSpec(namespaced: Bool) -> JSON {
        let selector = object(
            "One resource the override changes.", required: ["group", "version", "kind", "name"],
            [
                "group": string("API group of the resource; empty for the core group."),
                "version": string("API version of the resource."),
                "kind": string("Kind of the resource."),
                "name": string("Name of the resource."),
            ])
        let patch = object(
            "One RFC 6902 operation, applied to the resource before it reaches the cluster. `${MEMBER-CLUSTER-NAME}` "
                + "in a value becomes the cluster's name.", required: ["op", "path"],
            [
                "op": string("The operation.", enum: ["add", "remove", "replace"]),
                "path": string("JSON pointer into the resource; apiVersion, kind, status and identity are off limits."),
                "value": preserved("The value to add or replace with."),
            ])
        let rule = object(
            "Which clusters, and what changes on them.",
            [
                "clusterSelector": object(
                    "The clusters the rule applies to; all clusters when unset.",
                    [
                        "clusterSelectorTerms": array(
                            "Alternatives: a cluster matching any term is selected.",
                            of: object("One term.", ["labelSelector": ref(labelSelector, "Member cluster labels to match.")]))
                    ]),
                "overrideType": string("JSONPatch (the default) changes the resource; Delete keeps it off the cluster.", enum: ["JSONPatch", "Delete"]),
                "jsonPatchOverrides": array("The operations, applied in order.", of: patch),
            ])
        return object(
            "What to change, on which clusters.", required: ["policy"],
            [
                "placement": object("The placement whose resources are changed; any placement when unset.", required: ["name"], ["name": string("The placement's name.")]),
                namespaced ? "resourceSelectors" : "clusterResourceSelectors": array(
                    "The resources to change.", of: selector, maxItems: 20),
                "policy": object(
                    "The rules, applied in order.", required: ["overrideRules"],
                    ["overrideRules": array("The rules.", of: rule, minItems: 1, maxItems: 100)]),
            ])
    }

    // MARK: MemberCluster

    private static func memberClusterSpec() -> JSON {
        object(
            "How the member joins and how the scheduler may use it.", required: ["identity"],
            [
                "identity": object(
                    "The identity the member agent uses on the hub.", required: ["kind", "name"],
                    [
                        "kind": string("Kind of the subject: User, Group or ServiceAccount."),
                        "name": string("Name of the subject."),
                        "namespace": string("Namespace of a ServiceAccount subject."),
                        "apiGroup": string("API group of a User or Group subject."),
                    ]),
                "heartbeatPeriodSeconds": integer(
                    "Seconds between the member agent's heartbeats.", minimum: 1, maximum: 600),
                "taints": array(
                    "Taints that keep placements off the cluster unless tolerated.",
                    of: object(
                        "One taint.", required: ["key", "effect"],
                        [
                            "key": string("The taint key."),
                            "value": string("The taint value."),
                            "effect": string("What the taint does to placements.", enum: ["NoSchedule"]),
                        ]),
                    maxItems: 100),
            ])
    }

    private static func memberClusterStatus() -> JSON {
        object(
            "What the hub last heard from the member.",
            [
                "conditions": conditions("Join and health conditions."),
                "properties": map(
                    "Cluster properties reported by a property provider, by name.",
                    of: object(
                        "One observed property.", required: ["value"],
                        [
                            "value": string("The observed value."),
                            "observationTime": time("When it was observed."),
                        ])),
                "resourceUsage": object(
                    "Compute resources of the cluster.",
                    [
                        "capacity": map("Total resources.", of: intOrString("A quantity.")),
                        "allocatable": map("Resources available to workloads.", of: intOrString("A quantity.")),
                        "available": map("Resources not yet requested.", of: intOrString("A quantity.")),
                        "observationTime": time("When the usage was observed."),
                    ]),
                "agentStatus": array(
                    "Status of each agent running on the member.",
                    of: object(
                        "One agent.", required: ["type"],
                        [
                            "type": string(
                                "Which agent.",
                                enum: ["MemberAgent", "MultiClusterServiceAgent", "ServiceExportImportAgent"]),
                            "conditions": conditions("The agent's conditions."),
                            "lastReceivedHeartbeat": time("When the hub last heard from the agent."),
                        ])),
            ])
    }

    // MARK: Placements

    private static func placementSpec() -> JSON {
        object(
            "What to place and where.", required: ["resourceSelectors"],
            [
                "resourceSelectors": array(
                    "Selectors for the resources to place; a resource matching any of them is selected.",
                    of: object(
                        "One selector; all of its fields must match. Give at most one of name and labelSelector.",
                        required: ["group", "version", "kind"],
                        [
                            "group": string("API group of the resources; empty for the core group."),
                            "version": string("API version of the resources."),
                            "kind": string("Kind of the resources; a Namespace brings everything inside it."),
                            "name": string("Name of the one resource to select."),
                            "labelSelector": ref(labelSelector, "Selects the resources whose labels match."),
                            "selectionScope": string(
                                "For a Namespace: the namespace alone, or the namespace and its contents.",
                                enum: ["NamespaceOnly", "NamespaceWithResources"]),
                        ]),
                    minItems: 1, maxItems: 100),
                "policy": placementPolicy("Which member clusters receive the resources; all joined clusters if unset."),
                "strategy": object(
                    "How changes roll out to the chosen clusters.",
                    [
                        "type": string(
                            "RollingUpdate (default) rolls out automatically; External leaves it to staged update runs.",
                            enum: ["RollingUpdate", "External"]),
                        "rollingUpdate": object(
                            "Pacing of a RollingUpdate rollout.",
                            [
                                "maxUnavailable": intOrString(
                                    "Clusters that may be unavailable at once: a number or a percentage.",
                                    pattern: "^((100|[0-9]{1,2})%|[0-9]+)$"),
                                "maxSurge": intOrString(
                                    "Clusters that may be scheduled above the target: a number or a percentage.",
                                    pattern: "^((100|[0-9]{1,2})%|[0-9]+)$"),
                                "unavailablePeriodSeconds": integer(
                                    "Seconds to wait before treating resources of unknown health as available."),
                            ]),
                        "applyStrategy": applyStrategy("How members apply the placed resources."),
                        "deleteStrategy": preserved("What happens to placed resources when the placement is deleted."),
                    ]),
                "revisionHistoryLimit": integer(
                    "Old policy and resource snapshots to keep for rollback (default 10).", minimum: 1, maximum: 1000),
                "statusReportingScope": string(
                    "Whether the status is also published in the selected namespace.",
                    enum: ["ClusterScopeOnly", "NamespaceAccessible"]),
            ])
    }

    private static func placementPolicy(_ description: String) -> JSON {
        object(
            description,
            [
                "placementType": string(
                    "PickAll (default) every matching cluster, PickN a number of them, PickFixed the named ones.",
                    enum: ["PickAll", "PickN", "PickFixed"]),
                "clusterNames": strings("The member clusters to use with PickFixed.", maxItems: 100),
                "numberOfClusters": integer("How many clusters PickN chooses.", minimum: 0),
                "affinity": preserved("Cluster affinity: required and preferred cluster selector terms."),
                "topologySpreadConstraints": array(
                    "How PickN spreads the clusters over topology domains.",
                    of: object(
                        "One spread constraint.", required: ["topologyKey"],
                        [
                            "maxSkew": integer("Largest allowed difference between domains.", minimum: 1),
                            "topologyKey": string("Cluster label whose values form the domains."),
                            "whenUnsatisfiable": string(
                                "What to do when the constraint cannot be met.",
                                enum: ["DoNotSchedule", "ScheduleAnyway"]),
                        ])),
                "tolerations": array(
                    "Taints of member clusters the placement tolerates.",
                    of: object(
                        "One toleration.",
                        [
                            "key": string("Taint key; empty with Exists matches every taint."),
                            "operator": string("How the value is compared.", enum: ["Equal", "Exists"]),
                            "value": string("Taint value for Equal."),
                            "effect": string("Taint effect to match; empty matches all.", enum: ["NoSchedule"]),
                        ]),
                    maxItems: 100),
            ])
    }

    private static func applyStrategy(_ description: String) -> JSON {
        object(
            description,
            [
                "type": string(
                    "Client-side apply (default), server-side apply, or only report differences.",
                    enum: ["ClientSideApply", "ServerSideApply", "ReportDiff"]),
                "comparisonOption": string(
                    "Compare only the fields the manifest sets, or every field.",
                    enum: ["PartialComparison", "FullComparison"]),
                "whenToApply": string(
                    "Always re-apply, or stop on clusters whose resources drifted.", enum: ["Always", "IfNotDrifted"]),
                "whenToTakeOver": string(
                    "What to do with a resource that already exists on the member.",
                    enum: ["Always", "IfNoDiff", "Never"]),
                "allowCoOwnership": boolean("Apply even to resources other agents also own."),
                "serverSideApplyConfig": object(
                    "Settings for ServerSideApply.",
                    ["force": boolean("Take over fields another manager owns instead of failing.")]),
            ])
    }

    private static func placementStatus() -> JSON {
        object(
            "What was selected and how it landed on each cluster.",
            [
                "selectedResources": array(
                    "The resources the selectors matched.", of: resourceIdentifier("One resource.")),
                "observedResourceIndex": string("The resource snapshot index the conditions describe."),
                "placementStatuses": array(
                    "One entry per chosen cluster.",
                    of: object(
                        "The placement on one cluster.",
                        [
                            "clusterName": string("The member cluster."),
                            "observedResourceIndex": string("The resource snapshot index rolled out to it."),
                            "applicableResourceOverrides": array(
                                "ResourceOverride snapshots applied on this cluster.",
                                of: namespacedName("One snapshot.")),
                            "applicableClusterResourceOverrides": strings(
                                "ClusterResourceOverride snapshots applied on this cluster."),
                            "failedPlacements": array(
                                "Resources that failed to apply or are unavailable (at most 100).",
                                of: resourceIdentifier(
                                    "One failed resource.",
                                    extra: ["condition": ref(condition, "Why it failed.")]),
                                maxItems: 100),
                            "driftedPlacements": array(
                                "Resources changed on the member since they were applied (at most 100).",
                                of: resourceIdentifier(
                                    "One drifted resource.",
                                    extra: [
                                        "observationTime": time("When the drift was seen."),
                                        "firstDriftedObservedTime": time("When the drift was first seen."),
                                        "targetClusterObservedGeneration": integer(
                                            "Generation of the drifted resource on the member.", format: "int64"),
                                        "observedDrifts": patchDetails("The drifted fields."),
                                    ]),
                                maxItems: 100),
                            "diffedPlacements": array(
                                "Resources that differ from the hub's manifests (at most 100).",
                                of: resourceIdentifier(
                                    "One differing resource.",
                                    extra: [
                                        "observationTime": time("When the difference was seen."),
                                        "firstDiffedObservedTime": time("When the difference was first seen."),
                                        "targetClusterObservedGeneration": integer(
                                            "Generation of the resource on the member.", format: "int64"),
                                        "observedDiffs": patchDetails("The differing fields."),
                                    ]),
                                maxItems: 100),
                            "conditions": conditions("Rollout conditions on this cluster."),
                        ])),
                "conditions": conditions("Scheduled, rollout and availability conditions of the placement."),
            ])
    }

    private static func resourceIdentifier(_ description: String, extra: [String: JSON] = [:]) -> JSON {
        let fields: [String: JSON] = [
            "group": string("API group; empty for the core group."),
            "version": string("API version."),
            "kind": string("Kind."),
            "name": string("Name."),
            "namespace": string("Namespace; empty for cluster-scoped resources."),
            "envelope": object(
                "The envelope the resource was wrapped in, if any.", required: ["name"],
                [
                    "name": string("Name of the envelope."),
                    "namespace": string("Namespace of the envelope."),
                    "type": string(
                        "Kind of envelope.", enum: ["ConfigMap", "ClusterResourceEnvelope", "ResourceEnvelope"]),
                ]),
        ]
        return object(description, required: ["version", "kind", "name"], fields.merging(extra) { _, new in new })
    }

    private static func patchDetails(_ description: String) -> JSON {
        array(
            description,
            of: object(
                "One field, as a JSON patch path with both values.", required: ["path"],
                [
                    "path": string("JSON pointer to the field."),
                    "valueInMember": string("The value on the member; empty when absent there."),
                    "valueInHub": string("The value in the hub's manifest; empty when absent there."),
                ]))
    }

    private static func namespacedName(_ description: String) -> JSON {
        object(
            description, required: ["name", "namespace"],
            ["name": string("Name of the object."), "namespace": string("Namespace of the object.")])
    }

    // MARK: Scheduling policy snapshots

    private static func policySnapshotSpec() -> JSON {
        object(
            "The policy revision.", required: ["policyHash"],
            [
                "policy": placementPolicy("The placement's policy at this revision."),
                "policyHash": string("SHA-256 of the policy.", format: "byte"),
            ])
    }

    private static func policySnapshotStatus() -> JSON {
        object(
            "The scheduler's decision for this revision.",
            [
                "observedCRPGeneration": integer("Placement generation the decision was made for.", format: "int64"),
                "conditions": conditions("Scheduled reports whether the policy is satisfied."),
                "targetClusters": array(
                    "Clusters the scheduler considered; every selected one is listed.",
                    of: object(
                        "The decision for one cluster.", required: ["clusterName", "selected", "reason"],
                        [
                            "clusterName": string("The member cluster."),
                            "selected": boolean("Whether the cluster was chosen."),
                            "clusterScore": object(
                                "Scores behind the choice.",
                                [
                                    "affinityScore": integer("Score from preferred affinity terms."),
                                    "priorityScore": integer("Score from topology spread."),
                                ]),
                            "reason": string("Why the cluster was or was not chosen."),
                        ]),
                    maxItems: 1000),
            ])
    }

    // MARK: Staged update strategies and runs

    private static func strategySpec(_ description: String) -> JSON {
        object(
            description, required: ["stages"],
            [
                "stages": array(
                    "The stages, at most 31.",
                    of: object(
                        "One stage: a set of member clusters updated together, then its after-stage tasks.",
                        required: ["name"],
                        [
                            "name": string(
                                "Name of the stage, unique in the strategy.", pattern: "^[a-z0-9]+$", maxLength: 63),
                            "labelSelector": ref(
                                labelSelector,
                                "Member clusters in this stage: empty selects every scheduled cluster, absent none."),
                            "sortingLabelKey": string(
                                "Label whose integer value orders the clusters in the stage (then by name)."),
                            "maxConcurrency": intOrString(
                                "Clusters updated at once (default 1): a number, or a percentage of the stage.",
                                pattern: "^(100|[1-9][0-9]?)%$"),
                            "afterStageTasks": array(
                                "Tasks that must finish before the next stage starts; at most one of each type: "
                                    + "TimedWait, Approval, and Flotilla's MetricGate.",
                                of: stageTask(), maxItems: 3),
                            "beforeStageTasks": array(
                                "Tasks that must finish before the stage starts: an Approval, and Flotilla's "
                                    + "ScheduleWindow and MetricGate.",
                                of: stageTask(), maxItems: 3),
                        ]),
                    maxItems: 31)
            ])
    }

    private static func stageTask() -> JSON {
        object(
            "A wait, an approval gate, or a schedule window.", required: ["type"],
            [
                "type": string("The kind of task.", enum: FleetValidation.taskTypes),
                "waitTime": string(
                    "How long a TimedWait waits, in h/m/s units such as 1h30m; not allowed on Approval.",
                    pattern: "^0|([0-9]+(\\.[0-9]+)?(s|m|h))+$"),
                "scheduleWindow": object(
                    "Flotilla: when a ScheduleWindow task lets the stage start. Required on ScheduleWindow, "
                        + "not allowed on other types.",
                    required: ["schedule", "duration"],
                    [
                        "schedule": string(
                            "When each window opens: a cron expression of 5 fields (minute hour day-of-month month "
                                + "day-of-week) with *, ranges a-b, steps */n and lists a,b, such as \"0 9 * * 1-5\"."),
                        "duration": string("How long each window stays open, in h/m/s units such as 2h."),
                        "timeZone": string("The IANA time zone of the schedule, such as Europe/Paris; UTC when omitted."),
                        "deny": boolean(
                            "False (the default): the stage starts only inside a window. True: never inside one."),
                    ]),
                "metricGate": object(
                    "Flotilla: the metric a MetricGate task measures before the stage starts (before) or the next "
                        + "one does (after). Required on MetricGate, not allowed on other types.",
                    required: ["address", "query", "successCondition"],
                    [
                        "address": string("A Prometheus-compatible API, such as http://prometheus:9090."),
                        "query": string("The PromQL query, sent as GET <address>/api/v1/query?query=..."),
                        "successCondition": string(
                            "What the first sample's value must meet, such as result >= 0.99 (>=, >, <=, <, ==, !=)."),
                        "interval": string("The time between measurements, in h/m/s units; 1m when omitted."),
                        "count": integer("How many measurements to take; 1 when omitted.", minimum: 1, maximum: 1000),
                        "failureLimit": integer(
                            "How many failed measurements the gate tolerates; one more fails the stage and the run. "
                                + "0 when omitted.",
                            minimum: 0, maximum: 1000),
                    ]),
            ])
    }

    private static func updateRunSpec() -> JSON {
        object(
            "What to roll out and how; the names and index are immutable.",
            required: ["placementName", "stagedRolloutStrategyName"],
            [
                "placementName": string("The placement to roll out, in the run's scope.", maxLength: 255),
                "resourceSnapshotIndex": string(
                    "Index of the resource snapshot to roll out; the latest when empty."),
                "stagedRolloutStrategyName": string("The staged update strategy that defines the stages."),
                "state": string(
                    "Initialize only plans the run, Run executes or resumes it, Stop pauses it.",
                    enum: UpdateRunSpec.State.allCases.map(\.rawValue)),
            ])
    }

    private static func updateRunStatus() -> JSON {
        object(
            "Progress of the run, stage by stage.",
            [
                "policySnapshotIndexUsed": string("Policy snapshot index the run was planned against."),
                "policyObservedClusterCount": integer("Number of clusters the policy targeted when the run started."),
                "resourceSnapshotIndexUsed": string("Resource snapshot index the run rolls out."),
                "appliedStrategy": applyStrategy("The placement's apply strategy, frozen when the run started."),
                "stagedUpdateStrategySnapshot": strategySpec("The strategy's stages, frozen when the run started."),
                "stagesStatus": array("One entry per stage, in order.", of: stageStatus("Progress of one stage.")),
                "deletionStageStatus": stageStatus(
                    "Removal of the resources from clusters no longer selected, after every stage."),
                "conditions": conditions("Initialized, Progressing and Succeeded."),
            ])
    }

    private static func stageStatus(_ description: String) -> JSON {
        object(
            description, required: ["stageName", "clusters"],
            [
                "stageName": string("Name of the stage."),
                "clusters": array(
                    "The clusters of the stage, in update order.",
                    of: object(
                        "Progress on one cluster.", required: ["clusterName"],
                        [
                            "clusterName": string("The member cluster."),
                            "resourceOverrideSnapshots": array(
                                "ResourceOverride snapshots for this cluster, frozen when the run started.",
                                of: namespacedName("One snapshot.")),
                            "clusterResourceOverrideSnapshots": strings(
                                "ClusterResourceOverride snapshots for this cluster, frozen when the run started."),
                            "conditions": conditions("Started and Succeeded."),
                        ])),
                "afterStageTaskStatus": array(
                    "Progress of the after-stage tasks.", of: taskStatus(), maxItems: 3),
                "beforeStageTaskStatus": array(
                    "Progress of the before-stage tasks.", of: taskStatus(), maxItems: 3),
                "startTime": time("When the stage started updating."),
                "endTime": time("When the stage finished."),
                "conditions": conditions("Progressing and Succeeded."),
            ])
    }

    private static func taskStatus() -> JSON {
        object(
            "Progress of one stage task.", required: ["type"],
            [
                "type": string("The kind of task.", enum: FleetValidation.taskTypes),
                "approvalRequestName": string("The approval request created for an Approval task."),
                "conditions": conditions(
                    "ApprovalRequestCreated, ApprovalRequestApproved, WaitTimeElapsed, a ScheduleWindow's "
                        + "WindowOpen (whether the stage may start, and until when), or a MetricGate's MetricGatePassed."),
                "measurements": array(
                    "A MetricGate's measurements, oldest first.",
                    of: object(
                        "One measurement.", required: ["time", "passed", "message"],
                        [
                            "time": time("When the hub took it."),
                            "value": string("The first sample's value; absent when the query failed."),
                            "passed": boolean("Whether it met the successCondition."),
                            "message": string("The comparison made, or why the query failed."),
                        ])),
            ])
    }
}
