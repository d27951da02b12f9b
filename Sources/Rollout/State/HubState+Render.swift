import FleetAPI

extension HubState {
    /// The object as a client sees it: stored fields plus the status the controllers compute. With `forTable`,
    /// a run's status holds only what its printer columns read, so a table of many runs costs what it shows.
    public func render(_ key: ObjectKey, forTable: Bool = false) -> JSON? {
        guard let object = objects[key] else { return nil }
        var json = Sealing.presentable(object.json)
        if Self.snapshotKinds.contains(where: { $0.kind == key.kind }), let resources = json[path: ["spec", "selectedResources"]]?.arrayValue {
            json[path: ["spec", "selectedResources"]] = .array(resources.map(Sealing.presentable))
        }
        if let run = runs[key] {
            json["status"] = forTable ? run.tableStatus : run.renderedStatusJSON
        } else if placements[key] != nil, let status = PlacementStatus.status(key, in: self) {
            json["status"] = status
        }
        if let halt = halted[key] {
            var conditions = json[path: ["status", "conditions"]]?.arrayValue ?? []
            conditions.append([
                "type": "ControllerHalted", "status": "True", "reason": "ControllerDidNotSettle",
                "message": .string(halt.message), "lastTransitionTime": .string(KubeTime.format(halt.time)),
            ])
            json[path: ["status", "conditions"]] = .array(conditions)
        }
        return json
    }

    public func render(kind: ResourceKind, namespace: String? = nil) -> [JSON] {
        objects(ofKind: kind, namespace: namespace).compactMap { render($0.key) }
    }
}

extension UpdateRunState {
    /// What a table row shows of the status, built directly: the snapshot index used and each condition's type and
    /// status, all that the printer columns read. A page of a table holds hundreds of runs, and encoding their
    /// statuses through `Codable` was most of its cost.
    var tableStatus: JSON {
        var object: [String: JSON] = [:]
        if let conditions = status.conditions {
            object["conditions"] = .array(
                conditions.map { ["type": .string($0.type), "status": .string($0.status.rawValue)] })
        }
        if let index = status.policySnapshotIndexUsed {
            object["policySnapshotIndexUsed"] = .string(index)
        }
        return .object(object)
    }

    /// KubeFleet rewrites every condition's observedGeneration to the run's generation on each reconcile, so a
    /// state edit keeps the progress it shows. Objects are rendered from `renderedStatusJSON`, built to encode as this.
    public var renderedStatus: UpdateRunStatus {
        var status = self.status
        let generation = self.generation
        func stamp(_ conditions: inout [Condition]?) {
            guard conditions != nil else { return }
            for index in conditions!.indices { conditions![index].observedGeneration = generation }
        }
        func stampStage(_ stage: inout StageUpdatingStatus) {
            stamp(&stage.conditions)
            for index in stage.clusters.indices { stamp(&stage.clusters[index].conditions) }
            for index in (stage.beforeStageTaskStatus ?? []).indices { stamp(&stage.beforeStageTaskStatus![index].conditions) }
            for index in (stage.afterStageTaskStatus ?? []).indices { stamp(&stage.afterStageTaskStatus![index].conditions) }
        }
        stamp(&status.conditions)
        for index in (status.stagesStatus ?? []).indices { stampStage(&status.stagesStatus![index]) }
        if status.deletionStageStatus != nil { stampStage(&status.deletionStageStatus!) }
        return status
    }
}
