import Foundation
import Testing
@testable import FleetAPI

/// The seed's manifests decode into the typed specs unchanged and encode back to the same JSON.
struct FleetKindsTests {
    @Test func theStrategyDecodesAndNormalisesItsWaitTime() throws {
        let spec = try YAML.parse(SeedManifests.strategy)["spec"]!.decode(StagedUpdateStrategySpec.self)
        #expect(spec.stages.map(\.name) == ["staging", "canary"])
        #expect(spec.stages[0].afterStageTasks == [StageTask(type: .timedWait, waitTime: GoDuration(milliseconds: 60_000))])
        #expect(spec.stages[1].sortingLabelKey == "order")
        #expect(spec.stages[1].labelSelector?.matches(["environment": "canary", "order": "1"]) == true)
        let encoded = try JSON(encoding: spec)
        #expect(encoded[path: ["stages"]]?.arrayValue?[0]["afterStageTasks"] == [["type": "TimedWait", "waitTime": "1m0s"]])
        #expect(encoded[path: ["stages"]]?.arrayValue?[1] == [
            "afterStageTasks": [["type": "Approval"]], "labelSelector": ["matchLabels": ["environment": "canary"]],
            "name": "canary", "sortingLabelKey": "order",
        ])
    }

    @Test func thePlacementAndRunRoundTrip() throws {
        for manifest in [SeedManifests.placement, SeedManifests.run] {
            let json = try YAML.parse(manifest)
            let spec = json["spec"]!
            let reencoded: JSON
            if json["kind"] == "ClusterResourcePlacement" {
                let placement = try spec.decode(PlacementSpec.self)
                #expect(placement.placementType == .pickAll)
                #expect(placement.strategyType == .external)
                reencoded = try JSON(encoding: placement)
            } else {
                let run = try spec.decode(UpdateRunSpec.self)
                #expect(run.resourceSnapshotIndex == "1")
                reencoded = try JSON(encoding: run)
            }
            #expect(reencoded == spec)
        }
    }

    @Test(arguments: [("1m", "1m0s", Int64(60_000)), ("1h30m", "1h30m0s", 5_400_000), ("90s", "1m30s", 90_000), ("1.5h", "1h30m0s", 5_400_000)])
    func durationsParseAndPrintAsGo(_ text: String, _ printed: String, _ milliseconds: Int64) throws {
        let duration = try #require(GoDuration(parsing: text))
        #expect(duration.milliseconds == milliseconds)
        #expect(duration.description == printed)
    }

    @Test(arguments: ["1d", "1", "01h", "0abc", ""])
    func badDurationsAreRefused(_ text: String) {
        #expect(GoDuration(parsing: text) == nil)
    }

    @Test func conditionsKeepTheirTransitionTimeWhileTheStatusHolds() {
        let t0 = Date(timeIntervalSince1970: 0)
        let t1 = Date(timeIntervalSince1970: 60)
        var conditions: [Condition] = []
        conditions.set(Condition(type: "Progressing", status: .false, reason: "Waiting", message: "a", observedGeneration: 1, lastTransitionTime: t0))
        conditions.set(Condition(type: "Progressing", status: .false, reason: "Succeeded", message: "b", observedGeneration: 1, lastTransitionTime: t1))
        #expect(conditions == [Condition(type: "Progressing", status: .false, reason: "Succeeded", message: "b", observedGeneration: 1, lastTransitionTime: t0)])
        conditions.set(Condition(type: "Progressing", status: .true, reason: "Started", message: "c", observedGeneration: 1, lastTransitionTime: t1))
        #expect(conditions[type: "Progressing"]?.lastTransitionTime == t1)
    }

    @Test func labelSelectorsMatchAsKubernetesDoes() {
        let selector = LabelSelector(
            matchLabels: ["environment": "canary"],
            matchExpressions: [.init(key: "order", operator: .in, values: ["1", "2"]), .init(key: "frozen", operator: .doesNotExist)])
        #expect(selector.matches(["environment": "canary", "order": "1"]))
        #expect(!selector.matches(["environment": "canary", "order": "3"]))
        #expect(!selector.matches(["environment": "canary", "order": "1", "frozen": "yes"]))
        #expect(LabelSelector().matches([:]))
    }

    @Test func kubernetesTimesAndAges() {
        let date = KubeTime.parse("2025-07-22T21:28:08Z")!
        #expect(KubeTime.format(date) == "2025-07-22T21:28:08Z")
        #expect(KubeTime.parse("2025-07-22T23:28:08+02:00") == date)
        #expect(KubeTime.age(from: date, to: date.addingTimeInterval(51)) == "51s")
        #expect(KubeTime.age(from: date, to: date.addingTimeInterval(126)) == "2m6s")
        #expect(KubeTime.age(from: date, to: date.addingTimeInterval(13 * 60 + 5)) == "13m")
        #expect(KubeTime.age(from: date, to: date.addingTimeInterval(5 * 3600 + 120)) == "5h2m")
        #expect(KubeTime.age(from: date, to: date.addingTimeInterval(694 * 86400)) == "694d")
    }

    @Test func tablesUseTheSeedsColumns() throws {
        var run = try YAML.parse(SeedManifests.run)
        run[path: ["metadata", "creationTimestamp"]] = "2025-07-22T21:28:08Z"
        run["status"] = [
            "policySnapshotIndexUsed": "0",
            "conditions": [["type": "Initialized", "status": "True", "reason": "r", "message": "m", "lastTransitionTime": "2025-07-22T21:28:08Z"]],
        ]
        let table = TablePrinter.render(.clusterStagedUpdateRun, objects: [run], now: KubeTime.parse("2025-07-22T21:28:15Z")!)
        #expect(
            table == """
                NAME          PLACEMENT           RESOURCE-SNAPSHOT-INDEX   POLICY-SNAPSHOT-INDEX   INITIALIZED   SUCCEEDED   AGE
                example-run   example-placement   1                         0                       True                      7s

                """)
    }
}

/// The columns `kubectl get` prints for the built-in workload kinds, as the API server's table printers make them.
struct WorkloadColumnsTests {
    static let now = KubeTime.parse("2026-12-01T10:10:00Z")!

    func row(_ kind: ResourceKind, _ object: JSON) -> [String: String] {
        var object = object
        object[path: ["metadata", "name"]] = "x"
        object[path: ["metadata", "creationTimestamp"]] = "2026-12-01T10:00:00Z"
        return Dictionary(uniqueKeysWithValues: kind.printerColumns.map { ($0.name, $0.cell(object, Self.now)) })
    }

    @Test func everyPlaceableKindIsServedWithItsShortName() {
        for (name, kind) in [("sts", ResourceKind.statefulSet), ("ds", .daemonSet), ("cj", .cronJob), ("pvc", .persistentVolumeClaim),
                             ("hpa", .horizontalPodAutoscaler), ("pdb", .podDisruptionBudget), ("netpol", .networkPolicy),
                             ("ing", .ingress), ("quota", .resourceQuota), ("limits", .limitRange), ("jobs", .job)] {
            #expect(ResourceKind.named(name) == kind)
        }
        #expect(ResourceKind.lookup(apiVersion: "autoscaling/v1", kind: "HorizontalPodAutoscaler") == .horizontalPodAutoscaler)
    }

    @Test func workloadsShowTheirReplicas() {
        #expect(ResourceKind.deployment.printerColumns.map(\.name) == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"])
        let deployment = row(.deployment, ["spec": ["replicas": 3], "status": ["readyReplicas": 2, "updatedReplicas": 3, "availableReplicas": 2]])
        #expect(deployment["READY"] == "2/3" && deployment["UP-TO-DATE"] == "3" && deployment["AVAILABLE"] == "2" && deployment["AGE"] == "10m")
        #expect(row(.statefulSet, [:])["READY"] == "0/1")
        #expect(row(.daemonSet, ["spec": ["template": ["spec": ["nodeSelector": ["os": "linux"]]]]])["NODE SELECTOR"] == "os=linux")
    }

    @Test func jobsShowTheirCompletionAndDuration() {
        let done = row(.job, [
            "spec": ["completions": 2],
            "status": ["succeeded": 2, "startTime": "2026-12-01T10:00:00Z", "completionTime": "2026-12-01T10:00:45Z",
                       "conditions": [["type": "Complete", "status": "True"]]],
        ])
        #expect(done["STATUS"] == "Complete" && done["COMPLETIONS"] == "2/2" && done["DURATION"] == "45s")
        #expect(row(.job, [:])["STATUS"] == "Running")
        let cron = row(.cronJob, ["spec": ["schedule": "*/5 * * * *"]])
        #expect(cron["SCHEDULE"] == "*/5 * * * *" && cron["SUSPEND"] == "False" && cron["LAST SCHEDULE"] == "<none>" && cron["TIMEZONE"] == "<none>")
    }

    @Test func storageNetworkAndPolicyKindsShowWhatKubectlShows() {
        let claim = row(.persistentVolumeClaim, [
            "spec": ["storageClassName": "standard", "volumeName": "pv-1"],
            "status": ["phase": "Bound", "capacity": ["storage": "1Gi"], "accessModes": ["ReadWriteOnce"]],
        ])
        #expect(claim["STATUS"] == "Bound" && claim["CAPACITY"] == "1Gi" && claim["ACCESS MODES"] == "RWO" && claim["VOLUMEATTRIBUTESCLASS"] == "<unset>")
        #expect(row(.ingress, ["spec": ["rules": [["host": "a.example"], ["host": "b.example"]]]])["HOSTS"] == "a.example,b.example")
        #expect(row(.networkPolicy, ["spec": ["podSelector": .emptyObject]])["POD-SELECTOR"] == "<none>")
        let budget = row(.podDisruptionBudget, ["spec": ["minAvailable": 1], "status": ["disruptionsAllowed": 1]])
        #expect(budget["MIN AVAILABLE"] == "1" && budget["MAX UNAVAILABLE"] == "N/A" && budget["ALLOWED DISRUPTIONS"] == "1")
        let quota = row(.resourceQuota, ["status": ["hard": ["pods": "10", "limits.cpu": "4"], "used": ["pods": "3"]]])
        #expect(quota["REQUEST"] == "pods: 3/10" && quota["LIMIT"] == "limits.cpu: 0/4")
        #expect(row(.horizontalPodAutoscaler, ["spec": ["scaleTargetRef": ["kind": "Deployment", "name": "web"], "maxReplicas": 5]])["REFERENCE"] == "Deployment/web")
    }
}
