import Foundation
import Testing

@testable import FleetAPI

@Suite struct JSONParseTests {
    @Test func parsesAllKinds() throws {
        let value = try JSON.parse(#" {"a": 1, "b": [true, false, null], "c": "x", "d": -1.5, "e": {}, "f": []} "#)
        #expect(
            value
                == .object([
                    "a": .int(1), "b": .array([.bool(true), .bool(false), .null]), "c": .string("x"),
                    "d": .double(-1.5), "e": .object([:]), "f": .array([]),
                ]))
    }

    @Test func numbers() throws {
        #expect(try JSON.parse("0") == .int(0))
        #expect(try JSON.parse("-0") == .int(0))
        #expect(try JSON.parse("9223372036854775807") == .int(Int64.max))
        #expect(try JSON.parse("-9223372036854775808") == .int(Int64.min))
        #expect(try JSON.parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try JSON.parse("-9223372036854775809") == .double(-9_223_372_036_854_775_808))
        #expect(try JSON.parse("123456789012345678901234567890") == .double(1.2345678901234568e29))
        #expect(try JSON.parse("1.0") == .double(1))
        #expect(try JSON.parse("1e2") == .double(100))
        #expect(try JSON.parse("1E-2") == .double(0.01))
        #expect(try JSON.parse("2.5e+3") == .double(2500))
        #expect(try JSON.parse("[1,-2,3.25]") == .array([.int(1), .int(-2), .double(3.25)]))
    }

    @Test func stringsAndEscapes() throws {
        #expect(try JSON.parse(#""plain""#) == .string("plain"))
        #expect(try JSON.parse(#""""#) == .string(""))
        #expect(
            try JSON.parse(#""q\" b\\ s\/ \b\f\n\r\t""#) == .string("q\" b\\ s/ \u{8}\u{C}\n\r\t"))
        #expect(try JSON.parse(#""\u00e9\u4e16\u754C""#) == .string("é世界"))
        #expect(try JSON.parse(#""\ud83d\ude00 smile""#) == .string("😀 smile"))
        #expect(try JSON.parse("\"héllo 世界 😀\"") == .string("héllo 世界 😀"))
        #expect(try JSON.parse(#""\u0000""#) == .string("\u{0}"))
        // Lone surrogates become U+FFFD, as Go's decoder does.
        #expect(try JSON.parse(#""\ud800x""#) == .string("\u{FFFD}x"))
        #expect(try JSON.parse(#""\udc00""#) == .string("\u{FFFD}"))
        #expect(try JSON.parse(#""\ud800\u0041""#) == .string("\u{FFFD}A"))
        #expect(try JSON.parse(#"{"k\u0041y": "v"}"#) == .object(["kAy": "v"]))
    }

    /// Past its first escape a string's plain bytes are read eight at a time too; every escape must be found
    /// wherever it lies among them, and the bytes between kept as they are.
    @Test func escapesAreReadWhereverTheyLieInALongString() throws {
        let escapes: [(text: String, value: String)] = [(#"\""#, "\""), (#"\\"#, "\\"), (#"\n"#, "\n"), (#"\u00e9"#, "é"), (#"\/"#, "/")]
        let plain: [Character] = ["a", "é", "世", " ", "#", "]", "!", "😀"]
        for length in 1...24 {
            for first in 0..<length {
                for second in first..<length {
                    var text = ""
                    var value = ""
                    for index in 0..<length {
                        if index == first || index == second {
                            let escape = escapes[(index + length) % escapes.count]
                            text += escape.text
                            value += escape.value
                        } else {
                            let character = plain[(index * 3 + length) % plain.count]
                            text.append(character)
                            value.append(character)
                        }
                    }
                    #expect(try JSON.parse("\"\(text)\"") == .string(value), "\(text)")
                }
            }
        }
        #expect(throws: JSONParseError.self) { try JSON.parse("\"\\n plain plain plain \u{1} plain\"") }
    }

    @Test func duplicateKeysLastWins() throws {
        #expect(try JSON.parse(#"{"a":1,"a":2}"#) == .object(["a": .int(2)]))
    }

    @Test func inputOverloads() throws {
        let text = #"{"a":[1,"b"]}"#
        let expected: JSON = ["a": [1, "b"]]
        #expect(try JSON.parse(Array(text.utf8)) == expected)
        #expect(try JSON.parse(text) == expected)
        #expect(try JSON.parse(Data(text.utf8)) == expected)
        #expect(try JSON.parse(Array(text.utf8)[...]) == expected)
        #expect(try JSON.parse(text.utf8) == expected)
    }

    func parseError(_ text: String) -> JSONParseError? {
        do {
            _ = try JSON.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func errorsCarryOffsets() {
        #expect(parseError(#"{"a":}"#) == JSONParseError(offset: 5, message: "unexpected character '}', expected a value"))
        #expect(parseError("[1,2") == JSONParseError(offset: 4, message: "unexpected end of input in array, expected ',' or ']'"))
        #expect(parseError(#"{"a" 1}"#) == JSONParseError(offset: 5, message: "unexpected character '1', expected ':' after object key"))
        #expect(parseError(#"{"a":1,}"#) == JSONParseError(offset: 7, message: "unexpected character '}', expected a string key"))
        #expect(parseError(#"{"a":1 "b":2}"#) == JSONParseError(offset: 7, message: "unexpected character '\"', expected ',' or '}' in object"))
        #expect(parseError(#""abc"#) == JSONParseError(offset: 0, message: "unterminated string"))
        #expect(parseError("01") == JSONParseError(offset: 0, message: "invalid number: leading zeros are not allowed"))
        #expect(parseError("-") == JSONParseError(offset: 1, message: "unexpected end of input in number"))
        #expect(parseError("1.") == JSONParseError(offset: 2, message: "invalid number: expected a digit after '.'"))
        #expect(parseError("1e+") == JSONParseError(offset: 3, message: "invalid number: expected a digit in the exponent"))
        #expect(parseError("[1] x") == JSONParseError(offset: 4, message: "unexpected character 'x' after the JSON value"))
        #expect(parseError("tru") == JSONParseError(offset: 3, message: "unexpected end of input in literal 'true'"))
        #expect(parseError("nul!") == JSONParseError(offset: 0, message: "invalid literal, expected 'null'"))
        #expect(parseError("\"a\nb\"") == JSONParseError(offset: 2, message: "control character 0xa in string must be escaped"))
        #expect(parseError(#""\x""#) == JSONParseError(offset: 1, message: "invalid escape sequence '\\x' in string"))
        #expect(parseError(#""\u12G4""#) == JSONParseError(offset: 1, message: "invalid \\u escape in string: expected 4 hex digits"))
        #expect(parseError("") == JSONParseError(offset: 0, message: "unexpected end of input, expected a value"))
        #expect(parseError("  ") == JSONParseError(offset: 2, message: "unexpected end of input, expected a value"))
        #expect(parseError("\u{FEFF}{}") == JSONParseError(offset: 0, message: "unexpected byte 0xEF, expected a value"))
        #expect(
            parseError(#"{"a": 1} {"#)?.description
                == "invalid JSON at byte 9: unexpected character '{' after the JSON value")
    }

    @Test func nestingDepthLimit() throws {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        var value = try JSON.parse(ok)
        var depth = 1
        while case .array(let inner) = value, let first = inner.first {
            value = first
            depth += 1
        }
        #expect(depth == 512)
        let tooDeep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(parseError(tooDeep) == JSONParseError(offset: 512, message: "exceeded max depth of 512"))
        let objects = String(repeating: #"{"a":"#, count: 513) + "1" + String(repeating: "}", count: 513)
        #expect(parseError(objects) == JSONParseError(offset: 2560, message: "exceeded max depth of 512"))
    }
}
