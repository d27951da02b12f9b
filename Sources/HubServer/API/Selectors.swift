import FleetAPI

/// `labelSelector` and `fieldSelector` query parameters, in Kubernetes' string syntax.
struct Selectors: Sendable {
    var labels: LabelSelector?
    var fields: [(key: String, value: String, equal: Bool)] = []

    init(query: [String: String]) throws {
        if let text = query["labelSelector"], !text.isEmpty { labels = try Self.parseLabels(text) }
        if let text = query["fieldSelector"], !text.isEmpty {
            for term in text.split(separator: ",") {
                let (key, value, equal) = try Self.split(String(term))
                guard ["metadata.name", "metadata.namespace"].contains(key) else {
                    throw KubeStatus.badRequest("field label not supported: \(key)")
                }
                fields.append((key, value, equal))
            }
        }
    }

    var isEmpty: Bool { labels == nil && fields.isEmpty }

    func matches(_ object: JSON) -> Bool {
        let metadata = object["metadata"] ?? .emptyObject
        if let labels {
            let values = (metadata["labels"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
            if !labels.matches(values) { return false }
        }
        for field in fields {
            let actual = metadata[field.key == "metadata.name" ? "name" : "namespace"]?.stringValue ?? ""
            if (actual == field.value) != field.equal { return false }
        }
        return true
    }

    static func split(_ term: String) throws -> (String, String, Bool) {
        if let range = term.range(of: "!=") {
            return (String(term[..<range.lowerBound]), String(term[range.upperBound...]), false)
        }
        if let range = term.range(of: "==") ?? term.range(of: "=") {
            return (String(term[..<range.lowerBound]), String(term[range.upperBound...]), true)
        }
        throw KubeStatus.badRequest("invalid selector: '\(term)'; can't understand '\(term)'")
    }

    /// `a=b,c!=d,e in (x,y),f notin (z),g,!h`.
    static func parseLabels(_ text: String) throws -> LabelSelector {
        var terms: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if character == ",", depth == 0 {
                terms.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        terms.append(current)
        var matchLabels: [String: String] = [:]
        var expressions: [LabelSelector.Requirement] = []
        for raw in terms {
            let term = raw.trimmingCharacters(in: .whitespaces)
            guard !term.isEmpty else { continue }
            let words = term.split(separator: " ", maxSplits: 1).map(String.init)
            if words.count == 2, let open = words[1].firstIndex(of: "("), let close = words[1].lastIndex(of: ")") {
                let op = words[1][..<open].trimmingCharacters(in: .whitespaces)
                let values = words[1][words[1].index(after: open)..<close].split(separator: ",").map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
                switch op {
                case "in": expressions.append(.init(key: words[0], operator: .in, values: values))
                case "notin": expressions.append(.init(key: words[0], operator: .notIn, values: values))
                default: throw KubeStatus.badRequest("unable to parse requirement: found '\(op)', expected: in, notin")
                }
            } else if term.hasPrefix("!") {
                expressions.append(.init(key: String(term.dropFirst()), operator: .doesNotExist))
            } else if term.contains("=") {
                let (key, value, equal) = try split(term)
                if equal {
                    matchLabels[key] = value
                } else {
                    expressions.append(.init(key: key, operator: .notIn, values: [value]))
                }
            } else {
                expressions.append(.init(key: term, operator: .exists))
            }
        }
        return LabelSelector(matchLabels: matchLabels.isEmpty ? nil : matchLabels, matchExpressions: expressions.isEmpty ? nil : expressions)
    }
}

import Foundation
