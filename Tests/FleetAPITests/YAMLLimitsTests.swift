import Testing

@testable import FleetAPI

/// The bounds on hostile YAML the API server's decoder (`sigs.k8s.io/yaml`, go-yaml v2) has: alias expansion by
/// go-yaml's ratio, and nesting depth, each refused in its own words, quickly.
@Suite struct YAMLLimitsTests {
    /// "Billion laughs": `a0` is a scalar and each `aK` a list of `fanout` aliases of the level below.
    static func laughs(levels: Int, fanout: Int) -> String {
        var text = "a0: &a0 lol\n"
        for level in 1...levels {
            let aliases = Array(repeating: "*a\(level - 1)", count: fanout).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(aliases)]\n"
        }
        return text
    }

    func message(_ text: String) -> String? {
        do {
            _ = try YAML.parseDocuments(text)
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// go-yaml allows 99% of a small document's decodes to be alias expansion: three levels of ten (2,470 decodes,
    /// 2,430 from aliases, 98.4%) pass, and four (24,692 and 24,640, 99.8%) do not.
    @Test func aliasExpansionFollowsGoYAMLsRatio() throws {
        let accepted = try YAML.parse(Self.laughs(levels: 3, fanout: 10))
        #expect(accepted["a3"]?.arrayValue?.count == 10)
        #expect(accepted[path: ["a3"]]?.arrayValue?.first?.arrayValue?.first?.arrayValue?.first == "lol")
        #expect(message(Self.laughs(levels: 4, fanout: 10)) == "yaml: document contains excessive aliasing")
    }

    /// A few hundred bytes that would expand to 387 million nodes are refused at once, never expanded.
    @Test func billionLaughsIsRefusedQuickly() throws {
        let text = Self.laughs(levels: 9, fanout: 9)
        #expect(text.utf8.count < 1000)
        let clock = ContinuousClock()
        let elapsed = clock.measure { #expect(message(text) == "yaml: document contains excessive aliasing") }
        #expect(elapsed < .seconds(2))
    }

    /// Yams hashes mapping keys while it composes, and hashing an alias walks its expansion: a bomb used as a
    /// key is refused before Yams composes the document at all.
    @Test func aBombAsAMappingKeyIsRefusedBeforeComposing() throws {
        let clock = ContinuousClock()
        for key in ["*a9: x\n", "? *a9\n: x\n", "[*a9, *a9]: x\n", "{k: *a9}: x\n"] {
            let text = Self.laughs(levels: 9, fanout: 9) + key
            let elapsed = clock.measure { #expect(message(text) == "yaml: document contains excessive aliasing") }
            #expect(elapsed < .seconds(2), "\(key)")
        }
    }

    /// Ordinary aliases, merge keys and `*` in text are untouched by the bound.
    @Test func ordinaryAliasesStillWork() throws {
        let value = try YAML.parse(
            """
            base: &base {image: nginx, cmd: "ls *.txt"}
            glob: a*b
            web:
              <<: *base
              replicas: 2
            copy: *base
            """)
        #expect(value["web"] == ["image": "nginx", "cmd": "ls *.txt", "replicas": 2])
        #expect(value["copy"] == ["image": "nginx", "cmd": "ls *.txt"])
        #expect(value["glob"] == "a*b")
    }

    /// Nesting stops at the JSON parser's depth, in flow and block style, and libyaml's own stop at 1000 levels
    /// says the same.
    @Test func nestingDepthIsBounded() throws {
        let limit = JSON.maximumNestingDepth
        let fits = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(try YAML.parse(fits).arrayValue?.count == 1)
        let flow = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        #expect(message(flow)?.hasSuffix("exceeded max depth of 512") == true)
        let block = (0...limit).map { String(repeating: " ", count: $0 * 2) + "- x:\n" }.joined()
        #expect(message(block)?.hasSuffix("exceeded max depth of 512") == true)
        let huge = String(repeating: "[", count: 1 << 20)
        #expect(message(huge)?.hasSuffix("exceeded max depth of 512") == true)
    }
}
