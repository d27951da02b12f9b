import Foundation
import Testing

@testable import FleetAPI

@Suite struct YAMLEmitTests {
    @Test func statusBlockLikeKubectl() {
        let object: JSON = [
            "apiVersion": "placement.kubernetes-fleet.io/v1beta1",
            "kind": "ClusterStagedUpdateRun",
            "metadata": [
                "name": "example-run", "generation": 1, "creationTimestamp": "2025-07-22T21:26:54Z",
                "finalizers": ["kubernetes-fleet.io/stagedupdaterun-finalizer"], "resourceVersion": "19994",
            ],
            "spec": ["placementName": "example-placement", "resourceSnapshotIndex": "1", "stagedRolloutStrategyName": "example-strategy"],
            "status": [
                "conditions": [
                    [
                        "lastTransitionTime": "2025-07-22T21:26:54Z",
                        "message": "The update run has been successfully initialized",
                        "observedGeneration": 1, "reason": "UpdateRunInitializedSuccessfully", "status": "True",
                        "type": "Initialized",
                    ],
                    [
                        "lastTransitionTime": "2025-07-22T21:28:08Z",
                        "message": "All clusters in the stage are updated, waiting for after-stage tasks to complete",
                        "observedGeneration": 1, "reason": "UpdateRunWaiting", "status": "False",
                        "type": "Progressing",
                    ],
                ],
                "deletionStageStatus": ["clusters": [], "stageName": "kubernetes-fleet.io/deleteStage"],
                "policyObservedClusterCount": 2,
                "policySnapshotIndexUsed": "0",
                "stagesStatus": [
                    [
                        "afterStageTaskStatus": [["type": "TimedWait"]],
                        "clusters": [["clusterName": "member1", "conditions": []]],
                        "stageName": "staging",
                        "startTime": "2025-07-22T21:27:08Z",
                    ]
                ],
            ],
        ]
        #expect(
            YAML.emit(object) == """
                apiVersion: placement.kubernetes-fleet.io/v1beta1
                kind: ClusterStagedUpdateRun
                metadata:
                  creationTimestamp: "2025-07-22T21:26:54Z"
                  finalizers:
                  - kubernetes-fleet.io/stagedupdaterun-finalizer
                  generation: 1
                  name: example-run
                  resourceVersion: "19994"
                spec:
                  placementName: example-placement
                  resourceSnapshotIndex: "1"
                  stagedRolloutStrategyName: example-strategy
                status:
                  conditions:
                  - lastTransitionTime: "2025-07-22T21:26:54Z"
                    message: The update run has been successfully initialized
                    observedGeneration: 1
                    reason: UpdateRunInitializedSuccessfully
                    status: "True"
                    type: Initialized
                  - lastTransitionTime: "2025-07-22T21:28:08Z"
                    message: All clusters in the stage are updated, waiting for after-stage tasks
                      to complete
                    observedGeneration: 1
                    reason: UpdateRunWaiting
                    status: "False"
                    type: Progressing
                  deletionStageStatus:
                    clusters: []
                    stageName: kubernetes-fleet.io/deleteStage
                  policyObservedClusterCount: 2
                  policySnapshotIndexUsed: "0"
                  stagesStatus:
                  - afterStageTaskStatus:
                    - type: TimedWait
                    clusters:
                    - clusterName: member1
                      conditions: []
                    stageName: staging
                    startTime: "2025-07-22T21:27:08Z"

                """)
    }

    @Test func emptyCollectionsAndNull() {
        #expect(YAML.emit([:]) == "{}\n")
        #expect(YAML.emit([]) == "[]\n")
        #expect(YAML.emit(nil) == "null\n")
        #expect(YAML.emit("text") == "text\n")
        #expect(YAML.emit(["a": [:], "b": [], "c": nil, "d": [[:], [], nil]]) == "a: {}\nb: []\nc: null\nd:\n- {}\n- []\n- null\n")
    }

    @Test func nestedSequences() {
        #expect(YAML.emit([[1, 2], [3], []]) == "- - 1\n  - 2\n- - 3\n- []\n")
        #expect(YAML.emit(["m": [[["a": 1, "b": [true]]]]]) == "m:\n- - a: 1\n    b:\n    - true\n")
        #expect(YAML.emit([["k": "v", "l": ["x"]], "s"]) == "- k: v\n  l:\n  - x\n- s\n")
    }

    @Test func blockLiterals() {
        #expect(YAML.emit(["script": "echo hi\necho bye\n"]) == "script: |\n  echo hi\n  echo bye\n")
        #expect(YAML.emit(["script": "echo hi\necho bye"]) == "script: |-\n  echo hi\n  echo bye\n")
        #expect(YAML.emit(["keep": "a\n\n"]) == "keep: |+\n  a\n\n")
        #expect(YAML.emit(["lead": "  indented\nnext"]) == "lead: |2-\n    indented\n  next\n")
        #expect(YAML.emit(["gap": "a\n\nb", "z": 1]) == "gap: |-\n  a\n\n  b\nz: 1\n")
        #expect(YAML.emit(["l": ["one\ntwo", "x"]]) == "l:\n- |-\n  one\n  two\n- x\n")
        #expect(YAML.emit(["nest": ["deep": "a\nb\n"]]) == "nest:\n  deep: |\n    a\n    b\n")
        #expect(YAML.emit(["n": "no"]) == "\"n\": \"no\"\n")
        // Trailing spaces before a newline, or tabs, rule the block style out: double quotes.
        #expect(YAML.emit(["s": "trailing \nx"]) == "s: \"trailing \\nx\"\n")
        #expect(YAML.emit(["s": "a\tb\nc"]) == "s: \"a\\tb\\nc\"\n")
        #expect(YAML.emit("x\ny\n") == "|\n  x\n  y\n")
    }

    @Test func stringQuoting() {
        let cases: [(String, String)] = [
            ("", #""""#), ("True", #""True""#), ("true", #""true""#), ("False", #""False""#), ("yes", #""yes""#),
            ("y", #""y""#), ("N", #""N""#), ("on", #""on""#), ("null", #""null""#), ("~", #""~""#),
            ("0", #""0""#), ("1", #""1""#), ("19994", #""19994""#), ("-5", #""-5""#), ("0x1F", #""0x1F""#),
            ("1_000", #""1_000""#), ("1.5", #""1.5""#), ("1e3", #""1e3""#), (".5", #"".5""#), (".inf", #"".inf""#),
            ("2025-07-22T21:26:54Z", #""2025-07-22T21:26:54Z""#), ("2025-07-22", #""2025-07-22""#),
            ("2025-07-22 21:26:54", #""2025-07-22 21:26:54""#), ("1:20", #""1:20""#), ("190:20:30.15", #""190:20:30.15""#),
            ("1m", "1m"), ("10dd7a3d", "10dd7a3d"), ("v1.2.3", "v1.2.3"), ("1.2.3", "1.2.3"), ("2025-13-01", "2025-13-01"),
            ("12:61", "12:61"), ("Yes please", "Yes please"), ("it's", "it's"), ("a:b", "a:b"), ("a#b", "a#b"),
            ("http://x.io/a?b=c", "http://x.io/a?b=c"), ("café", "café"), ("+", "+"), (".foo", ".foo"),
            ("*", "'*'"), ("-", "'-'"), ("- x", "'- x'"), ("-x", "-x"), ("?", "'?'"), ("?x", "?x"), (":", "':'"),
            (": x", "': x'"), ("a: b", "'a: b'"), ("a #b", "'a #b'"), ("#x", "'#x'"), ("&a", "'&a'"), ("!x", "'!x'"),
            ("|", "'|'"), (">", "'>'"), ("%x", "'%x'"), ("@x", "'@x'"), ("`x", "'`x'"), ("{x}", "'{x}'"),
            ("[x]", "'[x]'"), ("x]", "x]"), (",x", "',x'"), ("'q'", "'''q'''"), ("\"q\"", "'\"q\"'"),
            (" lead", "' lead'"), ("trail ", "'trail '"), ("---", "'---'"), ("...", "'...'"), ("--x", "--x"),
            ("tab\there", #""tab\there""#), ("bell\u{7}", #""bell\a""#), ("nul\u{0}", #""nul\0""#),
            ("del\u{7F}", #""del\x7F""#), ("emoji 😀", #""emoji \U0001F600""#), ("bom\u{FEFF}", #""bom\uFEFF""#),
            ("nbsp\u{A0}x", "nbsp\u{A0}x"), ("cr\rx", #""cr\rx""#), ("ls\u{2028}x", "'ls\u{2028}  x'"),
            ("back\\slash", "back\\slash"), ("quote\"in", "quote\"in"),
        ]
        for (input, expected) in cases {
            #expect(YAML.emit(["k": .string(input)]) == "k: \(expected)\n", "\(input)")
        }
    }

    @Test func keysAreQuotedAndOrderedLikeGoYAML() {
        #expect(YAML.emit(["true": 1, "1": 2, "a b": 3, "": 4, "x:y": 5]) == "\"\": 4\n\"1\": 2\na b: 3\n\"true\": 1\nx:y: 5\n")
        // go-yaml v2 orders string keys "naturally": digit runs numerically, non-letters before letters.
        #expect(
            YAML.emit(["stage10": 1, "stage9": 2, "stage1": 3, "a_b": 4, "aB": 5, "ab": 6, "a0": 7, "a00": 8])
                == "a_b: 4\na0: 7\na00: 8\naB: 5\nab: 6\nstage1: 3\nstage9: 2\nstage10: 1\n")
        let long = String(repeating: "k", count: 129)
        #expect(YAML.emit([.init(stringLiteral: long): "v"]) == "? \(long)\n: v\n")
        #expect(YAML.emit(["multi\nline": "v"]) == "? |-\n  multi\n  line\n: v\n")
    }

    @Test func longPlainStringsFoldAtWidth80() {
        let words = (1...40).map { "word\($0)" }.joined(separator: " ")
        #expect(
            YAML.emit(["description": .string(words)]) == """
                description: word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12
                  word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24
                  word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35 word36
                  word37 word38 word39 word40

                """)
        let unbroken = String(repeating: "x", count: 120)
        #expect(YAML.emit(["k": .string(unbroken)]) == "k: \(unbroken)\n")
        // Double spaces are never folded.
        let spaced = String(repeating: "a", count: 85) + "  b"
        #expect(YAML.emit(["k": .string(spaced)]) == "k: \(spaced)\n")
        // Long double-quoted strings fold too (go-yaml escapes the line break away).
        let quoted = String(repeating: "ab ", count: 30) + "\t"
        let firstLine = Array(repeating: "ab", count: 26).joined(separator: " ")
        #expect(YAML.emit(["k": .string(quoted)]) == "k: \"\(firstLine)\n  ab ab ab ab \\t\"\n")
    }

    @Test func numbersLikeKubectl() {
        #expect(YAML.emit(["i": 42, "neg": -7, "max": .int(.max)]) == "i: 42\nmax: 9223372036854775807\nneg: -7\n")
        #expect(YAML.emit(["d": 1.5, "e": 0.1, "f": -2.25]) == "d: 1.5\ne: 0.1\nf: -2.25\n")
        #expect(YAML.emit(["whole": 1.0, "million": 1e6, "big": 1e20]) == "big: 1e+20\nmillion: 1000000\nwhole: 1\n")
        #expect(YAML.emit(["a": 1234567.5, "b": 0.00001, "c": 1e21, "d": 123456.5]) == "a: 1.2345675e+06\nb: 1e-05\nc: 1e+21\nd: 123456.5\n")
        #expect(YAML.emit(["inf": .double(.infinity), "ninf": .double(-.infinity), "nan": .double(.nan)]) == "inf: .inf\nnan: .nan\nninf: -.inf\n")
        #expect(YAML.emit(["t": true, "f": false]) == "f: false\nt: true\n")
    }

    @Test func emitThenParseRoundTrips() throws {
        let value: JSON = [
            "strings": ["", "True", "0", "1m", "*", " x", "a\nb\n", "a\nb", "tab\t", "😀", "2025-07-22T21:26:54Z", "y"],
            "numbers": [0, -1, 1.5, .int(.max)],
            "nested": ["a": [[1, [2, []]], [:]], "b": nil, "c": [true, false]],
            "long": .string(String(repeating: "lorem ipsum ", count: 20) + "end"),
        ]
        #expect(try YAML.parse(YAML.emit(value)) == value)
        #expect(try YAML.parseDocuments(YAML.emitDocuments([value, ["b": 1]])) == [value, ["b": 1]])
    }
}
