/// What the run saw: answers per category and status, and every violation of the rules.
struct Tally {
    /// Answers by category, then by status ("413", "no answer", "200 cut" for a watch still open).
    private(set) var outcomes: [FuzzCase.Category: [String: Int]] = [:]
    private(set) var violations: [String] = []
    private(set) var requests = 0
    private(set) var appendedByAccepted = 0

    mutating func record(_ fuzzCase: FuzzCase, outcome: String) {
        requests += 1
        outcomes[fuzzCase.category, default: [:]][outcome, default: 0] += 1
    }

    mutating func accepted(appending events: Int) { appendedByAccepted += events }

    mutating func violation(_ index: Int, _ fuzzCase: FuzzCase, _ what: String) {
        violations.append("#\(index) [\(fuzzCase.category.rawValue)] \(fuzzCase.method) \(fuzzCase.target.prefix(120)) (\(fuzzCase.label)): \(what)")
    }

    var summary: String {
        var lines = ["fuzz-api: \(requests) requests"]
        for category in FuzzCase.Category.allCases {
            guard let counts = outcomes[category] else { continue }
            let total = counts.values.reduce(0, +)
            let parts = counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            lines.append("  \(category.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)) \(String(total).leftPadded(5))  \(parts)")
        }
        lines.append("  events appended by accepted writes: \(appendedByAccepted); by refused ones: none unless listed below")
        if violations.isEmpty {
            lines.append("fuzz-api: no violations: no 5xx, the hub always answered, no refused request appended to the journal")
        } else {
            lines.append("fuzz-api: \(violations.count) violations:")
            lines += violations.prefix(50).map { "  " + $0 }
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
