import FleetAPI
import Journal
import Rollout

/// What a live server showed, and the resourceVersion (the seq) it said that state was at: a list, or one
/// object a watch streamed.
public struct Observation: Sendable {
    public enum Source: Sendable, Hashable, CustomStringConvertible {
        /// A kind listed on the hub across all namespaces, in this apiVersion.
        case hub(ResourceKind, apiVersion: String)
        /// A kind listed in a member's view (`/members/<name>/...`).
        case member(String, ResourceKind)
        /// One object as a watch in this apiVersion showed it; its items are that object alone.
        case object(ObjectKey, apiVersion: String)

        public var description: String {
            switch self {
            case .hub(let kind, _): kind.kind
            case .member(let member, let kind): "member \(member) \(kind.kind)"
            case .object(let key, _): "watched \(key)"
            }
        }
    }

    public var source: Source
    public var resourceVersion: Int64
    public var items: [JSON]
    /// Which server showed it: 1 for the first started, 2 for the first restart, and so on.
    public var server: Int
    /// When that server was SIGKILLed, in milliseconds since the Unix epoch; nil if it was not.
    public var serverKilledAt: Int64?

    public init(source: Source, resourceVersion: Int64, items: [JSON], server: Int = 1, serverKilledAt: Int64? = nil) {
        self.source = source
        self.resourceVersion = resourceVersion
        self.items = items
        self.server = server
        self.serverKilledAt = serverKilledAt
    }
}

/// A resourceVersion once shown names the same state forever, and nothing is shown before it is durable.
///
/// Every state a server showed must be exactly what the final journal holds at that seq; and if that server was
/// killed, the event at that seq must have been recorded before the kill. A server that shows state before it
/// is durable and then dies breaks this even when its successor happens to record the same state under that
/// seq again: the event there then carries a time after the kill.
public enum Observations {
    public static func problems(_ observations: [Observation], records: [RecordedEvent]) throws -> [String] {
        let lastSeq = records.last?.seq ?? 0
        var pending = observations.sorted { $0.resourceVersion < $1.resourceVersion }[...]
        var problems: [String] = []
        var state = HubState()
        /// Checks the observations at `seq`, whose event (none for seq 0) was recorded at `time`.
        func compare(through seq: Int64, recordedAt time: Int64?) {
            while let observation = pending.first, observation.resourceVersion <= seq {
                pending.removeFirst()
                guard observation.resourceVersion == seq else { continue }
                if let killedAt = observation.serverKilledAt, let time, time > killedAt {
                    problems.append(
                        "\(observation.source) shown at resourceVersion \(seq) by server \(observation.server) before it was "
                            + "durable: the server was killed, and the event at seq \(seq) was recorded "
                            + "\(JournalChecks.seconds(time - killedAt)) after that")
                    continue
                }
                let held = render(observation.source, state)
                if held != observation.items {
                    let paths = JSONDifference.paths(.array(held), .array(observation.items), limit: 2, reference: "journal")
                    problems.append(
                        "\(observation.source) shown at resourceVersion \(seq) is not what the journal holds there: "
                            + paths.joined(separator: "; "))
                }
            }
        }
        compare(through: 0, recordedAt: nil)
        for record in records {
            state.evolve(try Envelope(record))
            compare(through: record.seq, recordedAt: record.time)
        }
        for observation in pending {
            problems.append(
                "\(observation.source) shown at resourceVersion \(observation.resourceVersion), "
                    + "but the journal ends at seq \(lastSeq)")
        }
        return problems
    }

    /// What the server's list would show from `state`.
    static func render(_ source: Observation.Source, _ state: HubState) -> [JSON] {
        switch source {
        case .hub(let kind, let apiVersion):
            return state.render(kind: kind).map { item in
                var item = item
                item["apiVersion"] = .string(apiVersion)
                return item
            }
        case .member(let member, let kind):
            return (state.members[member]?.objects ?? []).filter { $0["kind"]?.stringValue == kind.kind }
        case .object(let key, let apiVersion):
            guard var object = state.render(key) else { return [] }
            object["apiVersion"] = .string(apiVersion)
            return [object]
        }
    }
}
