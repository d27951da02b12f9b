public import FleetAPI
import Foundation

extension RunView {
    /// Reads a `ClusterStagedUpdateRun` or `StagedUpdateRun` as the API serves it.
    ///
    /// - Parameters:
    ///   - run: the run object, status included.
    ///   - approvals: who approved each approval request, by request name, from the audit.
    /// - Throws: `RunViewError` naming the first field that is not what a run's status holds.
    public init(run: JSON, approvals: [String: Approval] = [:]) throws(RunViewError) {
        let kind = run["kind"]?.stringValue ?? ""
        guard kind == "ClusterStagedUpdateRun" || kind == "StagedUpdateRun" else {
            throw RunViewError(field: "kind", rule: "must be ClusterStagedUpdateRun or StagedUpdateRun, not \"\(kind)\"")
        }
        self.kind = kind
        self.name = try Self.string(run, ["metadata", "name"])
        self.namespace = kind == "StagedUpdateRun" ? try Self.string(run, ["metadata", "namespace"]) : nil
        self.placement = try Self.string(run, ["spec", "placementName"])
        self.resourceSnapshotIndex = run[path: ["spec", "resourceSnapshotIndex"]]?.stringValue ?? "latest"
        let status = run["status"] ?? .emptyObject
        self.policySnapshotIndex = status["policySnapshotIndexUsed"]?.stringValue
        self.conditions = try Self.conditions(status["conditions"], "status.conditions")
        let plan = status[path: ["stagedUpdateStrategySnapshot", "stages"]]?.arrayValue ?? []
        var stages: [StageView] = []
        for (i, stage) in (status["stagesStatus"]?.arrayValue ?? []).enumerated() {
            let planned = i < plan.count ? plan[i] : .emptyObject
            stages.append(try Self.stage(stage, "status.stagesStatus[\(i)]", plan: planned, planField: "status.stagedUpdateStrategySnapshot.stages[\(i)]", approvals: approvals))
        }
        self.stages = stages
        if let deletion = status["deletionStageStatus"], !(deletion["clusters"]?.arrayValue ?? []).isEmpty {
            self.deletion = try Self.stage(deletion, "status.deletionStageStatus", plan: .emptyObject, planField: "", approvals: [:])
        }
    }

    static func stage(_ json: JSON, _ field: String, plan: JSON, planField: String, approvals: [String: Approval]) throws(RunViewError) -> StageView {
        let name = try string(json, ["stageName"], field)
        let conditions = try Self.conditions(json["conditions"], field + ".conditions")
        var clusters: [ClusterView] = []
        for (i, cluster) in (json["clusters"]?.arrayValue ?? []).enumerated() {
            clusters.append(try Self.cluster(cluster, "\(field).clusters[\(i)]"))
        }
        let progressing = conditions.first { $0.type == "Progressing" }
        let succeeded = conditions.first { $0.type == "Succeeded" }
        let state: StageView.State =
            switch (succeeded?.status, progressing?.status, progressing?.reason) {
            case ("True", _, _): succeeded?.reason == "StageUpdatingSkippedNoClusters" ? .skipped : .succeeded
            case ("False", _, _): .failed
            case (_, "True", _): .running
            case (_, _, "StageUpdatingWaiting"): .waiting
            case (_, _, "StageUpdatingStopping"), (_, _, "StageUpdatingStopped"), (_, "Unknown", _): .stopped
            default: .pending
            }
        // After-stage gates open when the last cluster is done and the stage turns Waiting, the moment
        // KubeFleet's TimedWait counts from; its Progressing condition keeps that time once it succeeds.
        let clustersDone = !clusters.isEmpty && clusters.allSatisfy(\.state.isDone)
        let waitingSince = clustersDone && progressing?.status == "False" ? progressing?.time : nil
        let before = try gates(json["beforeStageTaskStatus"], "\(field).beforeStageTaskStatus", plan["beforeStageTasks"], "\(planField).beforeStageTasks", opened: nil, approvals: approvals)
        let after = try gates(json["afterStageTaskStatus"], "\(field).afterStageTaskStatus", plan["afterStageTasks"], "\(planField).afterStageTasks", opened: waitingSince, approvals: approvals)
        return StageView(
            name: name, state: state, start: try time(json["startTime"], field + ".startTime"),
            end: try time(json["endTime"], field + ".endTime"), before: before, clusters: clusters, after: after)
    }

    static func cluster(_ json: JSON, _ field: String) throws(RunViewError) -> ClusterView {
        let name = try string(json, ["clusterName"], field)
        let conditions = try Self.conditions(json["conditions"], field + ".conditions")
        let started = conditions.first { $0.type == "Started" && $0.status == "True" }
        let succeeded = conditions.first { $0.type == "Succeeded" }
        let state: ClusterView.State =
            switch succeeded?.status {
            case "True": succeeded?.reason == "ClusterUpdatingSkipped" ? .skipped : .succeeded
            case "False": .failed
            default: started != nil ? .updating : .pending
            }
        let message = state == .failed || state == .skipped ? succeeded?.message : nil
        return ClusterView(name: name, state: state, start: started?.time, end: succeeded?.time, message: message)
    }

    /// A stage's task statuses, with each TimedWait's duration from the run's frozen strategy.
    static func gates(
        _ json: JSON?, _ field: String, _ plan: JSON?, _ planField: String, opened: Date?, approvals: [String: Approval]
    ) throws(RunViewError) -> [GateView] {
        guard let json, !json.isNull else { return [] }
        guard let tasks = json.arrayValue else { throw RunViewError(field: field, rule: "must be a list of task statuses") }
        let planned = plan?.arrayValue ?? []
        var gates: [GateView] = []
        for (i, task) in tasks.enumerated() {
            let conditions = try Self.conditions(task["conditions"], "\(field)[\(i)].conditions")
            func time(_ type: String) -> Date? { conditions.first { $0.type == type && $0.status == "True" }?.time }
            switch task["type"]?.stringValue {
            case "TimedWait":
                let index = planned.firstIndex { $0["type"]?.stringValue == "TimedWait" }
                let text = index.flatMap { planned[$0]["waitTime"]?.stringValue } ?? ""
                guard let wait = GoDuration(parsing: text) else {
                    throw RunViewError(field: "\(planField)[\(index ?? 0)].waitTime", rule: "a TimedWait needs a wait time such as 1m, not \"\(text)\"")
                }
                gates.append(GateView(kind: .timedWait(wait), opened: opened, passed: time("WaitTimeElapsed")))
            case "Approval":
                let request = task["approvalRequestName"]?.stringValue
                gates.append(GateView(
                    kind: .approval(request: request), opened: time("ApprovalRequestCreated"), passed: time("ApprovalRequestApproved"),
                    approval: request.flatMap { approvals[$0] }))
            case "ScheduleWindow", "MetricGate":
                let type = task["type"]?.stringValue ?? ""
                let condition = type == "MetricGate" ? "MetricGatePassed" : "WindowOpen"
                let verdict = conditions.first { $0.type == condition }
                // A closed window holds the stage; only a metric gate's False is final.
                let failed = type == "MetricGate" && verdict?.status == "False"
                gates.append(GateView(
                    kind: .flotilla(type: type, message: verdict?.message, failed: failed), opened: opened, passed: time(condition)))
            case let other:
                throw RunViewError(
                    field: "\(field)[\(i)].type", rule: "must be TimedWait, Approval, ScheduleWindow or MetricGate, not \"\(other ?? "")\"")
            }
        }
        return gates
    }

    static func conditions(_ json: JSON?, _ field: String) throws(RunViewError) -> [ConditionView] {
        guard let json, !json.isNull else { return [] }
        guard let list = json.arrayValue else { throw RunViewError(field: field, rule: "must be a list of conditions") }
        var conditions: [ConditionView] = []
        for (i, condition) in list.enumerated() {
            conditions.append(ConditionView(
                type: try string(condition, ["type"], "\(field)[\(i)]"), status: try string(condition, ["status"], "\(field)[\(i)]"),
                reason: condition["reason"]?.stringValue ?? "", message: condition["message"]?.stringValue ?? "",
                time: try time(condition["lastTransitionTime"], "\(field)[\(i)].lastTransitionTime")))
        }
        return conditions
    }

    static func string(_ json: JSON, _ path: [String], _ field: String? = nil) throws(RunViewError) -> String {
        guard let value = json[path: path]?.stringValue, !value.isEmpty else {
            let name = ([field].compactMap { $0 } + path).joined(separator: ".")
            throw RunViewError(field: name, rule: "must be a non-empty string")
        }
        return value
    }

    static func time(_ json: JSON?, _ field: String) throws(RunViewError) -> Date? {
        guard let json, !json.isNull else { return nil }
        guard let text = json.stringValue, let date = KubeTime.parse(text) else {
            throw RunViewError(field: field, rule: "must be an RFC 3339 time such as 2025-07-22T21:28:08Z")
        }
        return date
    }
}
