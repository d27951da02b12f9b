import FleetAPI
import Foundation
import HeapModule

/// The hub's timed work, in time order: member work finishing and run deadlines. Ties keep insertion order so
/// virtual time replays the same way every time. A heap, so adding and taking cost log n however much waits.
struct Agenda {
    enum Item: Hashable {
        case member(MemberWork)
        /// A run's next deadline: a TimedWait ends or an in-flight cluster turns stuck.
        case deadline(ObjectKey)
    }

    struct Entry: Comparable {
        var time: Date
        var order: Int
        var item: Item

        static func < (lhs: Entry, rhs: Entry) -> Bool { (lhs.time, lhs.order) < (rhs.time, rhs.order) }
        static func == (lhs: Entry, rhs: Entry) -> Bool { lhs.time == rhs.time && lhs.order == rhs.order }
    }

    private var heap = Heap<Entry>()
    private var counter = 0
    /// Each run's current deadline; an entry for another time is stale and skipped.
    private var deadlines: [ObjectKey: Date] = [:]

    var next: Date? { heap.min?.time }

    /// The items waiting, in no order.
    var items: [Item] { heap.unordered.map(\.item) }

    mutating func add(_ item: Item, at time: Date) {
        counter += 1
        heap.insert(Entry(time: time, order: counter, item: item))
    }

    /// Sets when `run` must be looked at again, or clears it; re-setting the same time adds nothing.
    mutating func setDeadline(_ run: ObjectKey, at time: Date?) {
        guard deadlines[run] != time else { return }
        deadlines[run] = time
        if let time { add(.deadline(run), at: time) }
    }

    /// The earliest item due by `time`, skipping stale deadlines.
    mutating func popDue(at time: Date) -> (time: Date, item: Item)? {
        while let first = heap.min, first.time <= time {
            heap.removeMin()
            if case .deadline(let run) = first.item {
                guard deadlines[run] == first.time else { continue }
                deadlines[run] = nil
            }
            return (first.time, first.item)
        }
        return nil
    }
}
