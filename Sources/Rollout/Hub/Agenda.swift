import FleetAPI
import Foundation
import HeapModule

/// The hub's timed work, in time order: member work finishing, run deadlines and simulated workloads' rollouts. Ties keep insertion order so
/// virtual time replays the same way every time. Heaps, so adding and taking cost log n however much waits.
struct Agenda {
    enum Item: Hashable {
        case member(MemberWork)
        /// An object's next deadline: a run's TimedWait ends or an in-flight cluster turns stuck; a simulated
        /// workload rolls out.
        case deadline(ObjectKey)
    }

    struct Entry: Comparable {
        var time: Date
        var order: Int
        var item: Item

        static func < (lhs: Entry, rhs: Entry) -> Bool { (lhs.time, lhs.order) < (rhs.time, rhs.order) }
        static func == (lhs: Entry, rhs: Entry) -> Bool { lhs.time == rhs.time && lhs.order == rhs.order }
    }

    private var work = Heap<Entry>()
    private var deadlineHeap = Heap<Entry>()
    private var counter = 0
    /// Each run's current deadline; a deadline entry for another time is stale and skipped.
    private var deadlines: [ObjectKey: Date] = [:]

    /// When the next item falls due.
    mutating func nextTime() -> Date? {
        dropStaleDeadlines()
        return [work.min?.time, deadlineHeap.min?.time].compactMap { $0 }.min()
    }

    /// The items waiting, in no order.
    var items: [Item] { work.unordered.map(\.item) + deadlines.keys.map { .deadline($0) } }

    mutating func add(_ work: MemberWork, at time: Date) {
        counter += 1
        self.work.insert(Entry(time: time, order: counter, item: .member(work)))
    }

    /// Sets when `run` must be looked at again, or clears it; re-setting the same time adds nothing.
    mutating func setDeadline(_ run: ObjectKey, at time: Date?) {
        guard deadlines[run] != time else { return }
        deadlines[run] = time
        guard let time else { return }
        counter += 1
        deadlineHeap.insert(Entry(time: time, order: counter, item: .deadline(run)))
    }

    /// The earliest item due by `time`.
    mutating func popDue(at time: Date) -> (time: Date, item: Item)? {
        dropStaleDeadlines()
        guard let earliest = [work.min, deadlineHeap.min].compactMap({ $0 }).min(), earliest.time <= time else {
            return nil
        }
        if case .deadline(let run) = earliest.item {
            deadlineHeap.removeMin()
            deadlines[run] = nil
        } else {
            work.removeMin()
        }
        return (earliest.time, earliest.item)
    }

    /// Every run whose deadline is due by `time`, taken off the agenda: a write at that moment reconciles them
    /// as a full scan would, before their timer fires.
    mutating func takeDueDeadlines(at time: Date) -> [ObjectKey] {
        var due: [ObjectKey] = []
        while let first = deadlineHeap.min, first.time <= time {
            deadlineHeap.removeMin()
            guard case .deadline(let run) = first.item, deadlines[run] == first.time else { continue }
            deadlines[run] = nil
            due.append(run)
        }
        return due
    }

    private mutating func dropStaleDeadlines() {
        while let first = deadlineHeap.min, case .deadline(let run) = first.item, deadlines[run] != first.time {
            deadlineHeap.removeMin()
        }
    }
}
