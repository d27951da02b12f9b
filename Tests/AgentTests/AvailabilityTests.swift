import Testing

@testable import Agent
@testable import FleetAPI

/// Availability per kind, as KubeFleet's tracker judges it (Jobs: once complete).
@Suite struct AvailabilityTests {
    func judge(_ group: String, _ kind: String, _ object: String) -> AvailabilityResult {
        Availability.judge(group: group, kind: kind, object: json(object))
    }

    @Test func dataKindsAreAvailableAtOnce() {
        #expect(judge("", "ConfigMap", "{}") == .available)
        #expect(judge("", "Namespace", "{}") == .available)
        #expect(judge("rbac.authorization.k8s.io", "ClusterRoleBinding", "{}") == .available)
    }

    @Test func deploymentIsAvailableWhenRolledOutAtItsGeneration() {
        let done = #"{"metadata":{"generation":2},"spec":{"replicas":3},"status":{"observedGeneration":2,"availableReplicas":3,"updatedReplicas":3,"replicas":3}}"#
        #expect(judge("apps", "Deployment", done) == .available)
        let stale = done.replacingOccurrences(of: #""observedGeneration":2"#, with: #""observedGeneration":1"#)
        #expect(judge("apps", "Deployment", stale) == .notYetAvailable)
        let rolling = done.replacingOccurrences(of: #""updatedReplicas":3"#, with: #""updatedReplicas":2"#)
        #expect(judge("apps", "Deployment", rolling) == .notYetAvailable)
        let unavailable = done.replacingOccurrences(of: #""replicas":3}}"#, with: #""replicas":3,"unavailableReplicas":1}}"#)
        #expect(judge("apps", "Deployment", unavailable) == .notYetAvailable)
        // One replica unless spec.replicas says otherwise.
        #expect(judge("apps", "Deployment", #"{"metadata":{"generation":1},"status":{"observedGeneration":1,"availableReplicas":1,"updatedReplicas":1}}"#) == .available)
        #expect(judge("apps", "Deployment", #"{"metadata":{"generation":1}}"#) == .notYetAvailable)
    }

    @Test func statefulSetNeedsItsRevisionsToMatch() {
        let done = #"{"metadata":{"generation":1},"spec":{"replicas":2},"status":{"observedGeneration":1,"availableReplicas":2,"currentReplicas":2,"updatedReplicas":2,"currentRevision":"web-1","updateRevision":"web-1"}}"#
        #expect(judge("apps", "StatefulSet", done) == .available)
        #expect(judge("apps", "StatefulSet", done.replacingOccurrences(of: #""updateRevision":"web-1""#, with: #""updateRevision":"web-2""#)) == .notYetAvailable)
    }

    @Test func daemonSetNeedsEveryScheduledPodAvailable() {
        let done = #"{"metadata":{"generation":1},"status":{"observedGeneration":1,"desiredNumberScheduled":3,"numberAvailable":3,"currentNumberScheduled":3,"updatedNumberScheduled":3}}"#
        #expect(judge("apps", "DaemonSet", done) == .available)
        #expect(judge("apps", "DaemonSet", done.replacingOccurrences(of: #""numberAvailable":3"#, with: #""numberAvailable":2"#)) == .notYetAvailable)
    }

    @Test func jobIsAvailableOnceComplete() {
        #expect(judge("batch", "Job", #"{"status":{"conditions":[{"type":"Complete","status":"True"}]}}"#) == .available)
        #expect(judge("batch", "Job", #"{"status":{"conditions":[{"type":"Failed","status":"True"}]}}"#) == .notYetAvailable)
        #expect(judge("batch", "Job", #"{"status":{"active":1}}"#) == .notYetAvailable)
    }

    @Test func serviceNeedsItsAddress() {
        #expect(judge("", "Service", #"{"spec":{"clusterIPs":["10.0.0.7"]}}"#) == .available)
        #expect(judge("", "Service", #"{"spec":{"type":"NodePort"}}"#) == .notYetAvailable)
        #expect(judge("", "Service", #"{"spec":{"type":"LoadBalancer","clusterIPs":["10.0.0.7"]}}"#) == .notYetAvailable)
        #expect(judge("", "Service", #"{"spec":{"type":"LoadBalancer"},"status":{"loadBalancer":{"ingress":[{"hostname":"lb.example.com"}]}}}"#) == .available)
        #expect(judge("", "Service", #"{"spec":{"type":"ExternalName","externalName":"db.example.com"}}"#) == .notTrackable)
    }

    @Test func definitionNeedsEstablishedAndNamesAccepted() {
        let both = #"{"status":{"conditions":[{"type":"NamesAccepted","status":"True"},{"type":"Established","status":"True"}]}}"#
        #expect(judge("apiextensions.k8s.io", "CustomResourceDefinition", both) == .available)
        let pending = #"{"status":{"conditions":[{"type":"NamesAccepted","status":"True"},{"type":"Established","status":"False"}]}}"#
        #expect(judge("apiextensions.k8s.io", "CustomResourceDefinition", pending) == .notYetAvailable)
    }

    @Test func everythingElseIsNotTrackable() {
        #expect(judge("stable.example.com", "CronTab", "{}") == .notTrackable)
        #expect(judge("networking.k8s.io", "Ingress", "{}") == .notTrackable)
        #expect(judge("", "PersistentVolumeClaim", "{}") == .notTrackable)
    }
}
