import ByteHashing
import Foundation
import Testing

@testable import FleetAPI

/// `JSONPullReader` with a `JSONTreeCache`: repeated objects and strings come back as they were read the first time,
/// and a near repeat is read afresh.
@Suite struct JSONPullReaderTests {
    /// The trees `sharedValue` gives for each element of the arrays in `texts`, read one text after another with
    /// one cache, as replay reads payloads.
    static func sharedElements(_ texts: [String], cache: JSONTreeCache) throws -> [[JSON]] {
        try texts.map { text in
            try Array(text.utf8).withUnsafeBufferPointer { buffer in
                var reader = JSONPullReader(buffer, sharing: cache)
                var values: [JSON] = []
                try reader.beginArray()
                while try reader.nextElement() { values.append(try reader.sharedValue()) }
                try reader.end()
                return values
            }
        }
    }

    @Test func sharedValuesReadAsTheTreeReadsThemAcrossPayloads() throws {
        let configMap = #"{"apiVersion":"v1","data":{"k":"v \"q\" \u00fc"},"kind":"ConfigMap","metadata":{"name":"c"}}"#
        let texts = [
            "[\(configMap),{\"a\":[1,2]},[],{}]",
            // The same values again, with whitespace between them.
            "[ \(configMap) , {\"a\":[1,2]} ,[] ,{} ]",
            // Values that begin as the remembered ones did but go on or differ.
            #"[{"a":[1,2],"b":3},{"a":[1,2,3]},{"a":[1,2]},[[]],"x",7]"#,
            "[\(configMap.replacingOccurrences(of: "\"c\"", with: "\"d\"")),\(configMap)]",
        ]
        let cache = JSONTreeCache()
        let read = try Self.sharedElements(texts, cache: cache)
        let expected = try texts.map { try JSON.parse($0).arrayValue ?? [] }
        #expect(read == expected)
        // Read again: now every object and array comes from the cache.
        #expect(try Self.sharedElements(texts, cache: cache) == expected)
    }

    @Test func aRememberedValueIsNotMatchedPastTheEndOfTheText() throws {
        let cache = JSONTreeCache()
        _ = try Self.sharedElements([#"[{"a":"long enough to be remembered"}]"#], cache: cache)
        let truncated = Array(#"[{"a":"long enough"#.utf8)
        #expect(throws: JSONParseError.self) {
            try truncated.withUnsafeBufferPointer { buffer in
                var reader = JSONPullReader(buffer, sharing: cache)
                try reader.beginArray()
                _ = try reader.nextElement()
                _ = try reader.sharedValue()
            }
        }
    }

    @Test func malformedSharedValuesFailAsTheParserFailsThem() throws {
        let cache = JSONTreeCache()
        for text in [#"[{"a":1,}]"#, #"[{"a":1]"#, #"[[1,2}"#, "[{\"a\":\"\u{01}\"}]"] {
            #expect(throws: JSONParseError.self, "\(text)") { _ = try Self.sharedElements([text], cache: cache) }
        }
    }

    @Test func aDecodedValueIsMadeOnceForTheSameBytes() throws {
        let texts = [#"{"stages":[1,2]}"#, #"{"stages":[1,2]}"#, #"{"stages":[1,3]}"#, #" {"stages":[1,2]}"#]
        let cache = JSONTreeCache()
        var decodes = 0
        let values = try texts.map { text in
            try Array(text.utf8).withUnsafeBufferPointer { buffer in
                var reader = JSONPullReader(buffer, sharing: cache)
                let value = try reader.sharedValue { tree in
                    decodes += 1
                    return tree["stages"]?.arrayValue?.count ?? 0
                }
                try reader.end()
                return value
            }
        }
        #expect(values == [2, 2, 2, 2])
        #expect(decodes == 2)
    }

    /// A value decoded from an object or array text is read once while the same text keeps coming; a text that
    /// begins as a remembered one but differs, or a value that is no object or array, is read afresh.
    @Test func aValueDecodedFromATextIsReadOnceForTheSameText() throws {
        let key = #"{"kind":"ClusterStagedUpdateRun","name":"bk000001-run-3","namespace":""}"#
        let other = #"{"kind":"ClusterStagedUpdateRun","name":"bk000001-run-3","namespace":"x"}"#
        let texts = [key, key, other, key, other, "[1,2]", "[1,2]", "7", "7"]
        let cache = JSONTreeCache()
        var reads = 0
        let values = try texts.map { text in
            try Array(text.utf8).withUnsafeBufferPointer { buffer in
                var reader = JSONPullReader(buffer, sharing: cache)
                let value = try reader.sharedDecoded { reader -> JSON in
                    reads += 1
                    return try reader.value()
                }
                try reader.end()
                return value
            }
        }
        #expect(values == (try texts.map { try JSON.parse($0) }))
        #expect(reads == 5)
    }

    @Test func aVocabularyFindsEachOfItsWords() throws {
        let words = ["Namespace", "", "ConfigMap", "ClusterStagedUpdateRun", "A", "ClusterUpdateStarted.v1"]
        let vocabulary = JSONPullReader.Vocabulary(words)
        for (index, word) in words.enumerated() {
            #expect(vocabulary.index(of: word) == (word.isEmpty ? nil : index))
        }
        #expect(vocabulary.index(of: "Namespaces") == nil)
        #expect(vocabulary.index(of: "B") == nil)
        let text = #"["ConfigMap","Config\u004dap","Deployment","","ClusterStagedUpdateRun"]"#
        let read = try Array(text.utf8).withUnsafeBufferPointer { buffer in
            var reader = JSONPullReader(buffer)
            var values: [String] = []
            try reader.beginArray()
            while try reader.nextElement() { values.append(try reader.string(oneOf: vocabulary)) }
            try reader.end()
            return values
        }
        #expect(read == ["ConfigMap", "ConfigMap", "Deployment", "", "ClusterStagedUpdateRun"])
    }

    @Test func stringsAndKeysReadPastLongPlainRunsAsByteByByte() throws {
        // Escapes and control characters at every offset from a run of eight-byte words.
        for offset in 0..<17 {
            let plain = String(repeating: "abcdefgh", count: 3).prefix(offset)
            for (inner, expected) in [("\\n", "\n"), ("\\\"", "\""), ("é", "é"), ("", "")] {
                let key = "\(plain)k\(inner)"
                let text = "{\"\(plain)\":\"\(plain)\(inner)tail\",\"x\":\"\(key)\"}"
                let tree = try JSON.parse(text)
                #expect(tree[String(plain)] == .string("\(plain)\(expected)tail"))
                let read = try Array(text.utf8).withUnsafeBufferPointer { buffer in
                    var reader = JSONPullReader(buffer)
                    var values: [String] = []
                    try reader.beginObject()
                    while let key = try reader.nextKey() { values.append(key.string + "=" + (try reader.string())) }
                    try reader.end()
                    return values
                }
                #expect(read == ["\(plain)=\(plain)\(expected)tail", "x=\(plain)k\(expected)"])
            }
            let control = Array("\"\(plain)\u{01}\"".utf8)
            #expect(throws: JSONParseError.self) { try JSON.parse(control) }
        }
    }

    @Test func skipReadsOnlyTheExactTextAndRewindGoesBack() throws {
        let text = #"{"cluster":"m1", "stage":2}"#
        try Array(text.utf8).withUnsafeBufferPointer { buffer in
            var reader = JSONPullReader(buffer)
            let start = reader.mark
            let longerKey = reader.skip(#"{"clusters":"#)
            let key = reader.skip(#"{"cluster":"#)
            let value = try reader.string()
            let spaced = reader.skip(#","stage":"#)
            #expect(!longerKey && key && value == "m1" && !spaced)
            reader.rewind(to: start)
            try reader.beginObject()
            var fields: [String] = []
            while let key = try reader.nextKey() {
                fields.append(key.string)
                try reader.skipValue()
            }
            try reader.end()
            let pastTheEnd = reader.skip("}")
            #expect(fields == ["cluster", "stage"] && !pastTheEnd)
        }
    }

    @Test func theByteHashTellsApartTextsThatDifferAnywhere() {
        let base = Array("bk000000-m01-abcdefghijklmnopqrstuvwxyz".utf8)
        var hashes: Set<Int> = []
        for index in base.indices {
            var changed = base
            changed[index] ^= 1
            hashes.insert(changed.withUnsafeBufferPointer { ByteHash.of($0.baseAddress!, count: $0.count) })
        }
        #expect(hashes.count == base.count)
        let prefixes = Set(base.indices.map { count in base.withUnsafeBufferPointer { ByteHash.of($0.baseAddress!, count: count) } })
        #expect(prefixes.count == base.count)
        // Names that differ only in their last bytes spread over a small table's slots.
        let slots = Set((1...50).map { index in
            Array(String(format: "member/bk000000-m%02d", index).utf8).withUnsafeBufferPointer { ByteHash.of($0.baseAddress!, count: $0.count) & 255 }
        })
        #expect(slots.count >= 40)
    }

    /// Objects read with a cache are built from the last object with the same keys (`JSONObjectTemplates`): repeated
    /// shapes, duplicate keys, escaped and empty keys still read as the parser reads them.
    @Test func objectsOfARepeatedShapeReadAsTheParserReadsThem() throws {
        let texts = [
            #"{"a":1,"b":{"x":"y","z":[1,2]},"c":"d"}"#,
            #"{"a":2,"b":{"x":"w","z":[]},"c":"e"}"#,
            #"{ "a" : 3 , "b" : { "x" : null , "z" : [ {"x":1} ] } , "c" : "f" }"#,
            #"{"a":3,"a":4,"c":"f"}"#,
            #"{"a":5,"a":6,"c":"g"}"#,
            #"{"ab":1,"b":2}"#,
            #"{"ab":3,"b":4}"#,
            #"{"":1}"#,
            #"{"":2}"#,
            #"{"a":1,"c":2}"#,
        ]
        try expectCachedReads(texts, read: { try $0.value() }, parsed: { $0 })
    }

    /// An array of trees read before is shared whole; one that only begins as it did is read afresh.
    @Test func sharedElementsReadAsTheParserReadsThem() throws {
        let texts = [
            #"[{"a":1},{"b":[2]}]"#,
            #"[{"a":1},{"b":[2]}] "#,
            #"[{"a":1},{"b":[2]},{"c":3}]"#,
            #"[ {"a":1} , {"b":[2]} ]"#,
            "[]",
        ]
        try expectCachedReads(texts, read: { Optional(try $0.sharedElements()) }, parsed: { $0.arrayValue })
    }

    /// Short strings read with a cache are the instances read before from the same bytes (`JSONShortStrings`):
    /// strings that differ in any one byte, at every length the table keeps and past it, each alone (so fewer than
    /// eight bytes follow its first) and in an array, read as strings and in trees, still read as the parser reads
    /// them.
    @Test func shortStringsThatDifferInAnyByteReadAsTheParserReadsThem() throws {
        var names: [String] = []
        for length in 1...26 {
            let name = Array("bk000001-m17-run-3-placement".utf8.prefix(length))
            names.append(String(decoding: name, as: UTF8.self))
            for index in name.indices {
                var changed = name
                changed[index] ^= 1
                names.append(String(decoding: changed, as: UTF8.self))
            }
        }
        names += ["é", "éa", "ünïcødé-namé", #"a\"b"#, #"\u0041"#, ""]
        let quoted = names.map { "\"\($0)\"" }
        try expectCachedReads(quoted, read: { try $0.string() }, parsed: { $0.stringValue! })
        let array = "[" + quoted.joined(separator: ",") + "]"
        try expectCachedReads([array, array], read: { reader in
            var values: [String] = []
            try reader.beginArray()
            while try reader.nextElement() { values.append(try reader.string()) }
            return values
        }, parsed: { $0.arrayValue!.map { $0.stringValue! } })
        let object = "{" + quoted.enumerated().map { "\"k\($0.offset)\":\($0.element)" }.joined(separator: ",") + "}"
        try expectCachedReads([array, object, array], read: { try $0.value() }, parsed: { $0 })
    }

    /// `int` reads short digit runs itself and everything else as the parser does.
    @Test func integersReadAsTheParserReadsThem() throws {
        let texts = ["0", "7", "12 ", "-3", "999999999999999999", "9223372036854775807", "01", "1.5", "1e3", "2E1", "-", "x",
                     "92233720368547758070"]
        for text in texts {
            let bytes = Array(text.utf8)
            let read = bytes.withUnsafeBufferPointer { buffer -> Int64? in
                var reader = JSONPullReader(buffer)
                guard let value = try? reader.int(), (try? reader.end()) != nil else { return nil }
                return value
            }
            #expect(read == (try? JSON.parse(bytes))?.intValue.flatMap { text.contains(where: { ".eE".contains($0) }) ? nil : $0 }, "\(text)")
        }
    }
}

/// Reads each of `texts` twice through one cache, the second time from what the first left in it, and expects what
/// `read` gives to be what `parsed` makes of the parser's tree.
private func expectCachedReads<Value: Equatable>(
    _ texts: [String], read: (inout JSONPullReader) throws -> Value, parsed: (JSON) -> Value
) throws {
    let cache = JSONTreeCache()
    for _ in 0..<2 {
        for text in texts {
            let bytes = Array(text.utf8)
            let value = try bytes.withUnsafeBufferPointer { buffer in
                var reader = JSONPullReader(buffer, sharing: cache)
                let value = try read(&reader)
                try reader.end()
                return value
            }
            #expect(value == parsed(try JSON.parse(bytes)), "\(text)")
        }
    }
}
