import Testing

@testable import FleetAPI

private typealias Proto = ProtobufWriter

private func hex(_ text: String) -> [UInt8] {
    let digits = Array(text.filter { !$0.isWhitespace })
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
}

@Suite struct KubeProtobufTests {
    /// The body `kubectl create cm test-cm -n test-namespace --from-literal=key=value1` sent (reference §10).
    static let capturedConfigMap = hex(
        """
        6b387300
        0a0f 0a02 7631 1209 436f6e6669674d6170
        1236
          0a25 0a07 746573742d636d 1200 1a0e 746573742d6e616d657370616365 2200 2a00 3200 3800 4200
          120d 0a03 6b6579 1206 76616c756531
        1a00 2200
        """)

    @Test func capturedCreateConfigMap() throws {
        #expect(Self.capturedConfigMap.count == 4 + 17 + 56 + 4)
        let object = try KubeProtobuf.decode(Self.capturedConfigMap)
        #expect(
            object == [
                "apiVersion": "v1", "kind": "ConfigMap",
                "metadata": ["name": "test-cm", "namespace": "test-namespace"],
                "data": ["key": "value1"],
            ])
    }

    @Test func namespace() throws {
        let empty = Proto.body(
            kind: "Namespace", raw: Proto.bytes(1, Proto.string(1, "team-a")) + Proto.bytes(2, []) + Proto.bytes(3, []))
        #expect(try KubeProtobuf.decode(empty) == ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team-a"]])

        let full = Proto.body(
            kind: "Namespace",
            raw: Proto.bytes(1, Proto.string(1, "team-b") + Proto.uint(7, 3) + Proto.string(14, "fleet/cleanup"))
                + Proto.bytes(2, Proto.string(1, "kubernetes") + Proto.string(1, ""))
                + Proto.bytes(3, Proto.string(1, "Active")))
        #expect(
            try KubeProtobuf.decode(full) == [
                "apiVersion": "v1", "kind": "Namespace",
                "metadata": ["name": "team-b", "generation": 3, "finalizers": ["fleet/cleanup"]],
                "spec": ["finalizers": ["kubernetes", ""]], "status": ["phase": "Active"],
            ])
    }

    @Test func secretWithBinaryData() throws {
        let body = Proto.body(
            kind: "Secret",
            raw: Proto.bytes(1, Proto.string(1, "creds") + Proto.string(3, "default"))
                + Proto.map(2, [("blob", [0x00, 0x01, 0x02, 0xFF]), ("token", Array("s3cr3t".utf8)), ("empty", [])])
                + Proto.string(3, "Opaque") + Proto.stringMap(4, [("plain", "text")]) + Proto.uint(5, 0))
        #expect(
            try KubeProtobuf.decode(body) == [
                "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "creds", "namespace": "default"],
                "data": ["blob": "AAEC/w==", "token": "czNjcjN0", "empty": ""],
                "type": "Opaque", "stringData": ["plain": "text"], "immutable": false,
            ])
    }

    @Test func configMapBinaryDataAndImmutable() throws {
        let body = Proto.body(
            kind: "ConfigMap", raw: Proto.map(3, [("bin", [0xDE, 0xAD, 0xBE, 0xEF])]) + Proto.uint(4, 1))
        #expect(
            try KubeProtobuf.decode(body) == [
                "apiVersion": "v1", "kind": "ConfigMap", "binaryData": ["bin": "3q2+7w=="], "immutable": true,
            ])
    }

    @Test func metadataMapsAndOwnerReferences() throws {
        let owner =
            Proto.string(1, "ClusterResourcePlacement") + Proto.string(3, "crp-1") + Proto.string(4, "uid-9")
            + Proto.string(5, "placement.kubernetes-fleet.io/v1") + Proto.uint(6, 1) + Proto.uint(7, 0)
        let meta =
            Proto.string(1, "cm") + Proto.string(2, "cm-") + Proto.string(5, "uid-1") + Proto.string(6, "42")
            + Proto.stringMap(11, [("app", "web"), ("tier", ""), ("app", "api")])
            + Proto.stringMap(12, [("note", "hello world"), ("kubectl.kubernetes.io/last-applied-configuration", "{}")])
            + Proto.bytes(13, owner) + Proto.string(14, "a") + Proto.string(14, "b")
        let object = try KubeProtobuf.decode(Proto.body(kind: "ConfigMap", raw: Proto.bytes(1, meta)))
        #expect(
            object["metadata"] == [
                "name": "cm", "generateName": "cm-", "uid": "uid-1", "resourceVersion": "42",
                "labels": ["app": "api", "tier": ""],
                "annotations": ["note": "hello world", "kubectl.kubernetes.io/last-applied-configuration": "{}"],
                "ownerReferences": [
                    [
                        "kind": "ClusterResourcePlacement", "name": "crp-1", "uid": "uid-9",
                        "apiVersion": "placement.kubernetes-fleet.io/v1", "controller": true,
                        "blockOwnerDeletion": false,
                    ]
                ],
                "finalizers": ["a", "b"],
            ])
    }

    @Test func serviceAccount() throws {
        let body = Proto.body(
            kind: "ServiceAccount",
            raw: Proto.bytes(1, Proto.string(1, "builder"))
                + Proto.bytes(2, Proto.string(1, "Secret") + Proto.string(2, "ci") + Proto.string(3, "token-a"))
                + Proto.bytes(3, Proto.string(1, "registry")) + Proto.uint(4, 0))
        #expect(
            try KubeProtobuf.decode(body) == [
                "apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "builder"],
                "secrets": [["kind": "Secret", "namespace": "ci", "name": "token-a"]],
                "imagePullSecrets": [["name": "registry"]], "automountServiceAccountToken": false,
            ])
    }

    @Test func unknownFieldsAreSkippedByWireType() throws {
        let timestamp = Proto.bytes(8, Proto.uint(1, 1_700_000_000) + Proto.uint(2, 5))
        let unknown =
            Proto.uint(99, UInt64.max) + Proto.tag(100, 1) + [UInt8](repeating: 0xAA, count: 8)
            + Proto.bytes(101, [0x01, 0x02, 0x03]) + Proto.tag(102, 5) + [UInt8](repeating: 0xBB, count: 4)
        let body = Proto.body(
            kind: "ConfigMap",
            raw: unknown + Proto.bytes(1, Proto.string(1, "cm") + timestamp + Proto.string(4, "/self") + unknown)
                + Proto.stringMap(2, [("k", "v")]))
        #expect(
            try KubeProtobuf.decode(body) == [
                "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "cm"], "data": ["k": "v"],
            ])
    }

    @Test func emptyTypeMetaApiVersionDefaultsToV1() throws {
        let body = Proto.body(apiVersion: "", kind: "Namespace", raw: Proto.bytes(1, Proto.string(1, "x")))
        #expect(try KubeProtobuf.decode(body)["apiVersion"] == "v1")
    }

    @Test func truncatedBufferNamesTheOffset() {
        // The raw field's tag is at byte 21, its length at 22; the 54 payload bytes would start at 23.
        let truncated = Array(Self.capturedConfigMap.prefix(40))
        #expect(throws: KubeProtobufError.malformed(offset: 23, reason: "truncated: 54 bytes needed, 17 left")) {
            try KubeProtobuf.decode(truncated)
        }
        #expect(throws: KubeProtobufError.malformed(offset: 5, reason: "truncated varint")) {
            try KubeProtobuf.decode([0x6B, 0x38, 0x73, 0x00, 0x08, 0x80])
        }
        let error = #expect(throws: KubeProtobufError.self) { try KubeProtobuf.decode(truncated) }
        #expect(error?.description == "invalid protobuf body at byte 23: truncated: 54 bytes needed, 17 left")
    }

    @Test func malformedBuffers() {
        // A nested length that runs past its parent message is caught inside the parent, at the body's offset.
        let overrun = Proto.body(kind: "ConfigMap", raw: Proto.tag(1, 2) + [0x05] + Proto.string(1, "ab"))
        #expect(throws: KubeProtobufError.malformed(offset: overrun.count - 8, reason: "truncated: 5 bytes needed, 4 left")) {
            try KubeProtobuf.decode(overrun)
        }
        // Wire type 3 (start group) is not supported.
        #expect(throws: KubeProtobufError.malformed(offset: 4, reason: "unsupported wire type 3")) {
            try KubeProtobuf.decode([0x6B, 0x38, 0x73, 0x00, 0x0B])
        }
        // Field number 0 does not exist.
        #expect(throws: KubeProtobufError.malformed(offset: 4, reason: "field number 0 is out of range")) {
            try KubeProtobuf.decode([0x6B, 0x38, 0x73, 0x00, 0x02, 0x00])
        }
        // metadata.name (its tag at byte 25) sent as a varint, then as bytes that are not UTF-8.
        let wrongType = Proto.body(kind: "Namespace", raw: Proto.bytes(1, Proto.uint(1, 7)))
        #expect(
            throws: KubeProtobufError.malformed(
                offset: 25, reason: "field 1 should be length-delimited but has another wire type")
        ) { try KubeProtobuf.decode(wrongType) }
        let badUTF8 = Proto.body(kind: "Namespace", raw: Proto.bytes(1, Proto.bytes(1, [0xFF])))
        #expect(throws: KubeProtobufError.malformed(offset: 25, reason: "field 1 is not valid UTF-8")) {
            try KubeProtobuf.decode(badUTF8)
        }
        let tooLong = [0x6B, 0x38, 0x73, 0x00, 0x08] + [UInt8](repeating: 0xFF, count: 10) + [0x01]
        #expect(throws: KubeProtobufError.malformed(offset: 5, reason: "varint longer than 10 bytes")) {
            try KubeProtobuf.decode(tooLong)
        }
    }

    @Test func wrongMagic() {
        #expect(throws: KubeProtobufError.badMagic) { try KubeProtobuf.decode(Array(#"{"kind":"Namespace"}"#.utf8)) }
        #expect(throws: KubeProtobufError.badMagic) { try KubeProtobuf.decode([0x6B, 0x38, 0x73]) }
        #expect(throws: KubeProtobufError.badMagic) { try KubeProtobuf.decode([]) }
    }

    @Test func unsupportedKind() {
        #expect(throws: KubeProtobufError.unsupportedKind(apiVersion: "v1", kind: "Pod")) {
            try KubeProtobuf.decode(Proto.body(kind: "Pod", raw: []))
        }
        #expect(throws: KubeProtobufError.unsupportedKind(apiVersion: "apps/v1", kind: "ConfigMap")) {
            try KubeProtobuf.decode(Proto.body(apiVersion: "apps/v1", kind: "ConfigMap", raw: []))
        }
        let error = #expect(throws: KubeProtobufError.self) {
            try KubeProtobuf.decode(Proto.body(apiVersion: "apps/v1", kind: "Deployment", raw: []))
        }
        #expect(
            error?.description
                == "the protobuf body for kind Deployment (apps/v1) is not supported; send application/json")
    }

    /// `kubectl create rolebinding deployer-view --clusterrole=view --serviceaccount=team-a:deployer -n team-a`.
    @Test func createRoleBinding() throws {
        let raw = Proto.bytes(1, Proto.string(1, "deployer-view") + Proto.string(3, "team-a"))
            + Proto.bytes(2, Proto.string(1, "ServiceAccount") + Proto.string(2, "") + Proto.string(3, "deployer") + Proto.string(4, "team-a"))
            + Proto.bytes(3, Proto.string(1, "rbac.authorization.k8s.io") + Proto.string(2, "ClusterRole") + Proto.string(3, "view"))
        let object = try KubeProtobuf.decode(Proto.body(apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", raw: raw))
        #expect(
            object == [
                "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                "metadata": ["name": "deployer-view", "namespace": "team-a"],
                "subjects": [["kind": "ServiceAccount", "name": "deployer", "namespace": "team-a"]],
                "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"],
            ])
    }

    /// `kubectl create role r1 --verb=get,list --resource=configmaps -n team-a`.
    @Test func createRoleWithRules() throws {
        let rule = Proto.string(1, "get") + Proto.string(1, "list") + Proto.string(2, "") + Proto.string(3, "configmaps")
        let raw = Proto.bytes(1, Proto.string(1, "r1") + Proto.string(3, "team-a")) + Proto.bytes(2, rule)
        let object = try KubeProtobuf.decode(Proto.body(apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", raw: raw))
        #expect(object["rules"] == [["verbs": ["get", "list"], "apiGroups": [""], "resources": ["configmaps"]]])
    }

    /// `kubectl create token deployer --duration=1h --audience=hub` and `kubectl auth can-i create csur`.
    @Test func tokenRequestAndAccessReview() throws {
        let token = Proto.bytes(2, Proto.string(1, "hub") + Proto.uint(4, 3600))
        #expect(try KubeProtobuf.decode(Proto.body(apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", raw: token))["spec"]
            == ["audiences": ["hub"], "expirationSeconds": 3600])
        let attributes = Proto.string(1, "team-a") + Proto.string(2, "create") + Proto.string(3, "placement.kubernetes-fleet.io")
            + Proto.string(5, "clusterstagedupdateruns")
        let review = Proto.bytes(2, Proto.bytes(1, attributes))
        let decoded = try KubeProtobuf.decode(Proto.body(apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview", raw: review))
        #expect(decoded[path: ["spec", "resourceAttributes"]]
            == ["namespace": "team-a", "verb": "create", "group": "placement.kubernetes-fleet.io", "resource": "clusterstagedupdateruns"])
    }

    /// A 600 KB body of 300,000 empty finalizers: each list entry is appended in place, so it decodes in a
    /// moment rather than copying the list 300,000 times.
    @Test(.timeLimit(.minutes(1))) func manyListEntriesDecodeInLinearTime() throws {
        let entries = 300_000
        let metadata = Proto.string(1, "big") + Array(repeating: Proto.string(14, ""), count: entries).flatMap { $0 }
        let object = try KubeProtobuf.decode(Proto.body(kind: "Namespace", raw: Proto.bytes(1, metadata)))
        #expect(object[path: ["metadata", "finalizers"]]?.arrayValue?.count == entries)
        #expect(object[path: ["metadata", "name"]] == "big")
    }

    /// Nesting goes only as deep as the schema: 100,000 messages nested inside a field the schema does not
    /// name are skipped as one field, with no recursion, where Go's protobuf stops at 10,000.
    @Test func nestingIsBoundedByTheSchema() throws {
        // Built inside out, each level's tag and length written backwards, so the build is linear too.
        var reversed: [UInt8] = Array(Proto.string(1, "deep").reversed())
        for _ in 0..<100_000 {
            reversed += Proto.varint(UInt64(reversed.count)).reversed()
            reversed += Proto.tag(9, 2).reversed()
        }
        let nested = Array(reversed.reversed())
        let raw = Proto.bytes(1, Proto.string(1, "cm")) + nested
        let object = try KubeProtobuf.decode(Proto.body(kind: "ConfigMap", raw: raw))
        #expect(object == ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "cm"]])
    }
}
