import Foundation

extension CustomColumn {
    /// The column as `kubectl get` shows it: the CRD's name in capitals, its cell read by the column's
    /// JSONPath. A `date` shows as an age, as the API server's table convertor computes it.
    var printerColumn: PrinterColumn {
        let path = Self.steps(jsonPath)
        let type = type
        return PrinterColumn(name.uppercased(), type: type) { object, now in
            guard let steps = path, let value = Self.evaluate(steps, in: object) else { return "" }
            if type == "date" {
                guard let text = value.stringValue, let date = KubeTime.parse(text) else { return "<invalid>" }
                return KubeTime.age(from: date, to: now)
            }
            switch value {
            case .array, .object: return value.serializedString()
            default: return ResourceKind.text(value)
            }
        }
    }

    private enum Step {
        case member(String)
        case index(Int)
    }

    /// A simple JSONPath (`.spec.replicas`, `.status.items[0].name`) taken apart; nil for anything else.
    private static func steps(_ path: String) -> [Step]? {
        var steps: [Step] = []
        var rest = Substring(path.hasPrefix("{") && path.hasSuffix("}") ? String(path.dropFirst().dropLast()) : path)
        while !rest.isEmpty {
            if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                let name = rest.prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty else { return nil }
                steps.append(.member(String(name)))
                rest = rest.dropFirst(name.count)
            } else if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]"), let index = Int(rest[rest.index(after: rest.startIndex)..<close]) else {
                    return nil
                }
                steps.append(.index(index))
                rest = rest[rest.index(after: close)...]
            } else {
                return nil
            }
        }
        return steps
    }

    private static func evaluate(_ steps: [Step], in object: JSON) -> JSON? {
        var value: JSON? = object
        for step in steps {
            switch step {
            case .member(let name): value = value?[name]
            case .index(let index):
                guard let elements = value?.arrayValue, elements.indices.contains(index) else { return nil }
                value = elements[index]
            }
        }
        return value
    }
}
