import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// A plain API server's simulated workloads, given a workload, when time passes, then exactly the status writes
/// the controller manager would make.
struct WorkloadSimulationTests {
    static let web = ObjectKey(.deployment, namespace: "default", name: "web")

    func plain(failing: [String] = []) throws -> Scenario {
        var scenario = Scenario()
        scenario.controllers = .plain(workloads: WorkloadSimulation(delay: 10, failing: failing))
        try scenario.apply("{apiVersion: v1, kind: Namespace, metadata: {name: default}}")
        return scenario
    }

    static func deployment(_ name: String = "web", image: String = "nginx:1.27") -> String {
        """
        {apiVersion: apps/v1, kind: Deployment, metadata: {name: \(name), namespace: default},
         spec: {replicas: 2, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: "\(image)"}]}}}}
        """
    }

    func time(_ scenario: Scenario) -> JSON { .string(KubeTime.format(scenario.now)) }

    /// The status write the simulated controller manager records, its managed fields included.
    func written(_ key: ObjectKey, _ status: JSON, by scenario: Scenario, fields: JSON, kind: ResourceKind = .deployment) -> FleetEvent {
        .objectStatusUpdated(ObjectStatusUpdated(key: key, status: status, managedFields: [
            [
                "apiVersion": .string(kind.apiVersion), "fieldsType": "FieldsV1", "fieldsV1": fields, "manager": "kube-controller-manager",
                "operation": "Update", "subresource": "status", "time": time(scenario),
            ]
        ]))
    }

    func condition(_ type: String, _ status: String, _ reason: String, _ message: String, _ time: JSON, since: JSON? = nil) -> JSON {
        [
            "type": .string(type), "status": .string(status), "reason": .string(reason), "message": .string(message), "lastUpdateTime": time,
            "lastTransitionTime": since ?? time,
        ]
    }

    static let deploymentFields: JSON = [
        "f:status": [
            "f:conditions": [
                #"k:{"type":"Available"}"#: [".": .emptyObject, "f:lastTransitionTime": .emptyObject, "f:lastUpdateTime": .emptyObject, "f:message": .emptyObject, "f:reason": .emptyObject, "f:status": .emptyObject, "f:type": .emptyObject],
                #"k:{"type":"Progressing"}"#: [".": .emptyObject, "f:lastTransitionTime": .emptyObject, "f:lastUpdateTime": .emptyObject, "f:message": .emptyObject, "f:reason": .emptyObject, "f:status": .emptyObject, "f:type": .emptyObject],
            ],
            "f:observedGeneration": .emptyObject, "f:replicas": .emptyObject, "f:unavailableReplicas": .emptyObject,
        ]
    ]

    @Test func aDeploymentProgressesAtOnceAndRollsOutAfterTheDelay() throws {
        var scenario = try plain()
        try scenario.apply(Self.deployment())
        let started = time(scenario)
        let replicaSet = "web-" + (try #require(scenario.state.objects[Self.web].map { Workload(object: $0, fails: false) })).templateHash
        #expect(scenario.settle() == [
            written(Self.web, [
                "observedGeneration": 1, "replicas": 2, "unavailableReplicas": 2,
                "conditions": [
                    condition("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", started),
                    condition("Progressing", "True", "ReplicaSetUpdated", "ReplicaSet \"\(replicaSet)\" is progressing.", started),
                ],
            ], by: scenario, fields: Self.deploymentFields)
        ])
        let simulation = WorkloadSimulation(delay: 10)
        #expect(WorkloadController.nextDeadline(Self.web, in: scenario.state, now: scenario.now, simulation) == scenario.now.addingTimeInterval(10))
        scenario.pass(9)
        #expect(scenario.settle() == [])
        scenario.pass(1)
        let done = time(scenario)
        let events = scenario.settle()
        #expect(events.count == 1)
        #expect(scenario.state.objects[Self.web]?.status == [
            "observedGeneration": 1, "replicas": 2, "updatedReplicas": 2, "readyReplicas": 2, "availableReplicas": 2,
            "conditions": [
                condition("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", done),
                // Progressing was already True: only its update time moves.
                condition("Progressing", "True", "NewReplicaSetAvailable", "ReplicaSet \"\(replicaSet)\" has successfully progressed.", done, since: started),
            ],
        ])
        #expect(WorkloadController.nextDeadline(Self.web, in: scenario.state, now: scenario.now, simulation) == nil)
        scenario.pass(100)
        #expect(scenario.settle() == [])
    }

    @Test func aSpecChangeStartsANewRollout() throws {
        var scenario = try plain()
        try scenario.apply(Self.deployment())
        scenario.settle()
        scenario.pass(10)
        scenario.settle()
        scenario.pass(5)
        try scenario.apply(Self.deployment(image: "nginx:1.28"))
        scenario.settle()
        let status = try #require(scenario.state.objects[Self.web]?.status)
        #expect(status["observedGeneration"] == 2)
        #expect(status["updatedReplicas"] == nil)
        #expect(status["conditions"]?.arrayValue?.last?["reason"] == "ReplicaSetUpdated")
        scenario.pass(10)
        scenario.settle()
        #expect(scenario.state.objects[Self.web]?.status?["updatedReplicas"] == 2)
    }

    @Test func aFailingDeploymentNeverBecomesAvailableAndPassesItsProgressDeadline() throws {
        var scenario = try plain(failing: ["default/web"])
        try scenario.apply(Self.deployment())
        scenario.settle()
        let started = scenario.now
        scenario.pass(10)
        #expect(scenario.settle() == [])
        #expect(WorkloadController.nextDeadline(Self.web, in: scenario.state, now: scenario.now, WorkloadSimulation(delay: 10, failing: ["web"]))
            == started.addingTimeInterval(600))
        scenario.now = started.addingTimeInterval(600)
        scenario.settle()
        let status = try #require(scenario.state.objects[Self.web]?.status)
        #expect(status["availableReplicas"] == nil)
        #expect(status["conditions"]?.arrayValue?.map { "\($0["type"]!.stringValue!) \($0["status"]!.stringValue!) \($0["reason"]!.stringValue!)" }
            == ["Available False MinimumReplicasUnavailable", "Progressing False ProgressDeadlineExceeded"])
    }

    @Test func aJobCompletesOrFailsAtItsBackoffLimit() throws {
        var scenario = try plain(failing: ["doomed"])
        let job = { (name: String) in
            "{apiVersion: batch/v1, kind: Job, metadata: {name: \(name), namespace: default}, spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}}"
        }
        try scenario.apply(job("once"))
        try scenario.apply(job("doomed"))
        let started = time(scenario)
        scenario.settle()
        let once = ObjectKey(.job, namespace: "default", name: "once")
        #expect(scenario.state.objects[once]?.status == ["startTime": started, "active": 1, "ready": 0, "terminating": 0, "uncountedTerminatedPods": .emptyObject])
        scenario.pass(10)
        scenario.settle()
        let done = time(scenario)
        let finished = { (type: String, reason: String, message: String) -> JSON in
            ["type": .string(type), "status": "True", "reason": .string(reason), "message": .string(message), "lastProbeTime": done, "lastTransitionTime": done]
        }
        #expect(scenario.state.objects[once]?.status == [
            "startTime": started, "completionTime": done, "succeeded": 1, "ready": 0, "terminating": 0, "uncountedTerminatedPods": .emptyObject,
            "conditions": [
                finished("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods"),
                finished("Complete", "CompletionsReached", "Reached expected number of succeeded pods"),
            ],
        ])
        #expect(scenario.state.objects[ObjectKey(.job, namespace: "default", name: "doomed")]?.status == [
            "startTime": started, "failed": 7, "ready": 0, "terminating": 0, "uncountedTerminatedPods": .emptyObject,
            "conditions": [
                finished("FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit"),
                finished("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit"),
            ],
        ])
    }

    @Test func statefulSetsAndDaemonSetsRollOutAsKubectlJudgesThem() throws {
        var scenario = try plain()
        let template = "selector: {matchLabels: {app: db}}, template: {metadata: {labels: {app: db}}, spec: {containers: [{name: db, image: postgres}]}}"
        try scenario.apply("{apiVersion: apps/v1, kind: StatefulSet, metadata: {name: db, namespace: default}, spec: {replicas: 3, serviceName: db, \(template)}}")
        try scenario.apply("{apiVersion: apps/v1, kind: DaemonSet, metadata: {name: agent, namespace: default}, spec: {\(template)}}")
        scenario.settle()
        let db = ObjectKey(.statefulSet, namespace: "default", name: "db")
        let agent = ObjectKey(.daemonSet, namespace: "default", name: "agent")
        #expect(scenario.state.objects[db]?.status?["readyReplicas"] == nil)
        #expect(scenario.state.objects[agent]?.status?["numberUnavailable"] == 1)
        scenario.pass(10)
        scenario.settle()
        let set = try #require(scenario.state.objects[db]?.status)
        #expect(set["observedGeneration"] == 1 && set["readyReplicas"] == 3 && set["updatedReplicas"] == 3 && set["availableReplicas"] == 3)
        #expect(set["currentRevision"] == set["updateRevision"])
        #expect(scenario.state.objects[agent]?.status == [
            "observedGeneration": 1, "currentNumberScheduled": 1, "desiredNumberScheduled": 1, "numberMisscheduled": 0,
            "numberReady": 1, "updatedNumberScheduled": 1, "numberAvailable": 1,
        ])
    }

    @Test func aPlainServerRunsNoFleetControllersAndAHubSimulatesNoWorkloads() throws {
        var plain = try plain()
        try plain.apply(SeedManifests.namespace)
        try plain.apply(SeedManifests.placement)
        #expect(plain.settle() == [])
        var hub = Scenario()
        try hub.apply("{apiVersion: v1, kind: Namespace, metadata: {name: default}}")
        try hub.apply(Self.deployment())
        #expect(hub.settle() == [])
    }

    @Test func aHubOnAVirtualClockFinishesARolloutAtItsDeadline() async throws {
        let clock = ManualClock(KubeTime.parse("2026-03-01T10:00:00Z")!)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path
        let hub = try Hub(path: path, clock: clock, controllers: .plain(workloads: WorkloadSimulation(delay: 30)))
        try await hub.send(.apply(YAML.parse("{apiVersion: v1, kind: Namespace, metadata: {name: default}}")), actor: "test")
        try await hub.send(.apply(YAML.parse(Self.deployment())), actor: "test")
        #expect(await hub.render(Self.web)?[path: ["status", "updatedReplicas"]] == nil)
        try await hub.advance(by: 30)
        #expect(await hub.render(Self.web)?[path: ["status", "updatedReplicas"]] == 2)
        let last = try #require(try hub.journal.read(after: 0, limit: 1000).last)
        #expect(last.actor == WorkloadController.actor)
        #expect(await hub.missedByDirtySet == 0)
    }
}
