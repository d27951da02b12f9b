import FleetAPI
import Foundation

/// One workload as its simulated controller sees it: where its rollout stands, and the status the real controller
/// would write for that, in the API types' fields (those without `omitempty` written even when 0).
struct Workload {
    enum Phase: Equatable {
        /// The new generation is observed; its pods are not all ready yet.
        case progressing
        /// Rolled out: every replica updated, ready and available (a Job complete).
        case complete
        /// Never to be available: a Deployment past its progress deadline, a Job past its backoff limit.
        case failed
    }

    let object: StoredObject
    let fails: Bool

    var kind: String { object.key.kind }
    var status: JSON { object.status ?? .emptyObject }
    var spec: JSON { object.spec }

    /// Whether the status speaks of the current spec: a Job once started, the others at their generation.
    var observesCurrentSpec: Bool {
        if kind == ResourceKind.job.kind { return status["startTime"] != nil }
        return status["observedGeneration"]?.intValue == object.generation
    }

    /// When the current rollout began: a Job's start, or the controller manager's last status write, which it
    /// makes the moment it sees a new generation and not again until the rollout ends.
    var started: Date? {
        if kind == ResourceKind.job.kind { return status["startTime"]?.stringValue.flatMap(KubeTime.parse) }
        let entry = ManagedFields(of: object.json).entries.first { $0.manager == WorkloadController.manager && $0.subresource == "status" }
        return entry?.time.flatMap(KubeTime.parse)
    }

    /// Whether the status already shows the rollout's end, which stays until the spec changes.
    var finished: Bool {
        switch kind {
        case ResourceKind.job.kind:
            return conditions.contains { ($0["type"] == "Complete" || $0["type"] == "Failed") && $0["status"] == "True" }
        case ResourceKind.deployment.kind:
            let reason = conditions.first { $0["type"] == "Progressing" }?["reason"]?.stringValue
            return reason == "NewReplicaSetAvailable" || reason == "ProgressDeadlineExceeded"
        case ResourceKind.statefulSet.kind:
            return count("readyReplicas") == replicas && count("updatedReplicas") == replicas
        default:
            return count("numberAvailable") == 1 && count("updatedNumberScheduled") == 1
        }
    }

    func phase(now: Date, delay: TimeInterval) -> Phase {
        guard observesCurrentSpec, let started, !finished else { return .progressing }
        guard now >= started.addingTimeInterval(delay) else { return .progressing }
        guard fails else { return .complete }
        switch kind {
        case ResourceKind.job.kind: return .failed
        case ResourceKind.deployment.kind: return now >= started.addingTimeInterval(progressDeadline) ? .failed : .progressing
        default: return .progressing
        }
    }

    /// The next moment the phase can move by time alone.
    func nextChange(delay: TimeInterval) -> Date? {
        guard observesCurrentSpec, let started, !finished else { return nil }
        if fails && kind == ResourceKind.deployment.kind { return started.addingTimeInterval(max(delay, progressDeadline)) }
        if fails && kind != ResourceKind.job.kind { return nil }
        return started.addingTimeInterval(delay)
    }

    /// The status for `phase`, or nil to leave a finished rollout's status as it is.
    func status(_ phase: Phase, now: Date) -> JSON? {
        if observesCurrentSpec && finished { return nil }
        switch kind {
        case ResourceKind.deployment.kind: return deploymentStatus(phase, now: now)
        case ResourceKind.statefulSet.kind: return statefulSetStatus(phase)
        case ResourceKind.daemonSet.kind: return daemonSetStatus(phase)
        default: return jobStatus(phase, now: now)
        }
    }

    // MARK: Kinds

    private func deploymentStatus(_ phase: Phase, now: Date) -> JSON {
        let replicaSet = "\(object.key.name)-\(templateHash)"
        let ready = phase == .complete ? replicas : 0
        var status: [String: JSON] = ["observedGeneration": .int(object.generation)]
        // Every count is omitempty in DeploymentStatus.
        let counts: [(String, Int64)] = [
            ("replicas", replicas), ("updatedReplicas", phase == .complete ? replicas : 0), ("readyReplicas", ready),
            ("availableReplicas", ready), ("unavailableReplicas", replicas - ready),
        ]
        for (field, value) in counts where value != 0 { status[field] = .int(value) }
        let available = phase == .complete
            ? condition("Available", true, "MinimumReplicasAvailable", "Deployment has minimum availability.", now: now)
            : condition("Available", false, "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", now: now)
        let progressing = switch phase {
        case .complete:
            condition("Progressing", true, "NewReplicaSetAvailable", "ReplicaSet \"\(replicaSet)\" has successfully progressed.", now: now)
        case .failed:
            condition("Progressing", false, "ProgressDeadlineExceeded", "ReplicaSet \"\(replicaSet)\" has timed out progressing.", now: now)
        case .progressing:
            condition("Progressing", true, "ReplicaSetUpdated", "ReplicaSet \"\(replicaSet)\" is progressing.", now: now)
        }
        status["conditions"] = [available, progressing]
        return .object(status)
    }

    private func statefulSetStatus(_ phase: Phase) -> JSON {
        let revision = "\(object.key.name)-\(templateHash)"
        let ready = phase == .complete ? replicas : 0
        var status: [String: JSON] = [
            "observedGeneration": .int(object.generation), "replicas": .int(replicas), "availableReplicas": .int(ready),
            "currentRevision": .string(phase == .complete ? revision : self.status["currentRevision"]?.stringValue ?? revision),
            "updateRevision": .string(revision), "collisionCount": 0,
        ]
        for field in ["readyReplicas", "currentReplicas", "updatedReplicas"] where ready != 0 { status[field] = .int(ready) }
        return .object(status)
    }

    /// One node: a DaemonSet wants one pod.
    private func daemonSetStatus(_ phase: Phase) -> JSON {
        let ready: Int64 = phase == .complete ? 1 : 0
        var status: [String: JSON] = [
            "observedGeneration": .int(object.generation), "currentNumberScheduled": 1, "desiredNumberScheduled": 1,
            "numberMisscheduled": 0, "numberReady": .int(ready),
        ]
        if ready == 1 {
            status["updatedNumberScheduled"] = 1
            status["numberAvailable"] = 1
        } else {
            status["numberUnavailable"] = 1
        }
        return .object(status)
    }

    private func jobStatus(_ phase: Phase, now: Date) -> JSON {
        let completions = spec["completions"]?.intValue ?? 1
        var status: [String: JSON] = [
            "startTime": self.status["startTime"] ?? .string(KubeTime.format(now)), "ready": 0, "terminating": 0,
            "uncountedTerminatedPods": .emptyObject,
        ]
        let time = JSON.string(KubeTime.format(now))
        func finished(_ types: [String], reason: String, message: String) -> JSON {
            .array(types.map { ["type": .string($0), "status": "True", "reason": .string(reason), "message": .string(message), "lastProbeTime": time, "lastTransitionTime": time] })
        }
        switch phase {
        case .progressing:
            status["active"] = .int(min(spec["parallelism"]?.intValue ?? 1, completions))
        case .complete:
            status["succeeded"] = .int(completions)
            status["completionTime"] = time
            status["conditions"] = finished(["SuccessCriteriaMet", "Complete"], reason: "CompletionsReached", message: "Reached expected number of succeeded pods")
        case .failed:
            status["failed"] = .int((spec["backoffLimit"]?.intValue ?? 6) + 1)
            status["conditions"] = finished(["FailureTarget", "Failed"], reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit")
        }
        return .object(status)
    }

    // MARK: Parts

    var replicas: Int64 { spec["replicas"]?.intValue ?? 1 }

    private var progressDeadline: TimeInterval { Double(spec["progressDeadlineSeconds"]?.intValue ?? 600) }

    private var conditions: [JSON] { status["conditions"]?.arrayValue ?? [] }

    private func count(_ field: String) -> Int64 { status[field]?.intValue ?? 0 }

    /// A Deployment condition; its times stay as they were while it says the same thing, and its transition time
    /// while its status holds.
    private func condition(_ type: String, _ value: Bool, _ reason: String, _ message: String, now: Date) -> JSON {
        let previous = conditions.first { $0["type"]?.stringValue == type }
        let status: JSON = value ? "True" : "False"
        let time = JSON.string(KubeTime.format(now))
        let unchanged = previous?["status"] == status && previous?["reason"]?.stringValue == reason
        return [
            "type": .string(type), "status": status, "reason": .string(reason), "message": .string(message),
            "lastUpdateTime": unchanged ? previous?["lastUpdateTime"] ?? time : time,
            "lastTransitionTime": previous?["status"] == status ? previous?["lastTransitionTime"] ?? time : time,
        ]
    }

    /// The pod template's hash as the controllers name ReplicaSets and revisions by it: FNV-1a of the template,
    /// its decimal digits mapped onto the API server's safe alphabet.
    var templateHash: String {
        var hash: UInt32 = 2_166_136_261
        for byte in (spec["template"] ?? .emptyObject).serialized() {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String(String(hash).utf8.map { alphabet[Int($0) % alphabet.count] })
    }
}
