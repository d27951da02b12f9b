import Foundation
import Testing

@testable import FleetAPI

@Suite struct YAMLParseTests {
    @Test func kubernetesManifest() throws {
        let text = """
            # A staged update strategy.
            apiVersion: placement.kubernetes-fleet.io/v1beta1
            kind: ClusterStagedUpdateStrategy
            metadata:
              name: example-strategy
              labels:
                app.kubernetes.io/name: fleet
              annotations: {}
            spec:
              stages:
                - name: staging
                  labelSelector:
                    matchLabels:
                      environment: staging
                  afterStageTasks:
                    - type: TimedWait
                      waitTime: 1m
                - name: prod
                  labelSelector:
                    matchLabels: {environment: production, "tier": '1'}
                  sortingLabelKey: order
                  afterStageTasks:
                  - type: Approval
            status:
              resourceSnapshotIndex: "1"
              observedGeneration: 2
              conditions:
              - type: Succeeded
                status: "True"
                lastTransitionTime: 2025-07-22T21:28:08Z
                message: |
                  line one
                  line two
              hash: 10dd7a3d
              ratio: 0.5
              enabled: yes
              note: ~
              empty:
            """
        let value = try YAML.parse(text)
        #expect(
            value
                == [
                    "apiVersion": "placement.kubernetes-fleet.io/v1beta1",
                    "kind": "ClusterStagedUpdateStrategy",
                    "metadata": [
                        "name": "example-strategy", "labels": ["app.kubernetes.io/name": "fleet"], "annotations": [:],
                    ],
                    "spec": [
                        "stages": [
                            [
                                "name": "staging",
                                "labelSelector": ["matchLabels": ["environment": "staging"]],
                                "afterStageTasks": [["type": "TimedWait", "waitTime": "1m"]],
                            ],
                            [
                                "name": "prod",
                                "labelSelector": ["matchLabels": ["environment": "production", "tier": "1"]],
                                "sortingLabelKey": "order",
                                "afterStageTasks": [["type": "Approval"]],
                            ],
                        ]
                    ],
                    "status": [
                        "resourceSnapshotIndex": "1",
                        "observedGeneration": 2,
                        "conditions": [
                            [
                                "type": "Succeeded", "status": "True", "lastTransitionTime": "2025-07-22T21:28:08Z",
                                "message": "line one\nline two\n",
                            ]
                        ],
                        "hash": "10dd7a3d",
                        "ratio": 0.5,
                        "enabled": true,
                        "note": nil,
                        "empty": nil,
                    ],
                ])
        // Decodes into typed values afterwards, like `kubectl apply` does.
        struct Task: Decodable, Equatable { var type: String; var waitTime: String? }
        let tasks = try #require(value[path: ["spec", "stages"]]?.arrayValue?.first?["afterStageTasks"])
        #expect(try tasks.decode([Task].self) == [Task(type: "TimedWait", waitTime: "1m")])
    }

    func scalar(_ text: String) throws -> JSON {
        try #require(YAML.parse("v: \(text)")["v"])
    }

    @Test func scalarResolutionLikeGoYAMLv2() throws {
        let cases: [(String, JSON)] = [
            ("null", nil), ("Null", nil), ("NULL", nil), ("~", nil), ("", nil),
            ("true", true), ("True", true), ("TRUE", true), ("yes", true), ("Yes", true), ("YES", true),
            ("on", true), ("On", true), ("ON", true), ("y", true), ("Y", true),
            ("false", false), ("False", false), ("FALSE", false), ("no", false), ("No", false), ("NO", false),
            ("off", false), ("Off", false), ("OFF", false), ("n", false), ("N", false),
            ("tRUE", "tRUE"), ("nULL", "nULL"), ("yEs", "yEs"),
            ("0", 0), ("19994", 19994), ("-12", -12), ("+12", 12), ("1_000", 1000),
            ("0x1F", 31), ("0X1f", 31), ("0o17", 15), ("017", 15), ("0b101", 5), ("-0x10", -16),
            ("9223372036854775807", .int(.max)), ("-9223372036854775808", .int(.min)),
            ("9223372036854775808", .double(9_223_372_036_854_775_808)),
            ("08", .double(8)), ("09.5", .double(9.5)),
            ("1.5", 1.5), ("-1.5", -1.5), ("1.", 1.0), (".5", 0.5), ("1e3", .double(1000)), ("1E-2", 0.01),
            ("+.5", 0.5), ("6.02e+23", 6.02e23),
            (".inf", .double(.infinity)), (".Inf", .double(.infinity)), ("+.INF", .double(.infinity)),
            ("-.inf", .double(-.infinity)),
            ("1e400", "1e400"), ("1m", "1m"), ("10dd7a3d", "10dd7a3d"), ("1.2.3", "1.2.3"), ("0x", "0x"),
            ("2025-07-22T21:28:08Z", "2025-07-22T21:28:08Z"), ("2025-07-22", "2025-07-22"),
            ("12:30", "12:30"), ("v1", "v1"), ("<<x", "<<x"), (".foo", ".foo"), ("'-'", "-"), ("+", "+"),
            ("'quoted 1'", "quoted 1"), ("\"true\"", "true"), ("\"0\"", "0"), ("'~'", "~"), ("\"\"", ""),
            ("!!str 123", "123"), ("!!int \"42\"", 42), ("!!float 1", .double(1)), ("!!bool yes", true),
            ("!!null ''", nil), ("!custom 7", "7"), ("!!binary aGVsbG8=", "hello"),
            ("[1, a, \"2\"]", [1, "a", "2"]), ("{}", [:]), ("[]", []),
        ]
        for (text, expected) in cases {
            let value = try scalar(text)
            #expect(value == expected, "\(text)")
        }
        let nan = try scalar(".nan")
        guard case .double(let d) = nan, d.isNaN else {
            Issue.record(".nan resolved to \(nan)")
            return
        }
        #expect(try scalar(".NaN").intValue == nil)
    }

    @Test func blockScalars() throws {
        let value = try YAML.parse(
            """
            literal: |
              a
               b
            strip: |-
              a
            keep: |+
              a

            folded: >
              a
              b
            quoted: "a\\tb\\u00e9"
            single: 'it''s'
            """)
        #expect(
            value
                == [
                    "literal": "a\n b\n", "strip": "a", "keep": "a\n\n", "folded": "a b\n", "quoted": "a\tbé",
                    "single": "it's",
                ])
    }

    @Test func mappingKeysBecomeStrings() throws {
        let value = try YAML.parse(
            """
            1: int
            0x10: hex
            true: bool
            on: push
            1.5: float
            2025-01-01: date
            "quoted": q
            """)
        #expect(
            value
                == [
                    "1": "int", "16": "hex", "true": "push", "1.5": "float", "2025-01-01": "date", "quoted": "q",
                ])
        #expect(throws: YAMLError.self) { try YAML.parse("~: x") }
        #expect(throws: YAMLError.self) { try YAML.parse("[a]: x") }
    }

    @Test func anchorsAliasesAndMerge() throws {
        let value = try YAML.parse(
            """
            base: &base
              a: 1
              b: 2
            other: &other
              c: 3
            derived:
              <<: *base
              b: 20
            multi:
              <<: [*base, *other]
              d: 4
            list: &list [x, z]
            again: *list
            """)
        #expect(value["derived"] == ["a": 1, "b": 20])
        #expect(value["multi"] == ["a": 1, "b": 2, "c": 3, "d": 4])
        #expect(value["again"] == ["x", "z"])
    }

    @Test func multipleDocuments() throws {
        let documents = try YAML.parseDocuments(
            """
            # leading comment
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: a
            ---
            # only a comment
            ---
            ---
            null
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: b
            ...
            ---
            - 1
            - two
            """)
        #expect(
            documents
                == [
                    ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "a"]],
                    ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "b"]],
                    [1, "two"],
                ])
        #expect(try YAML.parseDocuments("") == [])
        #expect(try YAML.parseDocuments("---\n---\n") == [])
        #expect(throws: YAMLError.self) { try YAML.parse("a: 1\n---\nb: 2\n") }
        #expect(throws: YAMLError.self) { try YAML.parse("# nothing\n") }
    }

    func yamlError(_ text: String) -> YAMLError? {
        do {
            _ = try YAML.parseDocuments(text)
            return nil
        } catch let error as YAMLError {
            return error
        } catch {
            Issue.record("unexpected error type \(error)")
            return nil
        }
    }

    @Test func errorsNameLineAndColumn() throws {
        let badIndent = try #require(yamlError("a: 1\nb: c: d\n"))
        #expect(badIndent.line == 2)
        #expect(badIndent.column == 5)
        #expect(badIndent.description == "yaml: line 2, column 5: mapping values are not allowed in this context")

        let unterminated = try #require(yamlError("a: \"open\nb: 2\n"))
        #expect(unterminated.line == 3)
        #expect(unterminated.description.hasPrefix("yaml: line 3, column 1: found unexpected end of stream"))

        let duplicate = try #require(yamlError("spec:\n  a: 1\n  a: 2\n"))
        #expect(duplicate.line == 2)
        #expect(duplicate.column == 3)
        #expect(duplicate.message == "duplicate key in mapping: \"a\"")

        let badTag = try #require(yamlError("x:\n  y: !!int abc\n"))
        #expect(badTag.description == "yaml: line 2, column 6: cannot decode !!str `abc` as a !!int")

        let tab = try #require(yamlError("a:\n\t- b\n"))
        #expect(tab.line == 2)
    }
}
