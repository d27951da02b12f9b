import CrashCheck
import FleetAPI
import Foundation
import Rollout

/// Plays a scenario's steps over HTTP against a server that may be killed at any moment, and records every
/// list it reads.
///
/// Idempotent across restarts: a request that got no answer is sent again once a server serves (a create then
/// may find its object: AlreadyExists is fine), except an approval, which is sent again only if a fresh read
/// shows the request still not approved.
actor Driver {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let server: HubProcess
    let client: HubClient
    let deadline: Date
    let pollInterval: Duration = .milliseconds(100)
    private(set) var observations: [Observation] = []
    private var observed: Set<String> = []
    /// Approval requests the driver saw approved after asking for it.
    private(set) var granted: Set<ObjectKey> = []
    private var asked: Set<ObjectKey> = []

    init(server: HubProcess, client: HubClient, timeout: TimeInterval) {
        self.server = server
        self.client = client
        deadline = Date().addingTimeInterval(timeout)
    }

    func play(_ steps: [Step]) async throws {
        for (index, step) in steps.enumerated() {
            do {
                try await perform(step)
            } catch let failure as Failure {
                throw Failure(description: "step \(index + 1) of \(steps.count): \(failure)")
            }
        }
    }

    private func perform(_ step: Step) async throws {
        switch step {
        case .create(let kind, let object):
            let namespace = object[path: ["metadata", "namespace"]]?.stringValue
            let response = try await call("POST", Self.collection(kind, namespace: namespace), body: object).response
            let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
            guard response.status == 201 || (response.status == 409 && response.body["reason"] == "AlreadyExists") else {
                throw Failure(description: "create \(kind.kind) \(name): \(Self.describe(response))")
            }
        case .mergePatch(let key, let patch):
            let response = try await call(
                "PATCH", Self.path(key), body: patch, contentType: "application/merge-patch+json"
            ).response
            guard response.status == 200 else { throw Failure(description: "patch \(key): \(Self.describe(response))") }
        case .drive(let run, let approvals):
            try await drive(run, approvals: approvals)
        }
    }

    /// Polls the run until it succeeds, approving each of its requests that is not approved yet.
    private func drive(_ run: ObjectKey, approvals: ResourceKind) async throws {
        let runKind = run.resourceKind!
        while true {
            let runs = try await list(runKind)
            guard let status = runs.first(where: { Self.key($0, runKind) == run })?["status"] else {
                throw Failure(description: "\(run) is gone")
            }
            let succeeded = Self.condition("Succeeded", in: status)
            if succeeded?["status"] == "False" {
                throw Failure(description: "\(run) failed: \(succeeded?["message"]?.stringValue ?? "")")
            }
            for request in try await list(approvals)
            where request[path: ["spec", "parentStageRollout"]]?.stringValue == run.name {
                let key = Self.key(request, approvals)
                guard key.namespace == run.namespace else { continue }
                if Self.condition("Approved", in: request["status"] ?? .null)?["status"] == "True" {
                    if asked.contains(key) { granted.insert(key) }
                    continue
                }
                try await approve(key, generation: request[path: ["metadata", "generation"]]?.intValue ?? 1)
            }
            // Checked after the requests, so an approval whose answer a kill lost is counted once the run is done.
            if succeeded?["status"] == "True" { return }
            try await pause()
        }
    }

    /// Approves as the seed does: a merge patch of the status subresource setting `Approved=True` at the
    /// request's generation. Not retried: the next poll shows whether it landed.
    private func approve(_ key: ObjectKey, generation: Int64) async throws {
        let patch: JSON = [
            "status": [
                "conditions": [
                    [
                        "type": "Approved", "status": "True", "reason": "testPassed", "message": "lgtm",
                        "observedGeneration": .int(generation), "lastTransitionTime": .string(KubeTime.format(Date())),
                    ]
                ]
            ]
        ]
        asked.insert(key)
        let response: HubClient.Response
        do {
            response = try await call(
                "PATCH", Self.path(key) + "/status", body: patch, contentType: "application/merge-patch+json",
                retry: false
            ).response
        } catch is HubClient.Unreachable {
            return
        }
        guard response.status == 200 else { throw Failure(description: "approve \(key): \(Self.describe(response))") }
        granted.insert(key)
    }

    /// Waits until the hub records nothing more for half a second: every member report and controller step done.
    func settle() async throws {
        var last: Int64 = -1
        var quiet = 0
        while quiet < 5 {
            let response = try await call("GET", Self.collection(.namespace, namespace: nil)).response
            let version = Int64(response.body[path: ["metadata", "resourceVersion"]]?.stringValue ?? "") ?? -1
            quiet = version == last ? quiet + 1 : 0
            last = version
            try await pause()
        }
    }

    /// Every kind the hub serves, listed across namespaces, and each member's namespaces and ConfigMaps.
    func listings() async throws -> [String: [JSON]] {
        var listings: [String: [JSON]] = [:]
        for kind in ResourceKind.all {
            listings[kind.kind] = try await list(kind)
        }
        let members = (listings[ResourceKind.memberCluster.kind] ?? []).compactMap { $0[path: ["metadata", "name"]]?.stringValue }
        for member in members {
            for kind in [ResourceKind.namespace, .configMap] {
                listings["member \(member) \(kind.kind)"] = try await list(kind, member: member)
            }
        }
        return listings
    }

    /// Lists a kind on the hub (or in a member's view), recording what it showed at which resourceVersion.
    private func list(_ kind: ResourceKind, member: String? = nil) async throws -> [JSON] {
        let path = (member.map { "/members/\($0)" } ?? "") + Self.collection(kind, namespace: nil)
        let (response, server) = try await call("GET", path)
        guard response.status == 200, let items = response.body["items"]?.arrayValue,
            let version = response.body[path: ["metadata", "resourceVersion"]]?.stringValue.flatMap({ Int64($0) })
        else {
            throw Failure(description: "list \(path): \(Self.describe(response))")
        }
        let source: Observation.Source = member.map { .member($0, kind) } ?? .hub(kind, apiVersion: kind.apiVersion)
        if observed.insert("\(source) \(version)").inserted {
            observations.append(Observation(source: source, resourceVersion: version, items: items, server: server))
        }
        return items
    }

    /// Sends a request to whichever server is serving, waiting through restarts; with `retry`, a request that got
    /// no answer is sent again. Returns the answer and the start number of the server that gave it.
    private func call(
        _ method: String, _ path: String, body: JSON? = nil, contentType: String = "application/json", retry: Bool = true
    ) async throws -> (response: HubClient.Response, server: Int) {
        while true {
            if let (base, instance) = await server.serving {
                do {
                    return (try await client.send(method, base, path, body: body, contentType: contentType), instance)
                } catch let unreachable as HubClient.Unreachable {
                    if !retry { throw unreachable }
                }
            } else if let failure = await server.failure {
                throw Failure(description: failure)
            }
            try await Task.sleep(for: .milliseconds(20))
            guard Date() < deadline else { throw Failure(description: "timed out at \(method) \(path)") }
        }
    }

    private func pause() async throws {
        try await Task.sleep(for: pollInterval)
        guard Date() < deadline else { throw Failure(description: "timed out waiting") }
    }

    static func collection(_ kind: ResourceKind, namespace: String?) -> String {
        let base = kind.group.isEmpty ? "/api/\(kind.preferredVersion)" : "/apis/\(kind.apiVersion)"
        let scope = kind.namespaced ? namespace.map { "/namespaces/\($0)" } ?? "" : ""
        return "\(base)\(scope)/\(kind.plural)"
    }

    static func path(_ key: ObjectKey) -> String {
        collection(key.resourceKind!, namespace: key.namespace) + "/" + key.name
    }

    static func key(_ object: JSON, _ kind: ResourceKind) -> ObjectKey {
        ObjectKey(
            kind, namespace: object[path: ["metadata", "namespace"]]?.stringValue ?? "",
            name: object[path: ["metadata", "name"]]?.stringValue ?? "")
    }

    static func condition(_ type: String, in status: JSON) -> JSON? {
        status["conditions"]?.arrayValue?.first { $0["type"]?.stringValue == type }
    }

    static func describe(_ response: HubClient.Response) -> String {
        "HTTP \(response.status) \(response.body["message"]?.stringValue ?? String(response.body.serializedString().prefix(200)))"
    }
}
