import FleetAPI
import Rollout

/// What one play of a scenario left behind: the final listings, every list the driver read on the way, the
/// approvals it granted, when the server was down, and the journal.
public struct Play: Sendable {
    /// Every listing at the end, raw, by name (`Kind`, or `member <name> Kind`).
    public var listings: [String: [JSON]]
    public var observations: [Observation]
    /// The approval requests the driver approved (whether its answer arrived or a later read showed it).
    public var granted: Set<ObjectKey>
    public var downtimes: [Downtime]
    public var journal: RoundJournal

    public init(
        listings: [String: [JSON]], observations: [Observation], granted: Set<ObjectKey>, downtimes: [Downtime],
        journal: RoundJournal
    ) {
        self.listings = listings
        self.observations = observations
        self.granted = granted
        self.downtimes = downtimes
        self.journal = journal
    }

    /// What a play must satisfy on its own, the baseline included: no step taken twice, every TimedWait ended
    /// at its deadline, each approval recorded and accepted once, every list shown durable.
    ///
    /// - Parameters:
    ///   - actor: The actor the driver's approvals are recorded with.
    ///   - slack: How late after its deadline (or the restart after it) a TimedWait may end, in milliseconds.
    public func problems(actor: String, slack: Int64) throws -> [String] {
        let entries = journal.entries
        return JournalChecks.repeatedSteps(Steps.count(entries))
            + JournalChecks.timedWaits(entries, downtimes: downtimes, slack: slack)
            + JournalChecks.approvals(entries, granted: granted, actor: actor)
            + (try Observations.problems(observations, records: journal.records))
    }

    /// How this play differs from the baseline: projections, steps, what each member received, approvals.
    public func differences(from baseline: Play) -> [String] {
        var problems = Projection.differences(
            baseline: Projection.normalize(baseline.listings), round: Projection.normalize(listings))
        problems += JournalChecks.stepDifferences(baseline: Steps.count(baseline.journal.entries), round: Steps.count(journal.entries))
        problems += JournalChecks.memberApplicationDifferences(
            baseline: JournalChecks.memberApplications(baseline.journal.entries),
            round: JournalChecks.memberApplications(journal.entries))
        if granted != baseline.granted {
            let names = { (keys: Set<ObjectKey>) in keys.sorted().map(\.description).joined(separator: ", ") }
            problems.append("approved \(names(granted)); the baseline approved \(names(baseline.granted))")
        }
        return problems
    }
}
