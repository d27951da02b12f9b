import Foundation
import Testing

@testable import FleetAPI

@Suite struct JSONSerializeTests {
    @Test func compactSortedCanonical() {
        let value: JSON = [
            "b": [1, 2.5, true, nil, "x"], "a": ["z": 1, "y": [:], "x": []], "é": "accent", "Z": "upper", "aa": false,
        ]
        #expect(
            value.serializedString()
                == #"{"Z":"upper","a":{"x":[],"y":{},"z":1},"aa":false,"b":[1,2.5,true,null,"x"],"é":"accent"}"#)
        #expect(value.description == value.serializedString())
    }

    @Test func keyOrderIsByUTF8Bytes() {
        // U+FF21 (EF BC A1) sorts after U+00E9 (C3 A9) and after "~" by bytes.
        let value: JSON = ["Ａ": 1, "é": 2, "~": 3, "a": 4, "A": 5, "a1": 6, "a-": 7]
        #expect(value.serializedString() == #"{"A":5,"a":4,"a-":7,"a1":6,"~":3,"é":2,"Ａ":1}"#)
    }

    @Test func stableUnderInsertionOrder() throws {
        var first: JSON = .emptyObject
        for i in 0..<200 { first["key\(i)"] = .int(Int64(i)) }
        var second: JSON = .emptyObject
        for i in (0..<200).reversed() { second["key\(i)"] = .int(Int64(i)) }
        #expect(first.serialized() == second.serialized())
        let reparsed = try JSON.parse(first.serialized())
        #expect(reparsed.serialized() == first.serialized())
    }

    @Test func minimalEscaping() {
        let value = JSON.string("q\" b\\ / <&> \u{7F} é 😀 \n\r\t\u{8}\u{C}\u{0}\u{1F}\u{2028}")
        #expect(
            value.serializedString() == #""q\" b\\ / <&> "# + "\u{7F} é 😀 " + #"\n\r\t\b\f\u0000\u001f"# + "\u{2028}\"")
    }

    /// Strings are scanned eight bytes at a time; each byte that needs escaping must be found wherever it lies in
    /// the word, beside bytes that do not (multi-byte UTF-8, 0x7F, the bytes just above the ones escaped).
    @Test func escapingFindsEachByteAtEveryPosition() {
        let special: [(Character, String)] = [("\"", #"\""#), ("\\", #"\\"#), ("\n", #"\n"#), ("\u{0}", #"\u0000"#), ("\u{1F}", #"\u001f"#)]
        let filler: [Character] = ["a", "é", "\u{7F}", " ", "#", "]", "!"]
        for (byte, escaped) in special {
            for length in 1...19 {
                for position in 0..<length {
                    var text = ""
                    var expected = ""
                    for index in 0..<length {
                        let character = index == position ? byte : filler[(index + length) % filler.count]
                        text.append(character)
                        expected += index == position ? escaped : String(character)
                    }
                    #expect(JSON.string(text).serializedString() == "\"" + expected + "\"", "\(escaped) at \(position) of \(length)")
                }
            }
        }
    }

    @Test func numbersAsGoPrintsThem() {
        func text(_ d: Double) -> String { JSON.double(d).serializedString() }
        #expect(text(1) == "1")
        #expect(text(-3) == "-3")
        #expect(text(1.5) == "1.5")
        #expect(text(0.1) == "0.1")
        #expect(text(100.5) == "100.5")
        #expect(text(-0.0) == "-0")
        #expect(text(1e20) == "100000000000000000000")
        #expect(text(1e21) == "1e+21")
        #expect(text(1.5e300) == "1.5e+300")
        #expect(text(1.7976931348623157e308) == "1.7976931348623157e+308")
        #expect(text(0.000001) == "0.000001")
        #expect(text(0.0000012) == "0.0000012")
        #expect(text(1e-7) == "1e-7")
        #expect(text(2.5e-10) == "2.5e-10")
        #expect(text(.leastNonzeroMagnitude) == "5e-324")
        #expect(text(123456789.125) == "123456789.125")
        #expect(text(9_007_199_254_740_992) == "9007199254740992")
        #expect(text(1.2345678901234567e19) == "12345678901234567000")
        #expect(text(.nan) == "null")
        #expect(text(.infinity) == "null")
        #expect(JSON.int(Int64.min).serializedString() == "-9223372036854775808")
        #expect(JSON.int(Int64.max).serializedString() == "9223372036854775807")
        #expect(JSON.int(0).serializedString() == "0")
    }

    @Test func roundTrip() throws {
        let value: JSON = [
            "apiVersion": "placement.kubernetes-fleet.io/v1beta1",
            "kind": "ClusterStagedUpdateRun",
            "metadata": ["name": "run-1", "generation": 3, "labels": ["app.kubernetes.io/name": "fleet"]],
            "spec": ["stages": [["name": "staging", "waitTime": "1m", "ratio": 0.25]], "big": .int(Int64.max)],
            "unicode": "Grüße, 世界 😀 \u{1}\"quoted\"\\",
            "empty": ["o": [:], "a": [], "s": "", "n": nil],
        ]
        let bytes = value.serialized()
        #expect(try JSON.parse(bytes) == value)
        #expect(try JSON.parse(value.serializedString()) == value)
        #expect(try JSON.parse(value.prettyPrinted()) == value)
        var buffer: [UInt8] = Array("prefix:".utf8)
        value.serialize(into: &buffer)
        #expect(buffer == Array("prefix:".utf8) + bytes)
    }

    @Test func prettyPrintedLikeKubectl() {
        let value: JSON = [
            "kind": "List", "items": [], "metadata": ["resourceVersion": ""],
            "spec": ["stages": [["name": "a", "labels": [:]], 2], "flag": true],
        ]
        #expect(
            value.prettyPrinted() == """
                {
                    "items": [],
                    "kind": "List",
                    "metadata": {
                        "resourceVersion": ""
                    },
                    "spec": {
                        "flag": true,
                        "stages": [
                            {
                                "labels": {},
                                "name": "a"
                            },
                            2
                        ]
                    }
                }
                """)
        #expect(JSON.array([1, 2]).prettyPrinted(indent: 2) == "[\n  1,\n  2\n]")
        #expect(JSON.string("x").prettyPrinted() == #""x""#)
    }
}
