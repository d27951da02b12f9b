/// The built-in kinds a placement propagates. Service and Deployment list their common fields but keep the rest
/// of spec and status as sent: the hub stores and forwards them, it does not interpret them.
extension KindSchemas {
    static func coreFields(_ kind: ResourceKind) -> (String, [String], [String: JSON]) {
        switch kind {
        case .namespace:
            return (
                "A scope for names; deleting it deletes everything inside.", [],
                [
                    "spec": object(
                        "What the namespace needs before it can be removed.",
                        ["finalizers": strings("Keys that must clear before the namespace is removed from storage.")]),
                    "status": object(
                        "Lifecycle of the namespace.",
                        [
                            "phase": string(
                                "Active, or Terminating once deletion started.", enum: ["Active", "Terminating"]),
                            "conditions": array(
                                "Why a terminating namespace is not gone yet.",
                                of: object(
                                    "One namespace condition.", required: ["type", "status"],
                                    [
                                        "type": string("What the condition reports on."),
                                        "status": string("True, False or Unknown."),
                                        "lastTransitionTime": time("When the status last changed."),
                                        "reason": string("CamelCase cause."),
                                        "message": string("Human-readable detail."),
                                    ])),
                        ]),
                ]
            )
        case .configMap:
            return (
                "Non-secret configuration as key/value pairs.", [],
                [
                    "data": map("UTF-8 values by key."),
                    "binaryData": map(
                        "Base64-encoded binary values by key.", of: ["type": "string", "format": "byte"]),
                    "immutable": boolean("When true, data can no longer change; only deletion is allowed."),
                ]
            )
        case .secret:
            return (
                "Sensitive key/value data.", [],
                [
                    "data": map("Base64-encoded values by key.", of: ["type": "string", "format": "byte"]),
                    "stringData": map("Plain-text values, merged into data on write; never read back."),
                    "type": string("How the data is to be used, such as Opaque or kubernetes.io/tls."),
                    "immutable": boolean("When true, data can no longer change; only deletion is allowed."),
                ]
            )
        case .serviceAccount:
            var secrets = array(
                "Secrets pods running as this account may use.",
                of: object(
                    "A reference to a secret.",
                    [
                        "name": string("Name of the secret."),
                        "namespace": string("Namespace of the secret."),
                        "kind": string("Kind of the referent."),
                        "apiVersion": string("API version of the referent."),
                        "uid": string("UID of the referent."),
                        "resourceVersion": string("Specific resourceVersion of the referent."),
                        "fieldPath": string("A field inside the referent."),
                    ]))
            secrets["x-kubernetes-patch-strategy"] = "merge"
            secrets["x-kubernetes-patch-merge-key"] = "name"
            return (
                "An identity for processes that run in pods.", [],
                [
                    "secrets": secrets,
                    "imagePullSecrets": array(
                        "Secrets used to pull images for pods running as this account.",
                        of: object("A secret in the same namespace.", ["name": string("Name of the secret.")])),
                    "automountServiceAccountToken": boolean("Whether pods get an API token mounted by default."),
                ]
            )
        case .service:
            return (
                "A stable address and load balancer in front of a set of pods.", [],
                ["spec": serviceSpec(), "status": serviceStatus()]
            )
        case .deployment:
            return (
                "Declarative updates for a replicated set of pods.", [],
                ["spec": deploymentSpec(), "status": deploymentStatus()]
            )
        default:
            return workloadFields(kind)
        }
    }

    private static func serviceSpec() -> JSON {
        var ports = array(
            "Ports the service exposes.",
            of: object(
                "One exposed port.", required: ["port"],
                [
                    "name": string("Unique name of the port within the service."),
                    "protocol": string("IP protocol.", enum: ["TCP", "UDP", "SCTP"]),
                    "appProtocol": string("Application protocol hint."),
                    "port": integer("Port the service listens on."),
                    "targetPort": intOrString("Number or name of the port on the pods."),
                    "nodePort": integer("Port opened on every node for NodePort and LoadBalancer services."),
                ]))
        ports["x-kubernetes-patch-strategy"] = "merge"
        ports["x-kubernetes-patch-merge-key"] = "port"
        return preserved(
            "How the service is exposed; fields not listed here are kept as sent.",
            [
                "type": string(
                    "How the service is exposed.", enum: ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]),
                "selector": map("Pods with these labels receive the traffic."),
                "ports": ports,
                "clusterIP": string("Virtual IP of the service; None for a headless service."),
                "clusterIPs": strings("Virtual IPs, one per IP family."),
                "externalName": string("DNS name an ExternalName service aliases."),
                "externalIPs": strings("Extra IPs that route to the service."),
                "sessionAffinity": string("Sticky sessions by client IP.", enum: ["ClientIP", "None"]),
                "externalTrafficPolicy": string(
                    "Whether external traffic stays on the receiving node.", enum: ["Cluster", "Local"]),
                "internalTrafficPolicy": string(
                    "Whether internal traffic stays on the sending node.", enum: ["Cluster", "Local"]),
                "ipFamilies": strings("IP families the service uses."),
                "ipFamilyPolicy": string(
                    "Single- or dual-stack.", enum: ["SingleStack", "PreferDualStack", "RequireDualStack"]),
                "publishNotReadyAddresses": boolean("Publish endpoints of pods that are not ready."),
            ])
    }

    private static func serviceStatus() -> JSON {
        preserved(
            "Observed state of the service.",
            [
                "loadBalancer": preserved("Ingress points of a LoadBalancer service."),
                "conditions": conditions("Current service conditions."),
            ])
    }

    private static func deploymentSpec() -> JSON {
        preserved(
            "Desired state of the deployment; fields not listed here are kept as sent.",
            [
                "replicas": integer("Desired number of pods."),
                "selector": ref(labelSelector, "Which pods the deployment manages; must match the template's labels."),
                "template": preserved("The pod template new pods are made from."),
                "strategy": preserved("How old pods are replaced: Recreate or RollingUpdate."),
                "minReadySeconds": integer("Seconds a new pod must be ready before it counts as available."),
                "revisionHistoryLimit": integer("Old ReplicaSets kept for rollback."),
                "progressDeadlineSeconds": integer("Seconds without progress before the rollout is reported failed."),
                "paused": boolean("When true, template changes do not roll out."),
            ])
    }

    private static func deploymentStatus() -> JSON {
        preserved(
            "Observed state of the deployment.",
            [
                "observedGeneration": integer("Generation the controller last acted on.", format: "int64"),
                "replicas": integer("Pods targeted by the deployment."),
                "updatedReplicas": integer("Pods running the current template."),
                "readyReplicas": integer("Pods that are ready."),
                "availableReplicas": integer("Pods ready for at least minReadySeconds."),
                "unavailableReplicas": integer("Pods still needed for full availability."),
                "terminatingReplicas": integer("Pods being shut down."),
                "collisionCount": integer("Hash collision counter for new ReplicaSet names."),
                "conditions": array(
                    "Rollout conditions such as Available and Progressing.",
                    of: object(
                        "One deployment condition.", required: ["type", "status"],
                        [
                            "type": string("What the condition reports on."),
                            "status": string("True, False or Unknown."),
                            "lastUpdateTime": time("When the condition was last refreshed."),
                            "lastTransitionTime": time("When the status last changed."),
                            "reason": string("CamelCase cause."),
                            "message": string("Human-readable detail."),
                        ])),
            ])
    }
}
