/// What the hub knows about one kind: its API coordinates, names and scope. The single table behind
/// object keys, discovery and printing.
public struct ResourceKind: Sendable, Hashable {
    public var group: String
    public var versions: [String]
    public var kind: String
    public var plural: String
    public var shortNames: [String]
    public var namespaced: Bool
    public var hasStatus: Bool
    public var categories: [String]
    /// Served because a CustomResourceDefinition defines it, not built in.
    public var isCustom: Bool
    /// A custom kind's `additionalPrinterColumns`, for its preferred version.
    public var customColumns: [CustomColumn]

    public var preferredVersion: String { versions[0] }
    public var apiVersion: String { group.isEmpty ? preferredVersion : "\(group)/\(preferredVersion)" }
    public var singular: String { kind.lowercased() }
    /// Kubernetes' own kinds: the core group, and groups without a dot or under `k8s.io`.
    public var isBuiltIn: Bool { !isCustom && (!group.contains(".") || group.hasSuffix(".k8s.io")) }
    /// How object keys and journal streams name the kind: the kind alone for the built-in table, qualified by
    /// the group for custom kinds, whose names need not be unique across groups (`CronTab.stable.example.com`).
    public var keyName: String { isCustom ? "\(kind).\(group)" : kind }

    public init(
        group: String, versions: [String], kind: String, plural: String, shortNames: [String] = [],
        namespaced: Bool, hasStatus: Bool = false, categories: [String] = [], isCustom: Bool = false,
        customColumns: [CustomColumn] = []
    ) {
        self.group = group
        self.versions = versions
        self.kind = kind
        self.plural = plural
        self.shortNames = shortNames
        self.namespaced = namespaced
        self.hasStatus = hasStatus
        self.categories = categories
        self.isCustom = isCustom
        self.customColumns = customColumns
    }
}

extension ResourceKind {
    public static let placementGroup = "placement.kubernetes-fleet.io"
    public static let clusterGroup = "cluster.kubernetes-fleet.io"
    private static let fleetCategories = ["fleet", "fleet-placement"]
    private static let placementVersions = ["v1beta1", "v1"]

    private static func fleet(
        _ kind: String, _ plural: String, _ shortNames: [String], namespaced: Bool, hasStatus: Bool = true
    ) -> ResourceKind {
        ResourceKind(
            group: placementGroup, versions: placementVersions, kind: kind, plural: plural, shortNames: shortNames,
            namespaced: namespaced, hasStatus: hasStatus, categories: fleetCategories)
    }

    public static let namespace = ResourceKind(
        group: "", versions: ["v1"], kind: "Namespace", plural: "namespaces", shortNames: ["ns"], namespaced: false,
        hasStatus: true)
    public static let configMap = ResourceKind(
        group: "", versions: ["v1"], kind: "ConfigMap", plural: "configmaps", shortNames: ["cm"], namespaced: true)
    public static let secret = ResourceKind(
        group: "", versions: ["v1"], kind: "Secret", plural: "secrets", namespaced: true)
    public static let serviceAccount = ResourceKind(
        group: "", versions: ["v1"], kind: "ServiceAccount", plural: "serviceaccounts", shortNames: ["sa"],
        namespaced: true)
    public static let service = ResourceKind(
        group: "", versions: ["v1"], kind: "Service", plural: "services", shortNames: ["svc"], namespaced: true,
        hasStatus: true)
    public static let deployment = ResourceKind(
        group: "apps", versions: ["v1"], kind: "Deployment", plural: "deployments", shortNames: ["deploy"],
        namespaced: true, hasStatus: true)
    public static let persistentVolumeClaim = ResourceKind(
        group: "", versions: ["v1"], kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims", shortNames: ["pvc"],
        namespaced: true, hasStatus: true)
    public static let limitRange = ResourceKind(
        group: "", versions: ["v1"], kind: "LimitRange", plural: "limitranges", shortNames: ["limits"], namespaced: true)
    public static let resourceQuota = ResourceKind(
        group: "", versions: ["v1"], kind: "ResourceQuota", plural: "resourcequotas", shortNames: ["quota"], namespaced: true,
        hasStatus: true)
    public static let statefulSet = ResourceKind(
        group: "apps", versions: ["v1"], kind: "StatefulSet", plural: "statefulsets", shortNames: ["sts"], namespaced: true,
        hasStatus: true)
    public static let daemonSet = ResourceKind(
        group: "apps", versions: ["v1"], kind: "DaemonSet", plural: "daemonsets", shortNames: ["ds"], namespaced: true,
        hasStatus: true)
    public static let job = ResourceKind(
        group: "batch", versions: ["v1"], kind: "Job", plural: "jobs", namespaced: true, hasStatus: true)
    public static let cronJob = ResourceKind(
        group: "batch", versions: ["v1"], kind: "CronJob", plural: "cronjobs", shortNames: ["cj"], namespaced: true,
        hasStatus: true)
    public static let ingress = ResourceKind(
        group: "networking.k8s.io", versions: ["v1"], kind: "Ingress", plural: "ingresses", shortNames: ["ing"],
        namespaced: true, hasStatus: true)
    public static let networkPolicy = ResourceKind(
        group: "networking.k8s.io", versions: ["v1"], kind: "NetworkPolicy", plural: "networkpolicies", shortNames: ["netpol"],
        namespaced: true)
    public static let podDisruptionBudget = ResourceKind(
        group: "policy", versions: ["v1"], kind: "PodDisruptionBudget", plural: "poddisruptionbudgets", shortNames: ["pdb"],
        namespaced: true, hasStatus: true)
    public static let horizontalPodAutoscaler = ResourceKind(
        group: "autoscaling", versions: ["v2", "v1"], kind: "HorizontalPodAutoscaler", plural: "horizontalpodautoscalers",
        shortNames: ["hpa"], namespaced: true, hasStatus: true)
    public static let rbacGroup = "rbac.authorization.k8s.io"
    public static let role = ResourceKind(
        group: rbacGroup, versions: ["v1"], kind: "Role", plural: "roles", namespaced: true)
    public static let clusterRole = ResourceKind(
        group: rbacGroup, versions: ["v1"], kind: "ClusterRole", plural: "clusterroles", namespaced: false)
    public static let roleBinding = ResourceKind(
        group: rbacGroup, versions: ["v1"], kind: "RoleBinding", plural: "rolebindings", namespaced: true)
    public static let clusterRoleBinding = ResourceKind(
        group: rbacGroup, versions: ["v1"], kind: "ClusterRoleBinding", plural: "clusterrolebindings", namespaced: false)
    public static let memberCluster = ResourceKind(
        group: clusterGroup, versions: ["v1beta1"], kind: "MemberCluster", plural: "memberclusters",
        shortNames: ["mc"], namespaced: false, hasStatus: true, categories: ["fleet", "fleet-cluster"])
    public static let clusterResourcePlacement = fleet(
        "ClusterResourcePlacement", "clusterresourceplacements", ["crp"], namespaced: false)
    public static let resourcePlacement = fleet("ResourcePlacement", "resourceplacements", ["rp"], namespaced: true)
    public static let clusterSchedulingPolicySnapshot = fleet(
        "ClusterSchedulingPolicySnapshot", "clusterschedulingpolicysnapshots", ["csps"], namespaced: false)
    public static let schedulingPolicySnapshot = fleet(
        "SchedulingPolicySnapshot", "schedulingpolicysnapshots", ["sps"], namespaced: true)
    public static let clusterResourceSnapshot = fleet(
        "ClusterResourceSnapshot", "clusterresourcesnapshots", ["crs"], namespaced: false, hasStatus: false)
    public static let resourceSnapshot = fleet(
        "ResourceSnapshot", "resourcesnapshots", ["rs"], namespaced: true, hasStatus: false)
    public static let clusterStagedUpdateStrategy = fleet(
        "ClusterStagedUpdateStrategy", "clusterstagedupdatestrategies", ["csus"], namespaced: false, hasStatus: false)
    public static let stagedUpdateStrategy = fleet(
        "StagedUpdateStrategy", "stagedupdatestrategies", ["sus"], namespaced: true, hasStatus: false)
    public static let clusterStagedUpdateRun = fleet(
        "ClusterStagedUpdateRun", "clusterstagedupdateruns", ["csur"], namespaced: false)
    public static let stagedUpdateRun = fleet("StagedUpdateRun", "stagedupdateruns", ["sur"], namespaced: true)
    public static let clusterApprovalRequest = fleet(
        "ClusterApprovalRequest", "clusterapprovalrequests", ["careq"], namespaced: false)
    public static let approvalRequest = fleet("ApprovalRequest", "approvalrequests", ["areq"], namespaced: true)
    public static let clusterResourceOverride = fleet(
        "ClusterResourceOverride", "clusterresourceoverrides", ["cro"], namespaced: false, hasStatus: false)
    public static let resourceOverride = fleet(
        "ResourceOverride", "resourceoverrides", ["ro"], namespaced: true, hasStatus: false)
    public static let clusterResourceOverrideSnapshot = fleet(
        "ClusterResourceOverrideSnapshot", "clusterresourceoverridesnapshots", ["cros"], namespaced: false,
        hasStatus: false)
    /// Takes a placement off one member cluster, as far as the placement's disruption budget allows.
    public static let clusterResourcePlacementEviction = fleet(
        "ClusterResourcePlacementEviction", "clusterresourceplacementevictions", ["crpe"], namespaced: false)
    /// How many of a placement's clusters evictions may take away at once; named as its placement.
    public static let clusterResourcePlacementDisruptionBudget = fleet(
        "ClusterResourcePlacementDisruptionBudget", "clusterresourceplacementdisruptionbudgets", ["crpdb"], namespaced: false,
        hasStatus: false)
    /// What the hub asks one member to hold for one placement, in the member's `fleet-member-<name>` namespace.
    public static let work = fleet("Work", "works", [], namespaced: true)
    public static let resourceOverrideSnapshot = fleet(
        "ResourceOverrideSnapshot", "resourceoverridesnapshots", ["ros"], namespaced: true, hasStatus: false)

    /// Every built-in kind the hub serves; a hub's `KindRegistry` adds the kinds its CRDs define.
    public static let all: [ResourceKind] = [
        .namespace, .configMap, .secret, .serviceAccount, .service, .persistentVolumeClaim, .limitRange, .resourceQuota,
        .deployment, .statefulSet, .daemonSet, .job, .cronJob, .ingress, .networkPolicy, .podDisruptionBudget,
        .horizontalPodAutoscaler, .role, .clusterRole, .roleBinding, .clusterRoleBinding, .memberCluster,
        .clusterResourcePlacement, .resourcePlacement, .clusterSchedulingPolicySnapshot, .schedulingPolicySnapshot,
        .clusterResourceSnapshot, .resourceSnapshot, .clusterStagedUpdateStrategy, .stagedUpdateStrategy,
        .clusterStagedUpdateRun, .stagedUpdateRun, .clusterApprovalRequest, .approvalRequest,
        .clusterResourceOverride, .resourceOverride, .clusterResourceOverrideSnapshot, .resourceOverrideSnapshot,
        .customResourceDefinition, .work, .clusterResourcePlacementEviction, .clusterResourcePlacementDisruptionBudget,
        .clusterResourceEnvelope, .resourceEnvelope, .notificationSink,
    ]

    private static let byGroupKind: [String: ResourceKind] = Dictionary(
        uniqueKeysWithValues: all.map { ("\($0.group)/\($0.kind)", $0) })

    /// The kind named by a manifest's `apiVersion` and `kind`; nil when the hub does not serve it.
    public static func lookup(apiVersion: String, kind: String) -> ResourceKind? {
        let parts = apiVersion.split(separator: "/", maxSplits: 1).map(String.init)
        let (group, version) = parts.count == 2 ? (parts[0], parts[1]) : ("", parts.first ?? "")
        guard let found = byGroupKind["\(group)/\(kind)"], found.versions.contains(version) else { return nil }
        return found
    }

    public static func lookup(group: String, kind: String) -> ResourceKind? {
        byGroupKind["\(group)/\(kind)"]
    }

    private static let byKeyName: [String: ResourceKind] = Dictionary(uniqueKeysWithValues: all.map { ($0.kind, $0) })

    /// The built-in kind an object key names; nil for custom kinds, which only a registry knows.
    public static func builtIn(keyName: String) -> ResourceKind? { byKeyName[keyName] }

    /// The kind kubectl would understand by `name`: its plural, singular or a short name, or the kind itself,
    /// any of them optionally qualified by the group (`csur`, `clusterstagedupdaterun`,
    /// `clusterstagedupdateruns.placement.kubernetes-fleet.io`); case does not matter.
    public static func named(_ name: String) -> ResourceKind? { named(name, among: all) }

    static func named(_ name: String, among kinds: [ResourceKind]) -> ResourceKind? {
        let lowered = name.lowercased()
        return kinds.first { kind in
            ([kind.plural, kind.singular] + kind.shortNames).contains { candidate in
                lowered == candidate || (!kind.group.isEmpty && lowered == "\(candidate).\(kind.group)")
            }
        }
    }
}
