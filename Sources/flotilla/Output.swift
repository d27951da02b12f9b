import ArgumentParser
import FleetAPI

/// `-o yaml|json`, as kubectl prints them.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case yaml, json

    /// One value: YAML as `kubectl get -o yaml`, JSON indented as `kubectl get -o json`, without managed fields as
    /// kubectl hides them.
    func render(_ value: JSON) -> String {
        let value = ManagedFields.hidden(from: value)
        return switch self {
        case .yaml: YAML.emit(value)
        case .json: value.prettyPrinted() + "\n"
        }
    }

    /// Several objects wrapped in a `List`, as kubectl prints a list.
    func render(list items: [JSON]) -> String {
        render(["apiVersion": "v1", "items": .array(items.map(ManagedFields.hidden)), "kind": "List", "metadata": ["resourceVersion": ""]])
    }
}

/// A failure `run()` reports in one line, without the usage text `ValidationError` adds.
struct CommandError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
