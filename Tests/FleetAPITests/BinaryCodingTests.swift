import Foundation
import Testing

@testable import FleetAPI

private struct Record: Codable, Equatable {
    enum Phase: String, Codable { case before, after }

    struct Entry: Codable, Equatable {
        var name: String
        var note: String?
        var counts: [Int]
    }

    var name: String
    var phase: Phase
    var created: Date
    var updated: Date?
    var generation: Int64
    var ratio: Double
    var small: Float
    var enabled: Bool
    var widths: [UInt8]
    var huge: UInt64
    var labels: [String: String]
    var byIndex: [Int: Entry]
    var entries: [Entry]
    var nested: [[String]]
    var raw: JSON
    var maybeRaw: JSON?
}

/// Reads its fields in another order than it writes them, and skips one: lookups must not depend on order.
private struct Reordered: Codable, Equatable {
    var first: String
    var second: Int
    var third: [String]

    enum CodingKeys: String, CodingKey { case first, second, third, ignored }

    init(first: String, second: Int, third: [String]) {
        self.first = first
        self.second = second
        self.third = third
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        third = try container.decode([String].self, forKey: .third)
        first = try container.decode(String.self, forKey: .first)
        second = try container.decode(Int.self, forKey: .second)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(first, forKey: .first)
        try container.encode(["skipped": 1] as [String: Int], forKey: .ignored)
        try container.encode(second, forKey: .second)
        var nested = container.nestedUnkeyedContainer(forKey: .third)
        for element in third { try nested.encode(element) }
    }
}

/// A cluster status as another writer might have written it: optionals as null, and maybe an entry the type does
/// not know.
private struct LooseClusterStatus: Encodable {
    var clusterName: String?
    var extra: String?

    enum CodingKeys: String, CodingKey { case clusterName, extra, conditions, clusterResourceOverrideSnapshots }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(clusterName, forKey: .clusterName)
        try container.encodeIfPresent(extra, forKey: .extra)
        try container.encodeNil(forKey: .conditions)
        try container.encodeNil(forKey: .clusterResourceOverrideSnapshots)
    }
}

/// A stage status, and a condition, as a writer with one more field than this build's would write them.
private struct StageStatusWithExtra: Encodable {
    var stageName = "canary"
    var clusters: [LooseClusterStatus] = []
    var conditions: [ConditionWithExtra]
    var extra: Int?
}

private struct ConditionWithExtra: Encodable {
    var type = "Progressing"
    var status = "True"
    var reason = "StageUpdatingStarted"
    var message = ""
    var lastTransitionTime = Date(timeIntervalSince1970: 1_753_219_688)
    var extra: Int?
}

private let record = Record(
    name: "run-1", phase: .after, created: Date(timeIntervalSince1970: 1_753_219_688.25), updated: nil,
    generation: -7, ratio: 0.1, small: 0.5, enabled: true, widths: [0, 255], huge: .max,
    labels: ["zone": "b", "app": "web", "": "empty"],
    byIndex: [10: .init(name: "ten", note: nil, counts: []), -2: .init(name: "minus", note: "n", counts: [1, -1])],
    entries: [.init(name: "a", note: "run-1", counts: [Int.min, Int.max])], nested: [[], ["x", "run-1"]],
    raw: ["metadata": ["name": "cm", "labels": ["a": "1"]], "data": [1, 2.5, true, nil, "s", [:], []]],
    maybeRaw: ["k": [1]])

struct BinaryCodingTests {
    @Test func aValueRoundTripsExactly() throws {
        let bytes = try BinaryValueEncoder().encode(record)
        #expect(try BinaryValueDecoder().decode(Record.self, from: bytes) == record)
    }

    @Test func jsonTreesRoundTripWithTheirNumberKinds() throws {
        let tree: JSON = ["int": 3, "double": 3.0, "negative": -0.0, "big": .int(.min), "nested": [["k": nil]]]
        let back = try BinaryValueDecoder().decode(JSON.self, from: try BinaryValueEncoder().encode(tree))
        #expect(back == tree)
        #expect(back["double"] == .double(3))
        #expect(back["int"] == .int(3))
    }

    @Test func equalValuesGiveEqualBytesWhateverTheirHashOrder() throws {
        let labels = Dictionary(uniqueKeysWithValues: (0..<200).map { ("key-\($0)", "value-\($0)") })
        var shuffled: [String: String] = [:]
        for key in labels.keys.shuffled() { shuffled[key] = labels[key] }
        let indexed = Dictionary(uniqueKeysWithValues: (0..<200).map { ($0, String($0)) })
        #expect(try BinaryValueEncoder().encode(labels) == BinaryValueEncoder().encode(shuffled))
        #expect(try BinaryValueEncoder().encode(JSON.object(labels.mapValues { .string($0) }))
            == BinaryValueEncoder().encode(JSON.object(shuffled.mapValues { .string($0) })))
        #expect(try BinaryValueDecoder().decode([Int: String].self, from: BinaryValueEncoder().encode(indexed)) == indexed)
    }

    @Test func objectsOfOneShapeNestedOrNotReadAsTheyWereWritten() throws {
        // Objects of one shape are built from the first one's template; other shapes, an empty object, and objects
        // nested in one of the same shape each keep their own keys and values.
        let objects: JSON = .array((0..<50).map { index in
            [
                "kind": "ConfigMap", "metadata": ["name": .string("config-\(index)"), "generation": .int(Int64(index))],
                "data": index.isMultiple(of: 2) ? ["key": .string("\(index)")] : ["other": .string("\(index)"), "more": [:]],
                "nested": index.isMultiple(of: 5) ? ["kind": "Inner", "metadata": ["name": "inner", "generation": 0], "data": nil, "nested": nil] : nil,
            ]
        })
        #expect(try BinaryValueDecoder().decode(JSON.self, from: BinaryValueEncoder().encode(objects)) == objects)
    }

    @Test func partsOfAnArrayAreReadOnTheirOwn() throws {
        struct Items: Encodable { var items = Array(0..<10), name = "items" }
        let bytes = ArraySlice(try BinaryValueEncoder().encode(Items()))
        try BinaryValueDecoder().decodeFields(from: bytes) { fields in
            let items = try fields.value(forKey: "items")
            #expect(try items.count == 10)
            #expect(try items.elements(in: 2..<5) { try $0.integer(Int.self) } == [2, 3, 4])
            #expect(try items.elements(in: 10..<10) { try $0.integer(Int.self) } == [])
            #expect(throws: DecodingError.self) { try items.elements(in: 8..<11) { try $0.integer(Int.self) } }
            #expect(throws: DecodingError.self) { try fields.value(forKey: "absent") }
            #expect(throws: DecodingError.self) { try fields.value(forKey: "name").count }
        }
    }

    @Test func stringsAreStoredOnce() throws {
        let repeated = Array(repeating: "a string long enough to matter", count: 100)
        #expect(try BinaryValueEncoder().encode(repeated).count < 300)
    }

    @Test func entriesAreFoundInAnyOrderAndUnknownOnesAreSkipped() throws {
        let value = Reordered(first: "one", second: 2, third: ["three"])
        #expect(try BinaryValueDecoder().decode(Reordered.self, from: BinaryValueEncoder().encode(value)) == value)
    }

    @Test func runStatusesAndAppliedObjectsReadDirectlyAsCodableWroteThem() throws {
        let time = Date(timeIntervalSince1970: 1_753_219_688)
        var started = ClusterUpdatingStatus(clusterName: "member-1")
        started.conditions = [
            Condition(type: "Started", status: .true, reason: "ClusterUpdatingStarted", message: "started", observedGeneration: 2, lastTransitionTime: time),
            Condition(type: "Succeeded", status: .unknown, reason: "Waiting", message: "", observedGeneration: nil, lastTransitionTime: time + 0.5),
        ]
        var overridden = ClusterUpdatingStatus(clusterName: "member-2")
        overridden.clusterResourceOverrideSnapshots = ["cro-1"]
        overridden.resourceOverrideSnapshots = [.init(name: "ro-1", namespace: "app")]
        var stage = StageUpdatingStatus(stageName: "canary", clusters: [started, overridden, ClusterUpdatingStatus(clusterName: "member-3")])
        stage.conditions = started.conditions
        stage.startTime = time
        stage.endTime = time + 60
        stage.beforeStageTaskStatus = [StageTaskStatus(type: .approval, approvalRequestName: "run-canary-before")]
        stage.afterStageTaskStatus = [StageTaskStatus(type: .timedWait)]
        let object: JSON = ["kind": "ConfigMap", "data": ["a": "1"]]
        let applied: [[JSON]] = [[object, "plain"], [object], []]
        #expect(try BinaryValueDecoder().decode(StageUpdatingStatus.self, from: BinaryValueEncoder().encode(stage)) == stage)
        let stages = [stage, StageUpdatingStatus(stageName: "prod", clusters: [])]
        #expect(try BinaryValueDecoder().decode([StageUpdatingStatus].self, from: BinaryValueEncoder().encode(stages)) == stages)
        #expect(try BinaryValueDecoder().decode([[JSON]].self, from: BinaryValueEncoder().encode(applied)) == applied)
    }

    @Test func aDirectReadTakesNullAsAbsentAndRefusesAMissingOrAnUnknownField() throws {
        let loose = [LooseClusterStatus(clusterName: "member-1")]
        #expect(try BinaryValueDecoder().decode([ClusterUpdatingStatus].self, from: BinaryValueEncoder().encode(loose))
            == [ClusterUpdatingStatus(clusterName: "member-1")])
        let nameless = [LooseClusterStatus(clusterName: nil)]
        #expect(throws: DecodingError.self) {
            try BinaryValueDecoder().decode([ClusterUpdatingStatus].self, from: BinaryValueEncoder().encode(nameless))
        }
        #expect(throws: DecodingError.self) {
            try BinaryValueDecoder().decode([Condition].self, from: BinaryValueEncoder().encode(loose))
        }
        // An image of a build with one more field is refused rather than read without it, at every level.
        let extra = [LooseClusterStatus(clusterName: "member-1", extra: "newer")]
        #expect(throws: DecodingError.self) {
            try BinaryValueDecoder().decode([ClusterUpdatingStatus].self, from: BinaryValueEncoder().encode(extra))
        }
        let plain = [StageStatusWithExtra(clusters: loose, conditions: [ConditionWithExtra()])]
        let read = try BinaryValueDecoder().decode([StageUpdatingStatus].self, from: BinaryValueEncoder().encode(plain))
        #expect(read.first?.conditions?.first?.reason == "StageUpdatingStarted" && read.first?.clusters.count == 1)
        for newer in [
            [StageStatusWithExtra(clusters: loose, conditions: [], extra: 1)],
            [StageStatusWithExtra(clusters: extra, conditions: [])],
            [StageStatusWithExtra(clusters: loose, conditions: [ConditionWithExtra(extra: 1)])],
        ] {
            #expect(throws: DecodingError.self) {
                try BinaryValueDecoder().decode([StageUpdatingStatus].self, from: BinaryValueEncoder().encode(newer))
            }
        }
    }

    @Test func valuesReadFromEqualBytesAreShared() throws {
        let shared = SharedByBytes<String>()
        var reads = 0
        func value(_ bytes: [UInt8], _ made: String) -> String {
            bytes.withUnsafeBufferPointer { bytes in
                shared.value(for: bytes) {
                    reads += 1
                    return made
                }
            }
        }
        #expect(value([1, 2, 3], "first") == "first")
        #expect(value([1, 2, 3], "again") == "first")
        #expect(value([1, 2, 4], "other") == "other")
        #expect(value([1, 2], "shorter") == "shorter")
        #expect(reads == 3)
        // Every run of a strategy holds the same snapshot: it is read once, and the runs share its storage.
        let snapshots = [
            StagedUpdateStrategySpec(stages: [StageConfig(name: "staging", labelSelector: nil)]),
            StagedUpdateStrategySpec(stages: [StageConfig(name: "staging", labelSelector: nil)]),
            StagedUpdateStrategySpec(stages: [StageConfig(name: "canary", labelSelector: nil)]),
        ]
        let read = try BinaryValueDecoder().decode([StagedUpdateStrategySpec].self, from: BinaryValueEncoder().encode(snapshots))
        #expect(read == snapshots)
        let storage = read.map { $0.stages.withUnsafeBufferPointer { $0.baseAddress } }
        #expect(storage[0] == storage[1] && storage[1] != storage[2])
    }

    @Test func damagedBytesAreRefused() throws {
        let bytes = try BinaryValueEncoder().encode(record)
        #expect(throws: DecodingError.self) { try BinaryValueDecoder().decode(Record.self, from: [UInt8]()) }
        #expect(throws: DecodingError.self) { try BinaryValueDecoder().decode(Record.self, from: [2] + bytes.dropFirst()) }
        #expect(throws: DecodingError.self) { try BinaryValueDecoder().decode(Record.self, from: bytes + [0]) }
        for cut in stride(from: 1, to: bytes.count, by: 7) {
            #expect(throws: DecodingError.self) { try BinaryValueDecoder().decode(Record.self, from: bytes.prefix(cut)) }
        }
        #expect(throws: DecodingError.self) { try BinaryValueDecoder().decode([String].self, from: bytes) }
    }
}
