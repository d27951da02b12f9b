import CrashCheck
import FleetAPI

/// Makes the fuzz cases: for request `index`, a category in turn, then a hostile variant of it drawn from the
/// seeded generator, built from the manifests the hub serves so each request gets past the first check it meets.
struct Generator {
    var random: SplitMix64
    /// The namespace and objects the run creates first, so patches and updates have something to hit.
    static let namespace = "fuzz"
    static let target = "target"
    static let kinds = ResourceKind.all

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    mutating func next(_ index: Int) -> FuzzCase {
        let categories = FuzzCase.Category.allCases
        let category = categories[index % categories.count]
        let name = "fuzz-\(index)"
        var fuzzCase: FuzzCase
        switch category {
        case .jsonBody: fuzzCase = jsonBody(name)
        case .yamlBody: fuzzCase = yamlBody(name)
        case .protobufBody: fuzzCase = protobufBody(name)
        case .patch: fuzzCase = patch()
        case .path: fuzzCase = path(name)
        case .query: fuzzCase = query()
        case .selector: fuzzCase = selector()
        case .header: fuzzCase = header(name)
        case .oversized: fuzzCase = oversized()
        }
        fuzzCase.category = category
        return fuzzCase
    }

    // MARK: Where requests go

    static func collection(_ kind: ResourceKind, namespace: String = Generator.namespace) -> String {
        let prefix = kind.group.isEmpty ? "/api/\(kind.preferredVersion)" : "/apis/\(kind.group)/\(kind.preferredVersion)"
        return kind.namespaced ? "\(prefix)/namespaces/\(namespace)/\(kind.plural)" : "\(prefix)/\(kind.plural)"
    }

    static let configMaps = collection(.configMap)
    static let strategies = collection(kinds.first { $0.kind == "ClusterStagedUpdateStrategy" }!)

    /// A valid manifest of `kind` named `name`: the seed walkthrough's spec where it has one.
    static func manifest(_ kind: ResourceKind, name: String) -> JSON {
        var object = seeds[kind.kind] ?? [:]
        object["apiVersion"] = .string(kind.apiVersion)
        object["kind"] = .string(kind.kind)
        object["metadata"] = ["name": .string(name)]
        if kind.namespaced { object[path: ["metadata", "namespace"]] = .string(namespace) }
        return object
    }

    static let seeds: [String: JSON] = {
        let texts = [
            SeedManifests.placement, SeedManifests.strategy, SeedManifests.run, SeedManifests.namespace,
            SeedManifests.configMap(value: "v"), SeedManifests.memberCluster("m", labels: ["environment": "canary"]),
        ]
        var seeds: [String: JSON] = [:]
        for text in texts {
            // The seed manifests are the project's own fixed text; they always parse.
            guard let value = try? YAML.parse(text), let kind = value["kind"]?.stringValue else { continue }
            seeds[kind] = value
        }
        return seeds
    }()

    mutating func anyKind() -> ResourceKind { random.pick(Self.kinds) }

    // MARK: Values

    mutating func hostileValue(depth: Int = 0) -> JSON {
        switch random.int(0...11) {
        case 0: return .null
        case 1: return .bool(random.chance(0.5))
        case 2: return .int(random.pick([0, -1, Int64.max, Int64.min, 4_294_967_296]))
        case 3: return .double(random.pick([1e308, -0.0, Double.leastNonzeroMagnitude, 0.1]))
        case 4: return .string(random.pick(["", "UPPER", "a/b", "..", "-a-", String(repeating: "x", count: 300), "ü\u{0}\u{FFFD}"]))
        case 5: return .string(String(repeating: "a", count: random.int(1000...70_000)))
        case 6: return depth < 3 ? .array((0..<random.int(0...4)).map { _ in hostileValue(depth: depth + 1) }) : []
        case 7: return depth < 3 ? .object(["$patch": "delete", "x": hostileValue(depth: depth + 1)]) : [:]
        case 8: return Self.nested(random.int(100...600))
        case 9: return .array(Array(repeating: .int(1), count: random.int(1000...50_000)))
        case 10: return .object(Dictionary(uniqueKeysWithValues: (0..<random.int(100...5000)).map { ("k\($0)", JSON.string("v")) }))
        default: return .string(random.pick(["2025-13-45T99:99:99Z", "1e9999", "true", "null", "${x}", "{{x}}"]))
        }
    }

    /// `depth` arrays inside one another.
    static func nested(_ depth: Int) -> JSON {
        var value: JSON = "bottom"
        for _ in 0..<depth { value = [value] }
        return value
    }

    /// A manifest with one part of it made wrong: a field of the wrong type, bad metadata, a kind that does not
    /// match, and so on.
    mutating func brokenManifest(_ kind: ResourceKind, name: String) -> JSON {
        var object = Self.manifest(kind, name: name)
        let metadataPaths: [[String]] = [
            ["metadata", "name"], ["metadata", "namespace"], ["metadata", "labels"], ["metadata", "annotations"],
            ["metadata", "resourceVersion"], ["metadata", "uid"], ["metadata", "generateName"], ["metadata", "finalizers"],
            ["metadata", "ownerReferences"], ["metadata", "creationTimestamp"], ["metadata", "deletionTimestamp"],
            ["metadata", "managedFields"], ["metadata", "generation"],
        ]
        switch random.int(0...9) {
        case 0, 1, 2: object[path: random.pick(metadataPaths)] = hostileValue()
        case 3: object[path: [random.pick((object.objectValue ?? [:]).keys.sorted())]] = hostileValue()
        case 4: object["kind"] = .string(random.pick(["Pod", "", "configmap", anyKind().kind, "Status", "List"]))
        case 5: object["apiVersion"] = .string(random.pick(["v2", "", "nope.io/v1", "apps/v1", "placement.kubernetes-fleet.io/v9"]))
        case 6: object[path: ["metadata", "labels"]] = .object([random.pick(["-bad", "a/b/c", String(repeating: "k", count: 70), "ok"]): .string(random.pick(["", "-x-", String(repeating: "v", count: 70)]))])
        case 7: object["metadata"] = hostileValue()
        case 8: object[path: ["spec", random.pick(["policy", "strategy", "stages", "placementName", "resourceSelectors"])]] = hostileValue()
        default: object["status"] = hostileValue()
        }
        return object
    }

    // MARK: Bytes

    /// Text with one thing broken: cut short, a byte changed, added or dropped, invalid UTF-8, garbage appended.
    mutating func corrupted(_ text: [UInt8]) -> [UInt8] {
        var bytes = text
        guard !bytes.isEmpty else { return random.bytes(16) }
        let at = random.int(0...(bytes.count - 1))
        switch random.int(0...7) {
        case 0: bytes = Array(bytes[..<at])
        case 1: bytes[at] = UInt8.random(in: 0...255, using: &random)
        case 2: bytes.insert(random.pick([0x00, 0x22, 0x5C, 0x7B, 0x5B, 0xC3, 0xFF, 0x0A, 0x09, 0x3A]), at: at)
        case 3: bytes.remove(at: at)
        case 4: bytes.insert(contentsOf: [0xED, 0xA0, 0x80, 0xC0, 0xAF], at: at)
        case 5: bytes += random.bytes(random.int(1...64))
        case 6: bytes = [0xEF, 0xBB, 0xBF] + bytes
        default: bytes = random.bytes(random.int(1...2048))
        }
        return bytes
    }
}
