import Foundation

/// The hub's timed work, in time order: member work finishing and run deadlines. Ties keep insertion order so
/// virtual time replays the same way every time.
struct Agenda {
    enum Item: Hashable {
        case member(MemberWork)
        case deadline
    }

    private(set) var entries: [(time: Date, order: Int, item: Item)] = []
    private var counter = 0

    var next: Date? { entries.first?.time }

    mutating func add(_ item: Item, at time: Date) {
        if case .deadline = item, entries.contains(where: { $0.item == item && $0.time == time }) { return }
        counter += 1
        let entry = (time: time, order: counter, item: item)
        let index = entries.firstIndex { ($0.time, $0.order) > (time, counter) } ?? entries.endIndex
        entries.insert(entry, at: index)
    }

    mutating func popDue(at time: Date) -> (time: Date, item: Item)? {
        guard let first = entries.first, first.time <= time else { return nil }
        entries.removeFirst()
        return (first.time, first.item)
    }

    mutating func removeDeadlines() {
        entries.removeAll { $0.item == .deadline }
    }
}
