import FleetAPI
import Foundation

/// KubeFleet's member cluster controller, for members with agents: the member's namespace on the hub, the
/// RBAC that lets its agent's identity touch only that namespace and its own MemberCluster, and the
/// `ReadyToJoin` and `Joined` conditions its agent's reports and heartbeats earn.
public enum MemberClusterController {
    public static let actor = "controller/membercluster"
    static let agentType = "MemberAgent"

    public static func reconcile(_ name: String, in state: HubState, now: Date, agents: AgentMembers) -> [FleetEvent] {
        guard let member = state.objects[ObjectKey(.memberCluster, name: name)] else { return [] }
        let access = accessObjects(member).compactMap { desired -> FleetEvent? in
            let key = ObjectKey(kind: desired.kind, namespace: desired.namespace, name: desired.name)
            guard let existing = state.objects[key] else {
                return .objectCreated(ObjectCreated(key: key, uid: ObjectUID.make(for: key, after: state.lastSeq), object: desired.json))
            }
            return holds(existing, desired.json) ? nil : .objectUpdated(ObjectUpdated(key: key, object: desired.json))
        }
        if !access.isEmpty { return access }
        let status = status(of: member, now: now, timeout: agents.heartbeatTimeout)
        return status == member.status ? [] : [.objectStatusUpdated(ObjectStatusUpdated(key: member.key, status: status))]
    }

    /// Whether an object already grants what the controller wants of it: its labels, rules, role and subjects.
    private static func holds(_ existing: StoredObject, _ desired: JSON) -> Bool {
        let labels = desired[path: ["metadata", "labels"]]?.objectValue ?? [:]
        return labels.allSatisfy { existing.labels[$0.key] == $0.value.stringValue }
            && ["rules", "roleRef", "subjects"].allSatisfy { existing.json[$0] == desired[$0] }
    }

    /// When the member must be looked at again: when its last heartbeat grows too old.
    public static func nextDeadline(_ name: String, in state: HubState, agents: AgentMembers) -> Date? {
        guard let member = state.objects[ObjectKey(.memberCluster, name: name)],
            let heartbeat = heartbeat(of: member), joinedCondition(member)?["status"] == "True"
        else { return nil }
        return heartbeat.addingTimeInterval(agents.heartbeatTimeout)
    }

    /// The objects a member's agent needs on the hub, as KubeFleet names them: namespace `fleet-member-<name>`,
    /// Role and RoleBinding `fleet-role-<name>` and `fleet-rolebinding-<name>` there, and a ClusterRole and
    /// ClusterRoleBinding of the same names for the member's own MemberCluster and its status.
    public static func accessObjects(_ member: StoredObject) -> [(kind: String, namespace: String, name: String, json: JSON)] {
        let name = member.key.name
        let namespace = WorkWriter.namespace(ofMember: name)
        let identity = member.json[path: ["spec", "identity"]] ?? .emptyObject
        var subject: JSON = ["kind": identity["kind"] ?? "ServiceAccount", "name": identity["name"] ?? ""]
        if identity["kind"]?.stringValue ?? "ServiceAccount" == "ServiceAccount" {
            subject["namespace"] = identity["namespace"] ?? ""
        } else {
            subject["apiGroup"] = .string(ResourceKind.rbacGroup)
        }
        let labels: JSON = ["kubernetes-fleet.io/is-fleet-resource": "true"]
        func meta(_ objectName: String, _ objectNamespace: String = "") -> JSON {
            var metadata: JSON = ["name": .string(objectName), "labels": labels]
            if !objectNamespace.isEmpty { metadata["namespace"] = .string(objectNamespace) }
            return metadata
        }
        let role = "fleet-role-\(name)"
        let binding = "fleet-rolebinding-\(name)"
        let rbac = "\(ResourceKind.rbacGroup)/v1"
        return [
            (
                ResourceKind.namespace.kind, "", namespace,
                ObjectDecider.defaulted(
                    .namespace, ObjectKey(.namespace, name: namespace), ["apiVersion": "v1", "kind": "Namespace", "metadata": meta(namespace)])
            ),
            (
                ResourceKind.role.kind, namespace, role,
                [
                    "apiVersion": .string(rbac), "kind": "Role", "metadata": meta(role, namespace),
                    "rules": [
                        ["apiGroups": [.string(ResourceKind.clusterGroup)], "resources": ["*"], "verbs": ["*"]],
                        ["apiGroups": [.string(ResourceKind.placementGroup)], "resources": ["*"], "verbs": ["*"]],
                        ["apiGroups": [""], "resources": ["events"], "verbs": ["get", "list", "update", "patch", "watch", "create"]],
                    ],
                ]
            ),
            (
                ResourceKind.roleBinding.kind, namespace, binding,
                [
                    "apiVersion": .string(rbac), "kind": "RoleBinding", "metadata": meta(binding, namespace),
                    "roleRef": ["apiGroup": .string(ResourceKind.rbacGroup), "kind": "Role", "name": .string(role)],
                    "subjects": [subject],
                ]
            ),
            (
                ResourceKind.clusterRole.kind, "", role,
                [
                    "apiVersion": .string(rbac), "kind": "ClusterRole", "metadata": meta(role),
                    "rules": [
                        [
                            "apiGroups": [.string(ResourceKind.clusterGroup)], "resources": ["memberclusters", "memberclusters/status"],
                            "resourceNames": [.string(name)], "verbs": ["get", "update", "patch"],
                        ]
                    ],
                ]
            ),
            (
                ResourceKind.clusterRoleBinding.kind, "", binding,
                [
                    "apiVersion": .string(rbac), "kind": "ClusterRoleBinding", "metadata": meta(binding),
                    "roleRef": ["apiGroup": .string(ResourceKind.rbacGroup), "kind": "ClusterRole", "name": .string(role)],
                    "subjects": [subject],
                ]
            ),
        ]
    }

    /// The member's status with the hub's conditions as its agent's reports and heartbeat make them now.
    static func status(of member: StoredObject, now: Date, timeout: TimeInterval) -> JSON {
        var status = member.status ?? .emptyObject
        var conditions = status["conditions"]?.arrayValue ?? []
        func set(_ type: String, _ value: String, _ reason: String, _ message: String) {
            var condition: JSON = [
                "type": .string(type), "status": .string(value), "reason": .string(reason), "message": .string(message),
                "observedGeneration": .int(member.generation), "lastTransitionTime": .string(KubeTime.format(now)),
            ]
            if let index = conditions.firstIndex(where: { $0["type"]?.stringValue == type }) {
                if conditions[index]["status"]?.stringValue == value { condition["lastTransitionTime"] = conditions[index]["lastTransitionTime"] }
                conditions[index] = condition
            } else {
                conditions.append(condition)
            }
        }
        let name = member.key.name
        set("ReadyToJoin", "True", "MemberClusterReadyToJoin", "Member cluster is ready to join the fleet")
        let agent = agentStatus(member)
        let joined = agent?["conditions"]?.arrayValue?.first { $0["type"] == "Joined" }?["status"]?.stringValue
        switch (agent, joined) {
        case (nil, _):
            set("Joined", "Unknown", "MemberClusterJoinStateUnknown", "Member cluster \(name) has not reported all the expected agents, expected 1, got 0")
        case (_, "True"?):
            let received = heartbeat(of: member)
            if let received, now.timeIntervalSince(received) <= timeout {
                set("Joined", "True", "MemberClusterJoined", "Member cluster has successfully joined the fleet")
            } else {
                let last = received.map { KubeTime.format($0) } ?? "never"
                set("Joined", "Unknown", "MemberClusterJoinStateUnknown",
                    "Member cluster \(name) has sent no heartbeat for more than \(GoDuration(milliseconds: Int64(timeout * 1000))) (last received \(last))")
            }
        case (_, "False"?):
            set("Joined", "False", "MemberClusterLeft", "Member cluster has left the fleet")
        default:
            set("Joined", "Unknown", "MemberClusterJoinStateUnknown", "Member cluster \(name) has not reported the join condition for agent \(agentType)")
        }
        status["conditions"] = .array(conditions)
        return status
    }

    static func agentStatus(_ member: StoredObject) -> JSON? {
        member.status?["agentStatus"]?.arrayValue?.first { $0["type"]?.stringValue == agentType }
    }

    static func heartbeat(of member: StoredObject) -> Date? {
        agentStatus(member)?["lastReceivedHeartbeat"]?.stringValue.flatMap(KubeTime.parse)
    }

    static func joinedCondition(_ member: StoredObject) -> JSON? {
        member.status?["conditions"]?.arrayValue?.first { $0["type"]?.stringValue == "Joined" }
    }

    /// Whether the scheduler may pick the member: KubeFleet's eligibility checker. A member without a `Joined`
    /// condition is one the hub simulates, always eligible; one with agents must be joined.
    public static func isEligible(_ member: StoredObject) -> Bool {
        joinedCondition(member).map { $0["status"] == "True" } ?? true
    }
}
