import FleetAPI
import Foundation
import Journal
import Rollout

/// The hub as it stood at an earlier seq or time, under `/as-of/<seq|RFC 3339 time>/`: every read answers from
/// the journal replayed that far, and every write is refused, since the past does not change.
struct PastView: Sendable {
    let state: HubState
    /// The last seq the view holds.
    let seq: Int64
    /// When the view's last event was recorded: what tables count ages to.
    let time: Date

    /// Replays the journal to the moment `segment` names.
    static func at(_ segment: String, in journal: Journal) throws -> PastView {
        let seq: Int64
        if let number = Int64(segment) {
            seq = number
        } else if let time = KubeTime.parse(segment) {
            seq = try History.seq(journal, at: time)
        } else {
            throw KubeStatus.badRequest(
                "as-of: \"\(segment)\" is neither a seq (a whole number) nor an RFC 3339 time such as 2025-07-22T21:29:00Z")
        }
        do {
            let state = try History.state(journal, through: seq)
            return PastView(state: state, seq: seq, time: try History.time(journal, of: seq) ?? Date(timeIntervalSince1970: 0))
        } catch HistoryError.seqOutOfRange(let seq, let last) {
            throw KubeStatus.badRequest("as-of: seq \(seq) is not in the journal, which holds seqs 0 to \(last)")
        }
    }

    static func refuseWrite(_ method: String) -> KubeStatus {
        KubeStatus.methodNotAllowed("the hub's past under /as-of/ is read-only: \(method) is not allowed")
    }
}
