import FleetAPI
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
        /// How long one request to the hub or the member may take (watches excepted).
        public var requestTimeout: Duration

        public init(
            memberName: String, hub: KubeEndpoint, member: KubeEndpoint, heartbeatPeriod: Duration? = nil,
            requestTimeout: Duration = .seconds(30)
        ) {
            self.memberName = memberName
            self.hub = hub
            self.member = member
            self.heartbeatPeriod = heartbeatPeriod
            self.requestTimeout = requestTimeout
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

    var schedule = WorkSchedule()
    /// Whether the member's AppliedWorks were checked for Works deleted while no agent watched.
    var orphansChecked = false

    public init(_ configuration: Configuration, logger: Logger) throws(KubeconfigError) {
        self.configuration = configuration
        self.logger = logger
        hub = try KubeClient(configuration.hub, userAgent: "flotilla-agent", timeout: configuration.requestTimeout)
        member = try KubeClient(configuration.member, userAgent: "flotilla-agent", timeout: configuration.requestTimeout)
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
        schedule.observe(event, now: .now)
        guard case .synced = event, !orphansChecked else { return }
        do {
            schedule.orphaned(try await appliedWorks.names(forWorksIn: namespace), now: .now)
            orphansChecked = true
        } catch {
            logger.warning("could not list the member's AppliedWorks: \(error)")
        }
    }

    /// One item at a time, whichever is due soonest.
    private func work() async {
        while !Task.isCancelled {
            switch schedule.next(now: .now) {
            case .reconcile(let name)?:
                await reconcile(name)
            case .remove(let name)?:
                do {
                    try await appliedWorks.removeAll(work: name)
                    schedule.removal(name, succeeded: true, now: .now)
                    logger.info("Work \(name) is gone from the hub: removed what it applied")
                } catch {
                    let delay = schedule.removal(name, succeeded: false, now: .now)
                    logger.warning("could not remove what Work \(name) applied: \(error); retrying in \(delay ?? .zero)")
                }
            case nil:
                // Nothing due: look again shortly, as the watch may bring a Work at any moment.
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    private func reconcile(_ name: String) async {
        guard let work = schedule.works[name] else { return }
        let generation = work["metadata"]?["generation"]?.intValue ?? 0
        let outcomes = await applier.reconcile(work)
        let reportDiff = work["spec"]?["applyStrategy"]?["type"]?.stringValue == "ReportDiff"
        let status = WorkStatus.build(
            previous: work["status"], generation: generation, reportDiff: reportDiff, outcomes: outcomes, now: Date())
        if !WorkStatus.sameExceptTimes(work["status"], status) {
            do {
                let written = try await hub.mergePatch(Self.works, namespace: namespace, name: name, subresource: "status", ["status": status])
                schedule.statusWritten(name, written["status"])
            } catch {
                logger.warning("could not write the status of Work \(name): \(error)")
            }
        }
        for outcome in outcomes.filter({ !$0.apply.isApplied && !$0.apply.isDiffReported }).prefix(3) {
            logger.info("Work \(name) ordinal \(outcome.identifier.ordinal): \(outcome.apply.reason): \(outcome.apply.error ?? "")")
        }
        let conditions = WorkStatus.decodeConditions(status["conditions"])
        let settled = conditions.isTrue("Available", atGeneration: generation) || conditions.isTrue("DiffReported", atGeneration: generation)
        let delay = schedule.reconciled(name, generation: generation, outcomes: outcomes, settled: settled, now: .now)
        logger.debug(
            "Work \(name) generation \(generation): \(outcomes.filter(\.apply.isApplied).count) of \(outcomes.count) applied, \(outcomes.filter(\.availability.countsAsAvailable).count) available; next pass in \(delay ?? .zero)")
    }
}
