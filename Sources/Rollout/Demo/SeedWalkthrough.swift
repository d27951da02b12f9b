import FleetAPI
import Foundation

/// The seed tutorial, cluster scope, played against a hub step by step and printed as `kubectl` shows it.
/// The demo and the end-to-end test share it.
public struct SeedWalkthrough {
    /// How time passes between steps: virtual (jumps straight to the next due work) or the wall clock.
    public enum Pace: Sendable {
        case virtual
        case realTime
    }

    /// The moment the seed created its run; virtual time starts 3 minutes before so every timestamp matches.
    public static let seedRunCreated = KubeTime.parse("2025-07-22T21:28:08Z")!
    public static let virtualStart = seedRunCreated.addingTimeInterval(-171)

    let hub: Hub
    let pace: Pace
    let out: @Sendable (String) -> Void

    public init(hub: Hub, pace: Pace, out: @escaping @Sendable (String) -> Void) {
        self.hub = hub
        self.pace = pace
        self.out = out
    }

    public func play() async throws {
        out("# The fleet: three members, labelled as in the seed")
        for member in SeedManifests.members {
            try await apply(SeedManifests.memberCluster(member.name, labels: member.labels), command: "kubectl apply -f \(member.name).yaml")
        }
        out("\n# 1. The workload on the hub")
        try await apply(SeedManifests.namespace, command: "kubectl create ns test-namespace")
        try await apply(SeedManifests.configMap(value: "value1"), command: "kubectl create cm test-cm --from-literal=key=value1 -n test-namespace")
        out("\n# 2. The placement: PickAll, External strategy")
        try await apply(SeedManifests.placement, command: "kubectl apply -f example-placement.yaml")
        try await pass(51)
        try await get(.clusterResourcePlacement, name: "example-placement", command: "kubectl get crp example-placement")
        out("\n# 3. Resource snapshots")
        try await pass(9)
        try await get(.clusterResourceSnapshot, command: "kubectl get clusterresourcesnapshots --show-labels", showLabels: true)
        out("\n# 4. A change makes a new snapshot")
        try await pass(28)
        try await apply(SeedManifests.configMap(value: "value2"), command: "kubectl edit cm test-cm -n test-namespace  # value1 -> value2", verb: "edited")
        try await yaml(ObjectKey(.configMap, namespace: "test-namespace", name: "test-cm"), command: "kubectl get configmap test-cm -n test-namespace -o yaml")
        try await pass(10)
        try await get(.clusterResourceSnapshot, command: "kubectl get clusterresourcesnapshots --show-labels", showLabels: true)
        try await yaml(ObjectKey(.clusterResourceSnapshot, name: "example-placement-1-snapshot"), command: "kubectl get clusterresourcesnapshots example-placement-1-snapshot -o yaml")
        out("\n# 5. The strategy: staging, a 1m wait, then canary by order with an approval")
        try await pass(54)
        try await apply(SeedManifests.strategy, command: "kubectl apply -f example-strategy.yaml")
        out("\n# 6. The run")
        try await passUntil(Self.seedRunCreated)
        try await apply(SeedManifests.run, command: "kubectl apply -f example-run.yaml")
        try await pass(7)
        try await get(.clusterStagedUpdateRun, name: "example-run", command: "kubectl get csur example-run")
        out("\n# 7. member2 updates, the minute passes, then member3 and member1")
        try await waitFor { $0.objects[ObjectKey(.clusterApprovalRequest, name: "example-run-canary")] != nil }
        try await yaml(ObjectKey(.clusterStagedUpdateRun, name: "example-run"), command: "kubectl get csur example-run -o yaml")
        out("\n# 8. Approval")
        try await pass(159)
        try await get(.clusterApprovalRequest, command: "kubectl get clusterapprovalrequest")
        try await approve("example-run-canary")
        try await pass(56)
        try await get(.clusterApprovalRequest, command: "kubectl get clusterapprovalrequest")
        try await waitFor { $0.runs[ObjectKey(.clusterStagedUpdateRun, name: "example-run")]?.isFinished == true }
        out("\n# 9. Done")
        try await get(.clusterStagedUpdateRun, name: "example-run", command: "kubectl get csur example-run")
        try await get(.clusterResourcePlacement, name: "example-placement", command: "kubectl get crp example-placement")
        try await showMembers()
        out("\n# 10. Rollback: a second run with snapshot index 0")
        try await pass(420)
        try await apply(SeedManifests.rollbackRun, command: "kubectl apply -f example-run-2.yaml")
        try await pass(9)
        try await get(.clusterStagedUpdateRun, command: "kubectl get csur")
        try await waitFor { $0.objects[ObjectKey(.clusterApprovalRequest, name: "example-run-2-canary")] != nil }
        try await get(.clusterApprovalRequest, command: "kubectl get clusterapprovalrequest")
        try await approve("example-run-2-canary")
        try await get(.clusterApprovalRequest, command: "kubectl get clusterapprovalrequest")
        try await waitFor { $0.runs[ObjectKey(.clusterStagedUpdateRun, name: "example-run-2")]?.isFinished == true }
        try await get(.clusterStagedUpdateRun, command: "kubectl get csur")
        try await showMembers()
        out("\n# 12. Clean-up")
        try await delete([ObjectKey(.clusterStagedUpdateRun, name: "example-run"), ObjectKey(.clusterStagedUpdateRun, name: "example-run-2")], command: "kubectl delete csur example-run example-run-2")
        try await delete([ObjectKey(.clusterStagedUpdateStrategy, name: "example-strategy")], command: "kubectl delete csus example-strategy")
        try await delete([ObjectKey(.clusterResourcePlacement, name: "example-placement")], command: "kubectl delete crp example-placement")
        try await delete([ObjectKey(.namespace, name: "test-namespace")], command: "kubectl delete namespace test-namespace")
    }

    // MARK: Steps

    private func apply(_ manifest: String, command: String, verb: String? = nil) async throws {
        out("$ \(command)")
        let json = try YAML.parse(manifest)
        let (kind, key) = try ObjectDecider.identify(json)
        let before = await hub.state.objects[key]?.resourceVersion
        let after = try await hub.send(.apply(json), actor: "kubectl")
        let version = after?[path: ["metadata", "resourceVersion"]]?.stringValue
        let result = before == nil ? "created" : (version == before.map(String.init) ? "unchanged" : verb ?? "configured")
        out("\(kind.resourceName)/\(key.name) \(result)")
    }

    private func get(_ kind: ResourceKind, name: String? = nil, command: String, showLabels: Bool = false) async throws {
        out("$ \(command)")
        let state = await hub.state
        let objects = state.render(kind: kind).filter { name == nil || $0[path: ["metadata", "name"]]?.stringValue == name }
        block(TablePrinter.render(kind, objects: objects, now: hub.clock.now(), showLabels: showLabels))
    }

    private func yaml(_ key: ObjectKey, command: String) async throws {
        out("$ \(command)")
        guard let object = await hub.render(key) else { throw HubError.notFound(kind: key.kind, name: key.name) }
        block(YAML.emit(ManagedFields.hidden(from: object)))
    }

    private func approve(_ name: String) async throws {
        let key = ObjectKey(.clusterApprovalRequest, name: name)
        let time = KubeTime.format(hub.clock.now())
        out("$ kubectl patch clusterapprovalrequests \(name) --type='merge' --subresource=status --patch-file approval.json")
        guard let current = await hub.render(key) else { throw HubError.notFound(kind: "clusterapprovalrequests", name: name) }
        let patched = MergePatch.apply(try JSON.parse(SeedManifests.approval(at: time)), to: current)
        try await hub.send(.updateStatus(key, patched["status"] ?? .emptyObject), actor: "kubectl")
        out("clusterapprovalrequest.placement.kubernetes-fleet.io/\(name) patched")
    }

    private func delete(_ keys: [ObjectKey], command: String) async throws {
        out("$ \(command)")
        for key in keys {
            try await hub.send(.delete(key), actor: "kubectl")
            out("\(key.resourceKind!.resourceName) \"\(key.name)\" deleted")
        }
    }

    private func showMembers() async throws {
        for member in SeedManifests.members.map(\.name).sorted() {
            out("$ kubectl --context \(member) get cm test-cm -n test-namespace -o yaml")
            let objects = await hub.memberObjects(member)
            guard let cm = objects.first(where: { $0["kind"]?.stringValue == "ConfigMap" && $0[path: ["metadata", "name"]]?.stringValue == "test-cm" }) else {
                out("Error from server (NotFound): configmaps \"test-cm\" not found")
                continue
            }
            block(YAML.emit(cm))
        }
    }

    // MARK: Time

    private func pass(_ seconds: TimeInterval) async throws {
        switch pace {
        case .virtual: try await hub.advance(by: seconds)
        case .realTime: try await Task.sleep(for: .seconds(min(seconds, 2)))
        }
    }

    private func passUntil(_ date: Date) async throws {
        if case .virtual = pace, hub.clock.now() < date { try await hub.advance(to: date) }
    }

    private func waitFor(_ condition: @escaping @Sendable (HubState) -> Bool) async throws {
        switch pace {
        case .virtual:
            guard try await hub.advance(until: condition) else { throw Stalled() }
        case .realTime:
            while await !condition(hub.state) { try await Task.sleep(for: .milliseconds(200)) }
        }
    }

    /// Prints a table or document without its final newline, since `out` ends every line.
    private func block(_ text: String) {
        out(text.hasSuffix("\n") ? String(text.dropLast()) : text)
    }
}

/// Virtual time ran out of due work before the walkthrough reached the state it waits for.
struct Stalled: Error, CustomStringConvertible {
    var description: String { "the walkthrough stalled: nothing left to do and the expected state was not reached" }
}

extension ResourceKind {
    /// The `kind.group` name kubectl prints before an object's name.
    public var resourceName: String { group.isEmpty ? singular : "\(singular).\(group)" }
}
