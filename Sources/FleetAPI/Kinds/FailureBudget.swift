/// `flotilla.dev/max-failures`: how many of a stage's clusters may fail before the run does, as a count or a
/// percentage of the stage (rounded down, as KubeFleet rounds `maxConcurrency`).
public enum FailureBudget: Sendable, Hashable, Codable {
    case count(Int)
    case percent(Int)

    /// A non-negative integer, or 0% to 100%; nil for anything else.
    public init?(parsing text: String) {
        let digits = text.hasSuffix("%") ? text.dropLast() : Substring(text)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), digits.count <= 9,
            let number = Int(digits)
        else { return nil }
        if text.hasSuffix("%") {
            guard number <= 100 else { return nil }
            self = .percent(number)
        } else {
            self = .count(number)
        }
    }

    /// The clusters of a stage of `clusters` that may fail.
    public func allowed(of clusters: Int) -> Int {
        switch self {
        case .count(let number): return number
        case .percent(let percent): return clusters * percent / 100
        }
    }
}
