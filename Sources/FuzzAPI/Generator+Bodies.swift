import FleetAPI

/// Hostile request bodies: JSON, YAML, protobuf and patches of every type.
extension Generator {
    mutating func write(_ kind: ResourceKind, name: String) -> (method: String, path: String) {
        if random.chance(0.7) { return ("POST", Self.collection(kind)) }
        return ("PUT", Self.collection(kind) + "/" + random.pick([name, Self.target, "%2e%2e", String(repeating: "n", count: 300)]))
    }

    mutating func jsonBody(_ name: String) -> FuzzCase {
        let kind = anyKind()
        let (method, path) = write(kind, name: name)
        let manifest = random.chance(0.5) ? brokenManifest(kind, name: name) : Self.manifest(kind, name: name)
        var body = manifest.serialized()
        var label = "json \(kind.kind)"
        switch random.int(0...5) {
        case 0, 1:
            body = corrupted(body)
            label += ", corrupted"
        case 2:
            let depth = random.pick([513, 10_001, 100_000])
            body = Array(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"d"},"data":"#.utf8)
                + Array(repeating: UInt8(ascii: "["), count: depth) + Array(repeating: UInt8(ascii: "]"), count: depth) + [UInt8(ascii: "}")]
            label += ", nested \(depth) deep"
        case 3:
            body = Array(random.pick([
                #"{"a":1,"a":2}"#, "[]", "null", "\"text\"", "1e400", #"{"kind":NaN}"#, "{'a':1}", #"{"a":1}//c"#, "",
                #"{"metadata":{"name":"\ud800"}}"#, #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"data":{"k":1}}"#,
            ]).utf8)
            label += ", odd document"
        default:
            label += random.chance(0.5) ? ", broken field" : ", valid"
        }
        let contentType = random.pick(["application/json", "application/json; charset=utf-8", "*/*"])
        return FuzzCase(
            category: .jsonBody, label: label, method: method, target: path, headers: [("Content-Type", contentType)], body: body)
    }

    mutating func yamlBody(_ name: String) -> FuzzCase {
        let kind = anyKind()
        let (method, path) = write(kind, name: name)
        let manifest = random.chance(0.5) ? brokenManifest(kind, name: name) : Self.manifest(kind, name: name)
        var text = YAML.emit(manifest)
        var label = "yaml \(kind.kind)"
        switch random.int(0...9) {
        case 0, 1:
            text = String(decoding: corrupted(Array(text.utf8)), as: UTF8.self)
            label += ", corrupted"
        case 2:
            text = Self.laughs(levels: random.int(4...9), fanout: random.int(9...10)) + random.pick(["", "*a9: x\n", "? *a8\n: x\n", "m:\n  <<: [*a7, *a8]\n"])
            label += ", alias bomb"
        case 3:
            let depth = random.pick([513, 1001, 100_000])
            text = random.chance(0.5)
                ? "data: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
                : (0..<min(depth, 2000)).map { String(repeating: " ", count: $0) + "- a:\n" }.joined()
            label += ", nested \(depth) deep"
        case 4:
            text = random.pick([
                "a: *undefined\n", "a: !!binary '***'\n", "a: !!int x\n", "a: !!timestamp nope\n", "a:\n\t- b\n", "a: 'open\n",
                "%YAML 9.9\n---\na: 1\n", "%TAG ! tag:x\n--- !x\na: 1\n", "a: 1\n---\nb: 2\n", "? [a, b]\n: c\n", "{a: 1, a: 2}\n",
                "a: &x {b: *x}\n", "<<: 5\n", "a: \u{0}\n", "a:\u{2028}b\n", "...\n", "---\n", "a: 1\r\nb: 2\rc: 3\n", "&a a: *a\n",
            ])
            label += ", malformed"
        case 5:
            text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \(name), namespace: \(Self.namespace)}\ndata:\n  big: "
                + String(repeating: "y", count: random.int(10_000...500_000)) + "\n"
            label += ", long scalar"
        default:
            label += random.chance(0.5) ? ", broken field" : ", valid"
        }
        let contentType = random.pick(["application/yaml", "application/x-yaml", "text/yaml", "application/yaml; charset=utf-8"])
        return FuzzCase(
            category: .yamlBody, label: label, method: method, target: path, headers: [("Content-Type", contentType)],
            body: Array(text.utf8))
    }

    /// "Billion laughs": `a0` a scalar, each `aK` a list of `fanout` aliases of the level below.
    static func laughs(levels: Int, fanout: Int) -> String {
        var text = "a0: &a0 lol\n"
        for level in 1...levels {
            text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: fanout).joined(separator: ", ") + "]\n"
        }
        return text
    }

    mutating func protobufBody(_ name: String) -> FuzzCase {
        let (kind, raw) = random.pick([
            ("ConfigMap", ProtobufWriter.bytes(1, ProtobufWriter.string(1, name) + ProtobufWriter.string(3, Self.namespace)) + ProtobufWriter.stringMap(2, [("k", "v")])),
            ("Namespace", ProtobufWriter.bytes(1, ProtobufWriter.string(1, name))),
            ("Secret", ProtobufWriter.bytes(1, ProtobufWriter.string(1, name) + ProtobufWriter.string(3, Self.namespace)) + ProtobufWriter.map(2, [("k", [0, 1, 2])])),
            ("ServiceAccount", ProtobufWriter.bytes(1, ProtobufWriter.string(1, name) + ProtobufWriter.string(3, Self.namespace))),
        ])
        let plural = ["ConfigMap": "configmaps", "Namespace": "namespaces", "Secret": "secrets", "ServiceAccount": "serviceaccounts"][kind]!
        let path = kind == "Namespace" ? "/api/v1/namespaces" : "/api/v1/namespaces/\(Self.namespace)/\(plural)"
        var body = ProtobufWriter.body(kind: kind, raw: raw)
        var label = "protobuf \(kind)"
        switch random.int(0...7) {
        case 0, 1, 2:
            for _ in 0..<random.int(1...4) { body = corrupted(body) }
            label += ", mutated"
        case 3:
            body = ProtobufWriter.magic + random.bytes(random.int(0...512))
            label += ", random after the magic"
        case 4:
            body = ProtobufWriter.magic + random.pick([
                [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F], [0x08] + Array(repeating: 0xFF, count: 11), [0x0B, 0x0C], [0x00, 0x01],
                [0x12, 0x80], ProtobufWriter.bytes(1, ProtobufWriter.string(1, "v1") + ProtobufWriter.string(2, "Pod")) + ProtobufWriter.bytes(2, []),
                ProtobufWriter.bytes(1, ProtobufWriter.string(1, "rbac.authorization.k8s.io/v1") + ProtobufWriter.string(2, "Role")) + ProtobufWriter.bytes(2, [0x12, 0x03, 0x0A, 0xFF]),
            ])
            label += ", malformed wire"
        case 5:
            let entries = random.int(10_000...100_000)
            body = ProtobufWriter.body(kind: "Namespace", raw: ProtobufWriter.bytes(1, ProtobufWriter.string(1, name) + Array(repeating: ProtobufWriter.string(14, ""), count: entries).flatMap { $0 }))
            label += ", \(entries) finalizers"
        case 6:
            body = random.bytes(random.int(1...256))
            label += ", no magic"
        default:
            label += ", valid"
        }
        return FuzzCase(
            category: .protobufBody, label: label, method: "POST", target: path,
            headers: [("Content-Type", "application/vnd.kubernetes.protobuf"), ("Accept", "application/vnd.kubernetes.protobuf,application/json")],
            body: body)
    }

    // MARK: Patches

    mutating func patch() -> FuzzCase {
        let (path, kind) = random.pick([
            (Self.configMaps + "/" + Self.target, ResourceKind.configMap),
            (Self.strategies + "/" + Self.target, Self.kinds.first { $0.kind == "ClusterStagedUpdateStrategy" }!),
            ("/api/v1/namespaces/" + Self.namespace, ResourceKind.namespace),
            (Self.configMaps + "/" + Self.target + "/status", ResourceKind.configMap),
            (Self.configMaps + "/missing", ResourceKind.configMap),
        ])
        var query = ""
        let type = random.int(0...4)
        var contentType: String
        var body: [UInt8]
        var label: String
        switch type {
        case 0:
            contentType = "application/json-patch+json"
            body = jsonPatch().serialized()
            label = "json patch"
        case 1:
            contentType = "application/merge-patch+json"
            body = (random.chance(0.5) ? mergePatch() : hostileValue()).serialized()
            label = "merge patch"
        case 2:
            contentType = "application/strategic-merge-patch+json"
            body = strategicPatch().serialized()
            label = "strategic merge patch"
        case 3:
            contentType = "application/apply-patch+yaml"
            var manifest = random.chance(0.5) ? Self.manifest(kind, name: Self.target) : brokenManifest(kind, name: Self.target)
            if random.chance(0.3) { manifest[path: ["metadata", "name"]] = "other" }
            body = Array(YAML.emit(manifest).utf8)
            query = "?fieldManager=" + random.pick(["", "kubectl", String(repeating: "m", count: 200), "%00", "a%0Ab", "%ff"])
                + random.pick(["", "&force=true", "&force=maybe"])
            label = "apply"
        default:
            contentType = random.pick(["application/json", "text/plain", "application/patch", "", "application/json-patch+json; x=y"])
            body = mergePatch().serialized()
            label = "patch with content type \(contentType)"
        }
        if random.chance(0.2) {
            body = corrupted(body)
            label += ", corrupted"
        }
        return FuzzCase(category: .patch, label: label, method: "PATCH", target: path + query, headers: [("Content-Type", contentType)], body: body)
    }

    mutating func jsonPatch() -> JSON {
        if random.chance(0.1) { return hostileValue() }
        if random.chance(0.05) {
            return .array(Array(repeating: ["op": "test", "path": "/metadata/name", "value": .string(Self.target)], count: 10_001))
        }
        let paths = ["", "/", "/metadata/name", "/metadata/labels/a", "/data/-", "/data/~2", "/data/a~1b", "/metadata/finalizers/0",
                     "/metadata/finalizers/-1", "/metadata/finalizers/99999999999999999999", "/x/y/z", "data", "/spec/stages/0/name", "/kind"]
        let ops: [JSON] = (0..<random.int(1...5)).map { _ in
            var op: JSON = ["op": .string(random.pick(["add", "remove", "replace", "move", "copy", "test", "nope", ""])), "path": .string(random.pick(paths))]
            if random.chance(0.7) { op["value"] = random.chance(0.5) ? "v" : hostileValue() }
            if random.chance(0.3) { op["from"] = .string(random.pick(paths)) }
            if random.chance(0.1) { op = hostileValue() }
            return op
        }
        return .array(ops)
    }

    mutating func mergePatch() -> JSON {
        var patch: JSON = [:]
        patch[path: random.pick([["metadata", "labels"], ["metadata", "name"], ["metadata", "resourceVersion"], ["data"], ["spec"],
                                 ["kind"], ["apiVersion"], ["metadata", "namespace"], ["status"]])] = hostileValue()
        return patch
    }

    mutating func strategicPatch() -> JSON {
        var patch = mergePatch()
        patch[random.pick(["$patch", "$retainKeys", "$setElementOrder/data", "$deleteFromPrimitiveList/finalizers"])] = hostileValue()
        if random.chance(0.5) {
            patch[path: ["metadata", "finalizers"]] = .array([["$patch": .string(random.pick(["delete", "replace", "merge", "bogus"]))]])
        }
        return patch
    }
}
