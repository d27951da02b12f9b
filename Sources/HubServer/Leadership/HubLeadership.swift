import Foundation
import Journal
import Logging
import Rollout
import ServiceLifecycle
import Synchronization

/// One of several hubs on a shared journal: campaigns for the journal's lease every third of it, promotes this hub
/// when it wins, demotes it when its lease may have ended, and while another hub leads folds in that hub's commits
/// as they land, so reads and watches are served here and writes pass to the leader (`LeaderForwarding`).
public final class HubLeadership: Service, Sendable {
    let hub: Hub
    /// This hub's name in the lease: unique per process.
    let holder: String
    let lease: Duration
    let logger: Logger
    /// Run once this hub leads: what a starting hub does before it serves, such as writing the default RBAC.
    let onLead: @Sendable (Hub) async throws -> Void

    private struct Standing {
        /// Where clients reach this hub; known once the server listens.
        var address: String?
        var leadership: Leadership?
        var leads = false
    }

    private let standing = Mutex(Standing())

    public init(
        hub: Hub, holder: String, lease: Duration, logger: Logger, onLead: @escaping @Sendable (Hub) async throws -> Void
    ) {
        self.hub = hub
        self.holder = holder
        self.lease = lease
        self.logger = logger
        self.onLead = onLead
    }

    /// Sets where clients and the other hubs reach this one: its campaigns start then.
    public func listening(at address: String) {
        standing.withLock { $0.address = address }
    }

    /// The leader's URL while another hub leads; nil while this one does, or before any hub does.
    public func leaderAddress() -> String? {
        standing.withLock { standing in
            guard !standing.leads, let leader = standing.leadership, !leader.holder.isEmpty else { return nil }
            return leader.address
        }
    }

    /// This hub's part, as `/readyz` shows it.
    public func role() -> String {
        standing.withLock { standing in
            guard let leader = standing.leadership, !leader.holder.isEmpty else { return "no hub leads yet" }
            return standing.leads
                ? "this hub leads (epoch \(leader.epoch))"
                : "this hub follows the leader at \(leader.address) (epoch \(leader.epoch))"
        }
    }

    /// Campaigns until shutdown. A leader that shuts down keeps writing until the hub has written its last
    /// checkpoint; its lease then runs out and another hub takes over.
    public func run() async throws {
        try? await cancelWhenGracefulShutdown { try await self.campaignForever() }
    }

    private func campaignForever() async throws {
        while standing.withLock({ $0.address }) == nil { try await Task.sleep(for: .milliseconds(20)) }
        // The lease holds until this instant on this hub's own clock, counted from when the renewing campaign was sent.
        var holdsUntil = ContinuousClock.now
        while true {
            let sent = ContinuousClock.now
            do {
                let leadership = try await campaign()
                let leads = leadership.isHeld(by: holder)
                if leads { holdsUntil = sent + (leadership.remaining ?? lease) }
                try await take(leadership, leads: leads)
            } catch {
                logger.error("flotilla: the campaign for the journal's lease failed", metadata: ["cause": "\(error)"])
            }
            let leads = standing.withLock { $0.leads }
            if leads, ContinuousClock.now >= holdsUntil { await stepDown("its lease ended before it could renew it") }
            try await waitForNextCampaign(until: leads ? min(sent + lease / 3, holdsUntil) : sent + lease / 3)
        }
    }

    /// The campaign's round trips, off Swift's cooperative pool.
    private func campaign() async throws -> Leadership {
        let address = standing.withLock { $0.address } ?? ""
        let (journal, holder, lease) = (hub.journal, holder, lease)
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try journal.campaign(holder: holder, address: address, lease: lease) })
            }
        }
    }

    /// Acts on a campaign's answer: promotes a follower that won, and a leader whose journal refused a write (its
    /// database session was lost to a restart or a failover) so that it writes again from the log's tip; demotes
    /// a leader another hub replaced.
    private func take(_ leadership: Leadership, leads: Bool) async throws {
        let led = standing.withLock { standing in
            defer { standing.leadership = leadership }
            return standing.leads
        }
        let writes = await hub.refusal == nil
        if leads && !(led && writes) {
            try hub.journal.promote(epoch: leadership.epoch)
            try await hub.promote()
            standing.withLock { $0.leads = true }
            logger.notice("flotilla leader: this hub leads", metadata: ["epoch": "\(leadership.epoch)", "address": "\(leadership.address)"])
            try await onLead(hub)
        } else if !leads && led {
            await stepDown("the hub at \(leadership.address) leads now (epoch \(leadership.epoch))")
        }
    }

    private func stepDown(_ reason: String) async {
        standing.withLock { $0.leads = false }
        await hub.demote(reason: "this hub no longer leads: \(reason)")
        logger.notice("flotilla leader: this hub follows", metadata: ["reason": "\(reason)"])
    }

    /// Until `deadline`: a follower folds in each of the leader's commits as it lands; a leader only waits.
    private func waitForNextCampaign(until deadline: ContinuousClock.Instant) async throws {
        while ContinuousClock.now < deadline {
            guard !standing.withLock({ $0.leads }) else { return try await Task.sleep(until: deadline, clock: .continuous) }
            do {
                let seq = await hub.state.lastSeq
                let committed = try await hub.journal.waitForCommit(after: seq, timeout: min(deadline - .now, .seconds(1)))
                try await hub.catchUp(committed: committed)
            } catch {
                logger.error("flotilla: following the leader's commits failed", metadata: ["cause": "\(error)"])
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }
}
