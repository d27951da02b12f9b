public import FleetAPI
import Foundation
public import KubeClient
public import Logging

/// `flotilla agent`: joins one member cluster to the hub and keeps it there. It heartbeats into its
/// MemberCluster's status, watches the Works in its namespace `fleet-member-<name>` (relisting whenever the watch
/// ends), applies each to the member with a ``WorkApplier`` and writes back the Work's status, then requeues the
/// Work with KubeFleet's backoff so availability is seen when it comes. A Work deleted on the hub, also while the
/// agent was away, has its objects removed.
public actor MemberAgent {
    public struct Configuration: Sendable {
        public var memberName: String
        public var hub: KubeEndpoint
        public var member: KubeEndpoint
        /// Overrides the MemberCluster's `spec.heartbeatPeriodSeconds`, for tests.
        public var heartbeatPeriod: Duration?

        public init(memberName: String, hub: KubeEndpoint, member: KubeEndpoint, heartbeatPeriod: Duration? = nil) {
            self.memberName = memberName
            self.hub = hub
            self.member = member
            self.heartbeatPeriod = heartbeatPeriod
        }
    }

    static let works = ResourceType(
        group: "placement.kubernetes-fleet.io", version: "v1beta1", kind: "Work", resource: "works", namespaced: true)
    static let memberClusters = ResourceType(
        group: "cluster.kubernetes-fleet.io", version: "v1beta1", kind: "MemberCluster", resource: "memberclusters",
        namespaced: false)
    static let nodes = ResourceType(group: "", version: "v1", kind: "Node", resource: "nodes", namespaced: false)

    let configuration: Configuration
    let hub: KubeClient
    let member: KubeClient
    let appliedWorks: AppliedWorks
    let applier: WorkApplier
    let logger: Logger
    var namespace: String { "fleet-member-\(configuration.memberName)" }

    /// The latest copy of each Work, what is due when, and each Work's backoff.
    var works: [String: JSON] = [:]
    var due: [String: ContinuousClock.Instant] = [:]
    var backoffs: [String: RequeueBackoff] = [:]
    var lastPass: [String: String] = [:]
    var removals: Set<String> = []
    var synced = false

    public init(_ configuration: Configuration, logger: Logger) throws(KubeconfigError) {
        self.configuration = configuration
        self.logger = logger
        hub = try KubeClient(configuration.hub, userAgent: "flotilla-agent")
        member = try KubeClient(configuration.member, userAgent: "flotilla-agent")
        let discovery = Discovery(member)
        appliedWorks = AppliedWorks(member: member, discovery: discovery, logger: logger)
        applier = WorkApplier(member: member, discovery: discovery, appliedWorks: appliedWorks, logger: logger)
    }

    /// Runs until cancelled, then closes its connections.
    public func run() async {
        await retrying("install the AppliedWork definition on the member") { () async throws(KubeError) in
            try await self.appliedWorks.installDefinition()
        }
        logger.info("member \(configuration.memberName): watching Works in \(namespace) on \(configuration.hub.server)")
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.heartbeats() }
            group.addTask { await self.watchWorks() }
            group.addTask { await self.work() }
            await group.waitForAll()
        }
        try? await hub.shutdown()
        try? await member.shutdown()
    }

    /// Tries `body` until it succeeds or the task is cancelled, waiting as KubeFleet's requeue does in between.
    private func retrying(_ what: String, _ body: () async throws(KubeError) -> Void) async {
        var backoff = RequeueBackoff()
        while !Task.isCancelled {
            do {
                try await body()
                return
            } catch {
                let delay = backoff.next()
                logger.warning("could not \(what): \(error); retrying in \(delay)")
                try? await Task.sleep(for: delay)
            }
        }
    }

    // MARK: Heartbeats

    private func heartbeats() async {
        var backoff = RequeueBackoff()
        while !Task.isCancelled {
            let delay: Duration
            do {
                delay = try await heartbeat()
                backoff.reset()
            } catch {
                delay = backoff.next()
                logger.warning("heartbeat to the hub failed: \(error); retrying in \(delay)")
            }
            try? await Task.sleep(for: delay)
        }
    }

    /// One heartbeat; returns the period to the next.
    private func heartbeat() async throws(KubeError) -> Duration {
        let name = configuration.memberName
        guard let cluster = try await hub.get(Self.memberClusters, name: name) else {
            throw .status(code: 404, reason: "NotFound", message: "the hub has no MemberCluster \"\(name)\"")
        }
        var problem: String?
        var version: JSON?
        do {
            version = try await member.version()
        } catch {
            problem = "\(error)"
        }
        // A member that serves no nodes (or forbids listing them) reports no node count or usage.
        let nodes = try? await member.list(Self.nodes).items
        let (properties, usage) = MemberProperties.build(version: version, nodes: nodes, now: Date())
        let patch = AgentStatus.heartbeat(
            previous: cluster["status"], generation: cluster["metadata"]?["generation"]?.intValue ?? 0,
            healthProblem: problem, properties: properties, resourceUsage: usage, now: Date())
        _ = try await hub.mergePatch(Self.memberClusters, name: name, subresource: "status", patch)
        let seconds = cluster["spec"]?["heartbeatPeriodSeconds"]?.intValue ?? 60
        return configuration.heartbeatPeriod ?? .seconds(max(1, min(600, seconds)))
    }

    // MARK: Works

    private func watchWorks() async {
        let reflector = Reflector(
            hub, Self.works, namespace: namespace,
            retryDelay: { attempt in
                var backoff = RequeueBackoff()
                return (0..<attempt).map { _ in backoff.next() }.last ?? .seconds(5)
            },
            onError: { [logger] error in logger.warning("watching Works on the hub failed: \(error); relisting") })
        await reflector.run { event in await self.observe(event) }
    }

    private func observe(_ event: ReflectorEvent) async {
        switch event {
        case .synced(let items):
            let listed = Dictionary(items.compactMap { item in item["metadata"]?["name"]?.stringValue.map { ($0, item) } }) { a, _ in a }
            for name in works.keys where listed[name] == nil { forget(name) }
            for (name, work) in listed { update(name, work) }
            if !synced {
                synced = true
                // Works deleted while no agent was watching.
                do {
                    for name in try await appliedWorks.names(forWorksIn: namespace) where listed[name] == nil {
                        removals.insert(name)
                    }
                } catch {
                    logger.warning("could not list the member's AppliedWorks: \(error)")
                    synced = false
                }
            }
        case .added(let work), .modified(let work):
            if let name = work["metadata"]?["name"]?.stringValue { update(name, work) }
        case .deleted(let work):
            if let name = work["metadata"]?["name"]?.stringValue { forget(name) }
        }
    }

    /// Keeps the newest copy; a new Work or a new generation is due at once.
    private func update(_ name: String, _ work: JSON) {
        let generation = work["metadata"]?["generation"]?.intValue
        let known = works[name]?["metadata"]?["generation"]?.intValue
        works[name] = work
        removals.remove(name)
        if known == nil || known != generation {
            due[name] = .now
            backoffs[name] = RequeueBackoff()
        }
    }

    private func forget(_ name: String) {
        works[name] = nil
        due[name] = nil
        backoffs[name] = nil
        lastPass[name] = nil
        removals.insert(name)
    }

    /// One Work at a time: removals first, then whichever Work is due soonest.
    private func work() async {
        while !Task.isCancelled {
            if let name = removals.first {
                do {
                    try await appliedWorks.removeAll(work: name)
                    removals.remove(name)
                    logger.info("Work \(name) is gone from the hub: removed what it applied")
                } catch {
                    logger.warning("could not remove what Work \(name) applied: \(error)")
                    try? await Task.sleep(for: .seconds(2))
                }
                continue
            }
            guard let next = due.min(by: { $0.value < $1.value }), next.value <= .now else {
                try? await Task.sleep(for: .milliseconds(100))
                continue
            }
            await reconcile(next.key)
        }
    }

    private func reconcile(_ name: String) async {
        guard let work = works[name] else { return }
        let generation = work["metadata"]?["generation"]?.intValue ?? 0
        let outcomes = await applier.reconcile(work)
        let reportDiff = work["spec"]?["applyStrategy"]?["type"]?.stringValue == "ReportDiff"
        let status = WorkStatus.build(
            previous: work["status"], generation: generation, reportDiff: reportDiff, outcomes: outcomes, now: Date())
        if !WorkStatus.sameExceptTimes(work["status"], status) {
            do {
                let written = try await hub.mergePatch(Self.works, namespace: namespace, name: name, subresource: "status", ["status": status])
                if works[name] != nil { works[name]?["status"] = written["status"] }
            } catch {
                logger.warning("could not write the status of Work \(name): \(error)")
            }
        }
        let failed = outcomes.filter { !$0.apply.isApplied && !$0.apply.isDiffReported }
        for outcome in failed.prefix(3) {
            logger.info("Work \(name) ordinal \(outcome.identifier.ordinal): \(outcome.apply.reason): \(outcome.apply.error ?? "")")
        }
        // Requeue: back to the short delay whenever the generation or the outcome changes.
        let pass = "\(generation)|" + outcomes.map { "\($0.apply.reason),\($0.availability.rawValue)" }.joined(separator: ";")
        guard works[name] != nil else { return }
        if lastPass[name] != pass { backoffs[name] = RequeueBackoff() }
        lastPass[name] = pass
        let conditions = WorkStatus.decodeConditions(status["conditions"])
        let settled = conditions.isTrue("Available", atGeneration: generation) || conditions.isTrue("DiffReported", atGeneration: generation)
        let delay = backoffs[name, default: RequeueBackoff()].next(settled: settled)
        due[name] = .now + delay
    }
}
