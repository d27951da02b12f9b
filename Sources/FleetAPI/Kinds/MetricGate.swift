import Foundation

/// A `MetricGate` task (Flotilla): the hub asks a Prometheus-compatible HTTP API
/// (`GET <address>/api/v1/query?query=...`) `count` times, `interval` apart, and the gate passes unless more than
/// `failureLimit` of the answers fail `successCondition`.
public struct MetricGate: Codable, Sendable, Hashable {
    public var address: String
    public var query: String
    public var successCondition: String
    public var interval: GoDuration?
    public var count: Int?
    public var failureLimit: Int?

    public init(
        address: String, query: String, successCondition: String, interval: GoDuration? = nil, count: Int? = nil,
        failureLimit: Int? = nil
    ) {
        self.address = address
        self.query = query
        self.successCondition = successCondition
        self.interval = interval
        self.count = count
        self.failureLimit = failureLimit
    }

    /// How many measurements the gate takes: 1 when `count` is omitted.
    public var measurements: Int { count ?? 1 }
    /// How many failed measurements it tolerates: none when `failureLimit` is omitted.
    public var allowedFailures: Int { failureLimit ?? 0 }
    /// The time between measurements: a minute when `interval` is omitted.
    public var spacing: TimeInterval { Double(interval?.milliseconds ?? 60_000) / 1000 }
}

/// A metric gate's `successCondition`: `result` compared with a number, such as `result >= 0.99`.
public struct MetricCondition: Sendable, Hashable {
    public struct ParseError: Error, Hashable, CustomStringConvertible {
        public var description: String
    }

    public enum Comparison: String, Sendable, CaseIterable {
        case atLeast = ">=", atMost = "<=", equal = "==", notEqual = "!=", above = ">", below = "<"
    }

    public let comparison: Comparison
    public let threshold: Double

    public init(parsing text: String) throws(ParseError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("result") else {
            throw ParseError(description: "must compare result with a number, such as result >= 0.99")
        }
        let rest = trimmed.dropFirst("result".count).trimmingCharacters(in: .whitespaces)
        // Two-character operators first, so `>=` is not read as `>`.
        guard let comparison = Comparison.allCases.first(where: { rest.hasPrefix($0.rawValue) }) else {
            throw ParseError(description: "the comparison must be one of >=, >, <=, <, ==, !=")
        }
        let number = rest.dropFirst(comparison.rawValue.count).trimmingCharacters(in: .whitespaces)
        guard let threshold = Double(number), threshold.isFinite else {
            throw ParseError(description: "\"\(number)\" is not a number to compare result with")
        }
        self.comparison = comparison
        self.threshold = threshold
    }

    public func holds(for value: Double) -> Bool {
        switch comparison {
        case .atLeast: value >= threshold
        case .atMost: value <= threshold
        case .equal: value == threshold
        case .notEqual: value != threshold
        case .above: value > threshold
        case .below: value < threshold
        }
    }
}
