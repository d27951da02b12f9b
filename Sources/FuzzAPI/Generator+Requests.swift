import FleetAPI

/// Hostile paths, query strings, selectors, headers, and requests too large in every dimension.
extension Generator {
    mutating func path(_ name: String) -> FuzzCase {
        let kind = anyKind()
        let collection = Self.collection(kind)
        let choice = random.int(0...13)
        if choice == 9 {
            return FuzzCase(category: .path, label: "a 200 KB path", method: "GET", target: "/api/v1/" + String(repeating: "x/", count: 100_000), mayGoUnanswered: true)
        }
        let path: String = switch choice {
        case 0: "/apis/nope.example.com/v1/things"
        case 1: "/apis/\(kind.group.isEmpty ? "apps" : kind.group)/v9/\(kind.plural)"
        case 2: "/api/v1/namespaces/\(Self.namespace)/" + random.pick(["pods", "nodes", "", "configmaps/target/log", "configmaps/target/status/x/y"])
        case 3: collection + random.pick(["/../../../etc/passwd", "/%2e%2e/%2e%2e", "/a%2Fb", "/%00", "/%ff%fe", "/..", "/.", "/%"])
        case 4: "//api//v1//namespaces//" + Self.namespace
        case 5: "/" + random.pick(["as-of/abc", "as-of/-1", "as-of/99999999999999999999", "as-of/2025-99-99T00:00:00Z", "as-of/0"]) + collection
        case 6: "/members/" + random.pick(["..", "nope", "%2e", "m"]) + collection
        case 7: "/" + random.pick(["flotilla/v1/audit?since=yesterday", "flotilla/v1/audit?run=%00", "flotilla/v1/snapshots",
                                   "flotilla/v1/snapshots?placement=nope", "openapi/v2", "openapi/v3/nope/v1", "metrics/x", "healthz/x", "version/x"])
        case 8: collection + "/" + String(repeating: random.pick(["a", "é", "-", "%20"]), count: random.int(64...4000))
        case 10: collection + "/" + name + "/" + random.pick(["status", "scale", "token", "finalize", "approval", "proxy"])
        case 11: random.pick(["/", "/api/v1/namespaces/\(Self.namespace)/serviceaccounts/nope/token", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews/x"])
        case 12: random.pick(["/api", "/apis", "/api/v1", "/apis/placement.kubernetes-fleet.io"]) + random.pick(["", "/", "/x"])
        default: collection
        }
        let method = random.pick(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "PROPFIND", "FOO"])
        let body = ["POST", "PUT", "PATCH"].contains(method) ? Self.manifest(kind, name: name).serialized() : []
        return FuzzCase(
            category: .path, label: "\(method) \(path.prefix(80))", method: method, target: path,
            headers: body.isEmpty ? [] : [("Content-Type", "application/json")], body: body)
    }

    mutating func query() -> FuzzCase {
        let kind = anyKind()
        let parameter = random.pick([
            "limit=" + random.pick(["-1", "abc", "0", "1e100", "99999999999999999999999", "", "1.5"]),
            "continue=" + random.pick(["garbage", "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6LTF9", "%00", String(repeating: "A", count: 5000), "e30="]),
            "limit=1&continue=" + random.pick(["eyJydiI6OTk5OTk5OTk5OSwic3RhcnQiOiJ6In0", "eyJydiI6ImFiYyJ9", "!!!"]),
            "resourceVersion=" + random.pick(["abc", "-1", "99999999999999999999", "0", "", "1.0"]),
            "resourceVersionMatch=" + random.pick(["Bogus", "Exact", "NotOlderThan"]) + "&resourceVersion=" + random.pick(["1", "x"]),
            "watch=" + random.pick(["true", "1", "yes", "false"]) + "&resourceVersion=" + random.pick(["abc", "-5", "99999999999", "1"]) + "&timeoutSeconds=1",
            "watch=true&timeoutSeconds=" + random.pick(["-5", "abc", "1e400", "nan", "99999999999999999999", "-1e308", "0.001", "1"]),
            "dryRun=" + random.pick(["All", "bogus", "", "All&dryRun=All"]),
            "fieldValidation=" + random.pick(["Bogus", "Ignore", "Warn", ""]),
            "propagationPolicy=" + random.pick(["Bogus", "Orphan"]) + "&gracePeriodSeconds=" + random.pick(["-1", "abc"]),
            "pretty=" + random.pick(["true", "x"]) + "&includeObject=" + random.pick(["Object", "bogus"]),
            "a=%zz&%=&&==&" + String(repeating: "k=v&", count: random.int(1...3000)),
        ])
        let write = random.chance(0.3)
        let method = write ? random.pick(["POST", "DELETE"]) : "GET"
        let target = Self.collection(kind) + (method == "DELETE" ? "/" + Self.target : "") + "?" + parameter
        let body = method == "POST" ? Self.manifest(kind, name: "fuzz-query-\(random.int(0...1_000_000))").serialized() : []
        return FuzzCase(
            category: .query, label: "\(method) ?\(parameter.prefix(80))", method: method, target: target,
            headers: body.isEmpty ? [] : [("Content-Type", "application/json")], body: body)
    }

    mutating func selector() -> FuzzCase {
        let label = random.pick([
            "a in (b", "a notin ()", "!", "a==b==c", "x,", ",,", "a>1", "a!=", "  ", "a in (b,c),!d,e=f", "a=" + String(repeating: "v", count: 100),
            String(repeating: "a=b,", count: random.int(100...5000)), "a in (" + (0..<random.int(100...5000)).map { "v\($0)" }.joined(separator: ",") + ")",
            "é=ü", "a%3Db", "a=b%00", "(a=b)", "a in b", "=b", "a/b/c=d", "environment in (canary, staging)",
        ])
        let field = random.pick([
            "metadata.name=x", "spec.x=y", "metadata.name==", "a=b=c", "metadata.namespace!=", "status.phase=Active",
            "metadata.name=" + String(repeating: "n", count: 1000), ",", "metadata.name", "metadata.name in (a)",
        ])
        var query = random.chance(0.6) ? "labelSelector=" + label : "fieldSelector=" + field
        if random.chance(0.3) { query += "&watch=true&timeoutSeconds=1" }
        if random.chance(0.2) { query += "&labelSelector=" + label + "&fieldSelector=" + field }
        return FuzzCase(category: .selector, label: "?\(query.prefix(80))", method: "GET", target: Self.collection(anyKind()) + "?" + query)
    }

    /// Headers a client should never send. Cases that send credentials other than the client certificate go
    /// without it (`anonymous`), so the hub judges those credentials alone.
    mutating func header(_ name: String) -> FuzzCase {
        var fuzzCase = FuzzCase(category: .header, label: "", method: "GET", target: Self.configMaps)
        switch random.int(0...4) {
        case 0:
            let contentType = random.pick([
                "garbage", "", "application/json; charset=utf-16", "multipart/form-data; boundary=x", "application/vnd.kubernetes.protobuf",
                "text/plain", "application/yaml", "application/json;;;", "application/*", "image/png",
            ])
            fuzzCase.method = "POST"
            fuzzCase.headers = [("Content-Type", contentType)]
            fuzzCase.body = Self.manifest(.configMap, name: name).serialized()
            fuzzCase.label = "Content-Type: \(contentType)"
        case 1:
            let accept = random.pick([
                "application/vnd.kubernetes.protobuf", "application/json;as=Table;v=v9;g=meta.k8s.io", "*/*;q=junk", "text/html", "",
                "application/json;as=Table;v=v1;g=meta.k8s.io", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
                String(repeating: "a/b,", count: 1000),
            ])
            fuzzCase.target = random.pick([Self.configMaps, "/api", "/apis", Self.configMaps + "/" + Self.target])
            fuzzCase.headers = [("Accept", accept)]
            fuzzCase.label = "Accept: \(accept.prefix(60))"
        case 2:
            let headers = random.pick([
                [("Impersonate-User", "")], [("Impersonate-User", String(repeating: "u", count: 5000))],
                [("Impersonate-User", "system:serviceaccount:bad")], [("Impersonate-User", "system:serviceaccount::")],
                [("Impersonate-Group", "g")], [("Impersonate-Uid", "u")], [("Impersonate-Extra-", "x")], [("Impersonate-Extra-%zz", "x")],
                [("Impersonate-User", "alice"), ("Impersonate-Group", "system:masters")], [("Impersonate-User", "system:anonymous")],
                [("Impersonate-User", "alice"), ("Impersonate-Extra-scopes", "a"), ("Impersonate-Uid", "1")],
            ])
            fuzzCase.headers = headers
            fuzzCase.method = random.pick(["GET", "POST"])
            if fuzzCase.method == "POST" {
                fuzzCase.headers.append(("Content-Type", "application/json"))
                fuzzCase.body = Self.manifest(.configMap, name: name).serialized()
            }
            fuzzCase.label = "impersonation " + headers.map { "\($0.0): \($0.1.prefix(30))" }.joined(separator: ", ")
        default:
            let authorization = random.pick([
                "Bearer", "Bearer ", "Bearer  x", "bearer x", "Basic dXNlcjpwYXNz", "Bearer a.b.c",
                "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZGVmYXVsdDpkZWZhdWx0In0.",
                "Bearer " + String(repeating: "t", count: 10_000), "Negotiate x", "",
            ])
            fuzzCase.headers = [("Authorization", authorization)]
            fuzzCase.anonymous = true
            fuzzCase.method = random.pick(["GET", "DELETE"])
            if fuzzCase.method == "DELETE" { fuzzCase.target = Self.configMaps + "/" + Self.target }
            fuzzCase.label = "Authorization: \(authorization.prefix(40))"
        }
        return fuzzCase
    }

    mutating func oversized() -> FuzzCase {
        switch random.int(0...6) {
        case 0:
            var body = Array(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"big"},"data":{"a":""#.utf8)
            body += Array(repeating: UInt8(ascii: "x"), count: (3 << 20) - body.count + random.int(1...1000)) + Array(#""}}"#.utf8)
            return FuzzCase(
                category: .oversized, label: "a body over 3 MiB", method: random.pick(["POST", "PUT"]),
                target: Self.configMaps + (random.chance(0.5) ? "" : "/big"), headers: [("Content-Type", "application/json")], body: body,
                mayGoUnanswered: true)
        case 1:
            // One name for all of them, so the hub holds at most one: the run measures refusals, not memory.
            var manifest = Self.manifest(.configMap, name: "big-string")
            manifest["data"] = ["big": .string(String(repeating: "z", count: random.int(1 << 19...(3 << 20) - 200)))]
            return FuzzCase(category: .oversized, label: "a string of up to 3 MiB", method: "POST", target: Self.configMaps,
                            headers: [("Content-Type", "application/json")], body: manifest.serialized())
        case 2:
            var manifest = Self.manifest(.configMap, name: "many-annotations")
            manifest[path: ["metadata", "annotations"]] = .object(Dictionary(uniqueKeysWithValues: (0..<random.int(1000...20_000)).map {
                ("example.com/k\($0)", JSON.string(String(repeating: "a", count: 20)))
            }))
            return FuzzCase(category: .oversized, label: "thousands of annotations", method: "POST", target: Self.configMaps,
                            headers: [("Content-Type", "application/json")], body: manifest.serialized())
        case 3:
            return FuzzCase(category: .oversized, label: "a 100 KB header", method: "GET", target: Self.configMaps,
                            headers: [("X-Fuzz", String(repeating: "h", count: 100_000))], mayGoUnanswered: true)
        case 4:
            return FuzzCase(category: .oversized, label: "400 headers", method: "GET", target: Self.configMaps,
                            headers: (0..<400).map { ("X-Fuzz-\($0)", "v") }, mayGoUnanswered: true)
        case 5:
            let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: many-anchors, namespace: \(Self.namespace)}\ndata:\n"
                + (0..<random.int(5_000...20_000)).map { "  k\($0): &a\($0) v\n" }.joined()
            return FuzzCase(category: .oversized, label: "a YAML of many anchors", method: "POST", target: Self.configMaps,
                            headers: [("Content-Type", "application/yaml")], body: Array(yaml.utf8))
        default:
            let items = (0..<random.int(10_000...50_000)).map { _ in "{}" }.joined(separator: ",")
            return FuzzCase(category: .oversized, label: "a list of many empty objects", method: "POST", target: Self.strategies,
                            headers: [("Content-Type", "application/json")],
                            body: Array(#"{"apiVersion":"placement.kubernetes-fleet.io/v1beta1","kind":"ClusterStagedUpdateStrategy","metadata":{"name":"many-stages"},"spec":{"stages":[\#(items)]}}"#.utf8))
        }
    }
}
