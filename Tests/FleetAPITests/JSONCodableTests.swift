import Foundation
import Testing

@testable import FleetAPI

private struct Strategy: Codable, Equatable {
    struct Spec: Codable, Equatable {
        var stages: [Stage]
    }
    struct Stage: Codable, Equatable {
        var name: String
        var labelSelector: [String: String]?
        var sortingLabelKey: String?
        var afterStageTasks: [StageTask]?
        var maxConcurrency: Int32?
    }
    struct StageTask: Codable, Equatable {
        enum Kind: String, Codable { case timedWait = "TimedWait", approval = "Approval" }
        var type: Kind
        var waitTime: String?
    }
    enum Priority: Int, Codable { case low = 1, high = 10 }

    var apiVersion: String
    var kind: String
    var spec: Spec
    var created: Date
    var updated: Date?
    var generation: Int64
    var ratio: Double
    var enabled: Bool
    var annotations: [String: String]
    var priority: Priority
    var scores: [String: [Int]]
    var raw: JSON?
}

private struct Widths: Codable, Equatable {
    var i8: Int8, i16: Int16, i32: Int32, i64: Int64, i: Int
    var u8: UInt8, u16: UInt16, u32: UInt32, u64: UInt64, u: UInt
    var f: Float, d: Double
    var optionals: [Int?]
    var matrix: [[Int]]
    var byInt: [Int: String]
    var data: Data
    var url: URL
}

/// Hand-written coding through nested containers and a super encoder.
private struct Custom: Codable, Equatable {
    var a: Int
    var inner: [String]
    var base: String

    enum Keys: String, CodingKey { case a, nested, list }

    init(a: Int, inner: [String], base: String) {
        self.a = a
        self.inner = inner
        self.base = base
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(a, forKey: .a)
        var nested = container.nestedContainer(keyedBy: Keys.self, forKey: .nested)
        var list = nested.nestedUnkeyedContainer(forKey: .list)
        for item in inner { try list.encode(item) }
        var superContainer = container.superEncoder().singleValueContainer()
        try superContainer.encode(base)
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        a = try container.decode(Int.self, forKey: .a)
        let nested = try container.nestedContainer(keyedBy: Keys.self, forKey: .nested)
        var list = try nested.nestedUnkeyedContainer(forKey: .list)
        var items: [String] = []
        while !list.isAtEnd { items.append(try list.decode(String.self)) }
        inner = items
        base = try container.superDecoder().singleValueContainer().decode(String.self)
    }
}

@Suite struct JSONCodableTests {
    fileprivate let strategy = Strategy(
        apiVersion: "placement.kubernetes-fleet.io/v1beta1",
        kind: "ClusterStagedUpdateStrategy",
        spec: .init(stages: [
            .init(
                name: "staging", labelSelector: ["environment": "staging"], sortingLabelKey: nil,
                afterStageTasks: [.init(type: .timedWait, waitTime: "1m")], maxConcurrency: 2),
            .init(
                name: "prod", labelSelector: nil, sortingLabelKey: "order",
                afterStageTasks: [.init(type: .approval, waitTime: nil)], maxConcurrency: nil),
        ]),
        created: Date(timeIntervalSince1970: 1_753_219_688),
        updated: nil,
        generation: 3,
        ratio: 0.25,
        enabled: true,
        annotations: ["a": "1", "b": "two"],
        priority: .high,
        scores: ["x": [1, 2], "y": []],
        raw: ["free": ["form": [1, "two", nil]]])

    @Test func encodesToExpectedTree() throws {
        let json = try JSONValueEncoder().encode(strategy)
        #expect(
            json.serializedString()
                == #"{"annotations":{"a":"1","b":"two"},"apiVersion":"placement.kubernetes-fleet.io/v1beta1","#
                + #""created":"2025-07-22T21:28:08Z","enabled":true,"generation":3,"kind":"ClusterStagedUpdateStrategy","#
                + #""priority":10,"ratio":0.25,"raw":{"free":{"form":[1,"two",null]}},"scores":{"x":[1,2],"y":[]},"#
                + #""spec":{"stages":[{"afterStageTasks":[{"type":"TimedWait","waitTime":"1m"}],"#
                + #""labelSelector":{"environment":"staging"},"maxConcurrency":2,"name":"staging"},"#
                + #"{"afterStageTasks":[{"type":"Approval"}],"name":"prod","sortingLabelKey":"order"}]}}"#)
        #expect(try JSON(encoding: strategy) == json)
    }

    @Test func roundTrips() throws {
        let json = try JSONValueEncoder().encode(strategy)
        #expect(try JSONValueDecoder().decode(Strategy.self, from: json) == strategy)
        #expect(try json.decode(Strategy.self) == strategy)
        #expect(try JSONValueDecoder().decode(Strategy.self, fromJSONBytes: json.serialized()) == strategy)
    }

    @Test func optionalsMissingOrNullAreNil() throws {
        var json = try JSON(encoding: strategy)
        json[path: ["spec", "stages"]] = [["name": "only", "labelSelector": nil, "maxConcurrency": nil]]
        json["updated"] = nil
        json["raw"] = .null
        let decoded = try json.decode(Strategy.self)
        #expect(decoded.spec.stages == [.init(name: "only", labelSelector: nil, sortingLabelKey: nil, afterStageTasks: nil, maxConcurrency: nil)])
        #expect(decoded.updated == nil)
        #expect(decoded.raw == nil)
    }

    @Test func datesAreRFC3339() throws {
        #expect(try JSON(encoding: Date(timeIntervalSince1970: 1_753_219_688.9)) == "2025-07-22T21:28:08Z")
        #expect(try JSON(encoding: Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
        #expect(try JSON(encoding: Date(timeIntervalSince1970: 1_709_164_800)) == "2024-02-29T00:00:00Z")
        #expect(try JSON.string("2025-07-22T21:28:08Z").decode(Date.self).timeIntervalSince1970 == 1_753_219_688)
        #expect(try JSON.string("2025-07-22t21:28:08z").decode(Date.self).timeIntervalSince1970 == 1_753_219_688)
        #expect(try JSON.string("2025-07-22T23:28:08+02:00").decode(Date.self).timeIntervalSince1970 == 1_753_219_688)
        let fractional = try JSON.string("2025-07-22T21:28:08.25-00:30").decode(Date.self)
        #expect(fractional.timeIntervalSince1970 == 1_753_219_688 + 1800.25)
        #expect(throws: DecodingError.self) { try JSON.string("2025-02-30T00:00:00Z").decode(Date.self) }
        #expect(throws: DecodingError.self) { try JSON.string("yesterday").decode(Date.self) }
        // Past four digits the year is written as it prints, then the rest.
        #expect(RFC3339.format(Date(timeIntervalSince1970: 253_402_300_799)) == "9999-12-31T23:59:59Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 253_402_300_800)) == "10000-01-01T00:00:00Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: -62_135_596_801)) == "0000-12-31T23:59:59Z")
        // Every field at every width, against Foundation's formatter.
        let reference = ISO8601DateFormatter()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let date = Date(timeIntervalSince1970: Double(Int64.random(in: 0...4_102_444_800, using: &generator)))
            #expect(RFC3339.format(date) == reference.string(from: date))
        }
    }

    @Test func integerWidthsAndFoundationTypes() throws {
        let value = Widths(
            i8: -128, i16: 32767, i32: -7, i64: .min, i: 42, u8: 255, u16: 65535, u32: 4_000_000_000,
            u64: 9_223_372_036_854_775_807, u: 7, f: 0.1, d: 2.5, optionals: [1, nil, 3], matrix: [[1, 2], [], [3]],
            byInt: [1: "one", 20: "twenty"], data: Data([0, 1, 2, 255]), url: URL(string: "https://example.com/a?b=c")!)
        let json = try JSON(encoding: value)
        #expect(
            json
                == [
                    "i8": -128, "i16": 32767, "i32": -7, "i64": .int(.min), "i": 42, "u8": 255, "u16": 65535,
                    "u32": 4_000_000_000, "u64": .int(.max), "u": 7, "f": 0.1, "d": 2.5, "optionals": [1, nil, 3],
                    "matrix": [[1, 2], [], [3]], "byInt": ["1": "one", "20": "twenty"], "data": "AAEC/w==",
                    "url": "https://example.com/a?b=c",
                ])
        #expect(try json.decode(Widths.self) == value)
        #expect(try JSON(encoding: UInt64.max) == .double(18_446_744_073_709_551_616))
        #expect(try JSON.double(3).decode(Int8.self) == 3)
        #expect(try JSON.int(5).decode(Double.self) == 5)
    }

    @Test func customNestedContainersAndSuperEncoder() throws {
        let value = Custom(a: 1, inner: ["x", "y"], base: "b")
        let json = try JSON(encoding: value)
        #expect(json == ["a": 1, "nested": ["list": ["x", "y"]], "super": "b"])
        #expect(try json.decode(Custom.self) == value)
        #expect(try JSON(encoding: [value]) == [json])
    }

    @Test func jsonIsCodableInsideFoundationCoders() throws {
        let value: JSON = ["a": [1, 2.5, "s", true, nil], "o": ["k": "v"]]
        let data = try JSONEncoder().encode(value)
        #expect(try JSON.parse(data) == value)
        #expect(try JSONDecoder().decode(JSON.self, from: data) == value)
        #expect(try JSON(encoding: value) == value)
        #expect(try value.decode(JSON.self) == value)
    }

    func decodingError<T: Decodable>(_ type: T.Type, _ json: JSON) -> DecodingError? {
        do {
            _ = try json.decode(type)
            return nil
        } catch let error as DecodingError {
            return error
        } catch {
            return nil
        }
    }

    fileprivate func strategyJSON(stages: JSON) throws -> JSON {
        var json = try JSON(encoding: strategy)
        json[path: ["spec", "stages"]] = stages
        return json
    }

    @Test func missingKeyPath() throws {
        let json = try strategyJSON(stages: [["labelSelector": ["a": "b"]]])
        let error = try #require(decodingError(Strategy.self, json))
        #expect(error.fieldPath == "spec.stages[0].name")
        #expect(error.reason == "required value")
        #expect(JSON.describe(error) == "spec.stages[0].name: required value")
        guard case .keyNotFound(let key, let context) = error else {
            Issue.record("expected keyNotFound, got \(error)")
            return
        }
        #expect(key.stringValue == "name")
        #expect(context.codingPath.map(\.stringValue) == ["spec", "stages", "Index 0"])
    }

    @Test func typeMismatchPath() throws {
        let json = try strategyJSON(stages: [
            ["name": "a", "afterStageTasks": [["type": "Approval"], ["type": "TimedWait", "waitTime": 5]]]
        ])
        let error = try #require(decodingError(Strategy.self, json))
        #expect(error.fieldPath == "spec.stages[0].afterStageTasks[1].waitTime")
        #expect(error.reason == "expected string, got number")
        guard case .typeMismatch(let type, _) = error else {
            Issue.record("expected typeMismatch, got \(error)")
            return
        }
        #expect(ObjectIdentifier(type) == ObjectIdentifier(String.self))
    }

    @Test func otherDecodingErrors() throws {
        let nullName = try #require(decodingError(Strategy.self, try strategyJSON(stages: [["name": nil]])))
        #expect(JSON.describe(nullName) == "spec.stages[0].name: required value")
        guard case .valueNotFound = nullName else {
            Issue.record("expected valueNotFound, got \(nullName)")
            return
        }
        let badEnum = try #require(
            decodingError(Strategy.self, try strategyJSON(stages: [["name": "a", "afterStageTasks": [["type": "Bogus"]]]])))
        #expect(badEnum.fieldPath == "spec.stages[0].afterStageTasks[0].type")
        let overflow = try #require(
            decodingError(Strategy.self, try strategyJSON(stages: [["name": "a", "maxConcurrency": 3_000_000_000]])))
        #expect(JSON.describe(overflow) == "spec.stages[0].maxConcurrency: number 3000000000 does not fit in Int32")
        let fraction = try #require(decodingError(Int.self, .double(1.5)))
        #expect(JSON.describe(fraction) == "expected integer, got number 1.5")
        let notObject = try #require(decodingError(Strategy.self, try strategyJSON(stages: ["oops"])))
        #expect(JSON.describe(notObject) == "spec.stages[0]: expected object, got string")
        let notArray = try #require(decodingError(Strategy.self, try strategyJSON(stages: ["a": 1])))
        #expect(JSON.describe(notArray) == "spec.stages: expected array, got object")
        let label = try #require(
            decodingError(Strategy.self, try strategyJSON(stages: [["name": "a", "labelSelector": ["app.kubernetes.io/name": 1]]])))
        #expect(label.fieldPath == "spec.stages[0].labelSelector[app.kubernetes.io/name]")
        #expect(label.reason == "expected string, got number")
        let top = try #require(decodingError(Strategy.self, .array([])))
        #expect(JSON.describe(top) == "expected object, got array")
    }

    @Test func encodingErrors() {
        struct Holder: Encodable { var values: [String: Double] }
        do {
            _ = try JSON(encoding: Holder(values: ["x": .nan]))
            Issue.record("expected an error")
        } catch {
            #expect(JSON.describe(error) == "values.x: unsupported value: nan is not a finite number")
        }
    }
}
