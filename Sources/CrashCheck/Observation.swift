import FleetAPI
import Journal
import Rollout

/// A list a live server answered: what it showed, and the resourceVersion (the seq) it said that state was at.
public struct Observation: Sendable {
    public enum Source: Sendable, Hashable, CustomStringConvertible {
        /// A kind listed on the hub across all namespaces, in this apiVersion.
        case hub(ResourceKind, apiVersion: String)
        /// A kind listed in a member's view (`/members/<name>/...`).
        case member(String, ResourceKind)

        public var description: String {
            switch self {
            case .hub(let kind, _): kind.kind
            case .member(let member, let kind): "member \(member) \(kind.kind)"
            }
        }
    }

    public var source: Source
    public var resourceVersion: Int64
    public var items: [JSON]

    public init(source: Source, resourceVersion: Int64, items: [JSON]) {
        self.source = source
        self.resourceVersion = resourceVersion
        self.items = items
    }
}

/// A resourceVersion once shown names the same state forever: every list a server showed must be exactly what
/// the final journal holds at that seq. A server that shows state before it is durable and then dies breaks
/// this: after the restart that seq is missing or names other events.
public enum Observations {
    public static func problems(_ observations: [Observation], records: [RecordedEvent]) throws -> [String] {
        let lastSeq = records.last?.seq ?? 0
        var pending = observations.sorted { $0.resourceVersion < $1.resourceVersion }[...]
        var problems: [String] = []
        var state = HubState()
        func compare(through seq: Int64) {
            while let observation = pending.first, observation.resourceVersion <= seq {
                pending.removeFirst()
                guard observation.resourceVersion == seq else { continue }
                let held = render(observation.source, state)
                if held != observation.items {
                    let paths = JSONDifference.paths(.array(held), .array(observation.items), limit: 2, reference: "journal")
                    problems.append(
                        "\(observation.source) shown at resourceVersion \(seq) is not what the journal holds there: "
                            + paths.joined(separator: "; "))
                }
            }
        }
        compare(through: 0)
        for record in records {
            state.evolve(try Envelope(record))
            compare(through: record.seq)
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
        }
    }
}
