import Testing

@testable import FleetAPI

private func json(_ text: String) throws -> JSON {
    try JSON.parse(text)
}

/// RFC 6902 JSON patch, mostly the examples of the RFC's appendix A.
@Suite struct JSONPatchTests {
    func patch(_ target: String, _ operations: String) throws -> JSON {
        try JSONPatch.apply(json(operations), to: json(target))
    }

    @Test func addsAnObjectMember() throws {
        #expect(
            try patch(#"{"foo":"bar"}"#, #"[{"op":"add","path":"/baz","value":"qux"}]"#)
                == json(#"{"baz":"qux","foo":"bar"}"#))
    }

    @Test func addsAnArrayElement() throws {
        #expect(
            try patch(#"{"foo":["bar","baz"]}"#, #"[{"op":"add","path":"/foo/1","value":"qux"}]"#)
                == json(#"{"foo":["bar","qux","baz"]}"#))
    }

    @Test func addsANestedObjectAndIgnoresUnknownMembers() throws {
        #expect(
            try patch(#"{"foo":"bar"}"#, #"[{"op":"add","path":"/child","value":{"grandchild":{}},"xyz":123}]"#)
                == json(#"{"foo":"bar","child":{"grandchild":{}}}"#))
    }

    @Test func dashAppends() throws {
        #expect(
            try patch(#"{"foo":["bar"]}"#, #"[{"op":"add","path":"/foo/-","value":["abc","def"]}]"#)
                == json(#"{"foo":["bar",["abc","def"]]}"#))
    }

    @Test func addReplacesAnExistingMemberAndTheRoot() throws {
        #expect(try patch(#"{"a":1}"#, #"[{"op":"add","path":"/a","value":2}]"#) == ["a": 2])
        #expect(try patch(#"{"a":1}"#, #"[{"op":"add","path":"","value":[true]}]"#) == [true])
    }

    @Test func removes() throws {
        #expect(try patch(#"{"baz":"qux","foo":"bar"}"#, #"[{"op":"remove","path":"/baz"}]"#) == ["foo": "bar"])
        #expect(
            try patch(#"{"foo":["bar","qux","baz"]}"#, #"[{"op":"remove","path":"/foo/1"}]"#)
                == json(#"{"foo":["bar","baz"]}"#))
    }

    @Test func replaces() throws {
        #expect(
            try patch(#"{"baz":"qux","foo":"bar"}"#, #"[{"op":"replace","path":"/baz","value":"boo"}]"#)
                == json(#"{"baz":"boo","foo":"bar"}"#))
        #expect(try patch(#"{"a":null}"#, #"[{"op":"replace","path":"/a","value":1}]"#) == ["a": 1])
    }

    @Test func moves() throws {
        #expect(
            try patch(
                #"{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}"#,
                #"[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]"#)
                == json(#"{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}"#))
        #expect(
            try patch(#"{"foo":["all","grass","cows","eat"]}"#, #"[{"op":"move","from":"/foo/1","path":"/foo/3"}]"#)
                == json(#"{"foo":["all","cows","eat","grass"]}"#))
    }

    @Test func copies() throws {
        #expect(
            try patch(#"{"a":{"b":[1]}}"#, #"[{"op":"copy","from":"/a/b","path":"/c"},{"op":"add","path":"/c/-","value":2}]"#)
                == json(#"{"a":{"b":[1]},"c":[1,2]}"#))
    }

    @Test func testPasses() throws {
        let target = #"{"baz":"qux","foo":["a",2,"c"]}"#
        #expect(
            try patch(target, #"[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2.0}]"#)
                == json(target))
    }

    @Test func testFails() throws {
        #expect(throws: PatchError.operationFailed(index: 0, message: "testing value /baz failed")) {
            try patch(#"{"baz":"qux"}"#, #"[{"op":"test","path":"/baz","value":"bar"}]"#)
        }
        // A string is not equal to a number, even one with the same digits.
        #expect(throws: PatchError.operationFailed(index: 0, message: "testing value /~01 failed")) {
            try patch(#"{"/":9,"~1":10}"#, #"[{"op":"test","path":"/~01","value":"10"}]"#)
        }
    }

    @Test func escapesDecodeTildeOneBeforeTildeZero() throws {
        #expect(try patch(#"{"/":9,"~1":10}"#, #"[{"op":"test","path":"/~01","value":10}]"#) == json(#"{"/":9,"~1":10}"#))
        #expect(try patch(#"{"a/b":1}"#, #"[{"op":"replace","path":"/a~1b","value":2}]"#) == ["a/b": 2])
    }

    @Test func failuresNameTheOperationAndPath() throws {
        #expect(
            throws: PatchError.operationFailed(
                index: 0, message: "jsonpatch add operation does not apply: doc is missing path: /baz/bat")
        ) { try patch(#"{"foo":"bar"}"#, #"[{"op":"add","path":"/baz/bat","value":"qux"}]"#) }
        #expect(
            throws: PatchError.operationFailed(
                index: 1, message: "jsonpatch replace operation does not apply: doc is missing key: /spec/foo")
        ) {
            try patch(
                #"{"spec":{}}"#,
                #"[{"op":"add","path":"/spec/x","value":1},{"op":"replace","path":"/spec/foo","value":2}]"#)
        }
        #expect(
            throws: PatchError.operationFailed(
                index: 0, message: "jsonpatch remove operation does not apply: invalid index referenced: /a/2")
        ) { try patch(#"{"a":[1,2]}"#, #"[{"op":"remove","path":"/a/2"}]"#) }
        #expect(
            throws: PatchError.operationFailed(
                index: 0, message: "jsonpatch move operation does not apply: doc is missing from key: /nope")
        ) { try patch(#"{}"#, #"[{"op":"move","from":"/nope","path":"/x"}]"#) }
        #expect(
            throws: PatchError.operationFailed(
                index: 0, message: "jsonpatch move operation does not apply: cannot move /a into its own child /a/b")
        ) { try patch(#"{"a":{}}"#, #"[{"op":"move","from":"/a","path":"/a/b"}]"#) }
    }

    @Test func isAtomic() throws {
        let target = try json(#"{"spec":{"replicas":1}}"#)
        let operations = try json(
            #"[{"op":"replace","path":"/spec/replicas","value":3},{"op":"test","path":"/spec/x","value":1}]"#)
        #expect(
            throws: PatchError.operationFailed(
                index: 1, message: "jsonpatch test operation does not apply: doc is missing key: /spec/x")
        ) { try JSONPatch.apply(operations, to: target) }
        #expect(target == ["spec": ["replicas": 1]])
    }

    @Test func malformedPatches() throws {
        #expect(throws: PatchError.malformed("invalid JSON patch: expected an array of operations")) {
            try patch("{}", #"{"op":"add"}"#)
        }
        #expect(throws: PatchError.malformed("invalid JSON patch: add operation 0 has no \"value\"")) {
            try patch("{}", #"[{"op":"add","path":"/a"}]"#)
        }
        #expect(throws: PatchError.malformed("invalid JSON patch: operation 1 has unknown op \"frob\"")) {
            try patch("{}", #"[{"op":"test","path":"","value":{}},{"op":"frob","path":"/a"}]"#)
        }
        #expect(throws: PatchError.malformed("invalid JSON patch: remove operation 0 has an invalid JSON pointer: a")) {
            try patch("{}", #"[{"op":"remove","path":"a"}]"#)
        }
    }

    @Test func errorDescriptions() {
        #expect(
            PatchError.operationFailed(index: 2, message: "testing value /a failed").description
                == "testing value /a failed (operation 2)")
        #expect(PatchError.invalid(field: "spec.ports", message: "boom").description == "spec.ports: boom")
        #expect(PatchError.malformed("bad").description == "bad")
    }
}

/// Kubernetes strategic merge patch, with the bodies kubectl sends.
@Suite struct StrategicMergePatchTests {
    let deployment = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"demo"},
         "spec":{"replicas":2,
          "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
          "template":{"spec":{"containers":[
            {"name":"web","image":"web:1","ports":[{"containerPort":80,"protocol":"TCP"}],
             "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"args":["--a","--b"]},
            {"name":"sidecar","image":"proxy:1"}]}}}}
        """

    func patch(_ target: String, _ patch: String, kind: String) throws -> JSON {
        try StrategicMergePatch.apply(json(patch), to: json(target), kind: kind)
    }

    @Test func kubectlEditOfAConfigMap() throws {
        let live = """
            {"apiVersion":"v1","kind":"ConfigMap","data":{"key":"value1","other":"x"},
             "metadata":{"name":"test-cm","namespace":"test-namespace","resourceVersion":"7"}}
            """
        #expect(
            try patch(live, #"{"data":{"key":"value2"}}"#, kind: "ConfigMap")
                == json(
                    """
                    {"apiVersion":"v1","kind":"ConfigMap","data":{"key":"value2","other":"x"},
                     "metadata":{"name":"test-cm","namespace":"test-namespace","resourceVersion":"7"}}
                    """))
        // Removing a key (and a label the object does not have) sends nulls.
        #expect(
            try patch(live, #"{"data":{"other":null},"metadata":{"labels":{"gone":null}}}"#, kind: "ConfigMap")
                == json(
                    """
                    {"apiVersion":"v1","kind":"ConfigMap","data":{"key":"value1"},
                     "metadata":{"name":"test-cm","namespace":"test-namespace","resourceVersion":"7","labels":{}}}
                    """))
    }

    @Test func containersMergeByNameInSetElementOrder() throws {
        let body = """
            {"spec":{"template":{"spec":{
              "$setElementOrder/containers":[{"name":"sidecar"},{"name":"web"},{"name":"metrics"}],
              "containers":[
                {"name":"web","image":"web:2","ports":[{"containerPort":8080}],
                 "$setElementOrder/env":[{"name":"A"},{"name":"B"}],"env":[{"name":"B","value":"3"}],"args":["--c"]},
                {"name":"metrics","image":"metrics:1"}]}}}}
            """
        let result = try patch(deployment, body, kind: "Deployment")
        #expect(
            try result[path: ["spec", "template", "spec", "containers"]]
                == json(
                    """
                    [{"name":"sidecar","image":"proxy:1"},
                     {"name":"web","image":"web:2",
                      "ports":[{"containerPort":8080},{"containerPort":80,"protocol":"TCP"}],
                      "env":[{"name":"A","value":"1"},{"name":"B","value":"3"}],"args":["--c"]},
                     {"name":"metrics","image":"metrics:1"}]
                    """))
        #expect(result[path: ["spec", "replicas"]] == 2)
    }

    @Test func patchDeleteRemovesAListItem() throws {
        let body = """
            {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],
              "containers":[{"$patch":"delete","name":"sidecar"}]}}}}
            """
        #expect(
            try patch(deployment, body, kind: "Deployment")[path: ["spec", "template", "spec", "containers"]]
                == json(
                    """
                    [{"name":"web","image":"web:1","ports":[{"containerPort":80,"protocol":"TCP"}],
                      "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"args":["--a","--b"]}]
                    """))
    }

    @Test func patchDirectivesOnMapsAndLists() throws {
        let live = #"{"metadata":{"labels":{"a":"1","b":"2"},"annotations":{"x":"y"}},"spec":{"ports":[{"port":80},{"port":443}]}}"#
        let body = """
            {"metadata":{"labels":{"$patch":"replace","c":"3"},"annotations":{"$patch":"delete"}},
             "spec":{"ports":[{"port":8080,"name":"alt"},{"$patch":"replace"}]}}
            """
        #expect(
            try patch(live, body, kind: "Service")
                == json(#"{"metadata":{"labels":{"c":"3"},"annotations":{}},"spec":{"ports":[{"port":8080,"name":"alt"}]}}"#))
    }

    @Test func servicePortsMergeByPort() throws {
        let live = #"{"spec":{"ports":[{"port":80,"targetPort":8080},{"port":443,"targetPort":8443}]}}"#
        #expect(
            try patch(live, #"{"spec":{"ports":[{"port":443,"targetPort":9443}]}}"#, kind: "Service")
                == json(#"{"spec":{"ports":[{"port":80,"targetPort":8080},{"port":443,"targetPort":9443}]}}"#))
    }

    @Test func deleteFromPrimitiveListOfFinalizers() throws {
        let live = #"{"metadata":{"name":"n","finalizers":["a","b","c"]}}"#
        #expect(
            try patch(live, #"{"metadata":{"$deleteFromPrimitiveList/finalizers":["b"]}}"#, kind: "ConfigMap")
                == json(#"{"metadata":{"name":"n","finalizers":["a","c"]}}"#))
        // kubectl edit turning [a, b, c] into [a, c, d].
        let body = """
            {"metadata":{"$deleteFromPrimitiveList/finalizers":["b"],"$setElementOrder/finalizers":["a","c","d"],
             "finalizers":["d"]}}
            """
        #expect(try patch(live, body, kind: "Namespace") == json(#"{"metadata":{"name":"n","finalizers":["a","c","d"]}}"#))
    }

    @Test func retainKeysClearsUnlistedFields() throws {
        let body = #"{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate","rollingUpdate":null}}}"#
        #expect(try patch(deployment, body, kind: "Deployment")[path: ["spec", "strategy"]] == ["type": "Recreate"])
        #expect(throws: PatchError.invalid(field: "spec.strategy", message: "patch content doesn't match retainKeys list")) {
            try patch(deployment, #"{"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":{}}}}"#, kind: "Deployment")
        }
    }

    @Test func unlistedListsAreReplaced() throws {
        // Namespace spec.finalizers is atomic in the API types, so kubectl sends the whole new list.
        #expect(
            try patch(#"{"spec":{"finalizers":["kubernetes","x"]}}"#, #"{"spec":{"finalizers":["kubernetes"]}}"#, kind: "Namespace")
                == json(#"{"spec":{"finalizers":["kubernetes"]}}"#))
        // A kind without a schema keeps only the metadata merge lists. Without a $setElementOrder list the
        // API server puts new items before the ones only the live list has, and so does this.
        #expect(StrategicMergePatch.supports(kind: "Deployment"))
        #expect(!StrategicMergePatch.supports(kind: "ClusterResourcePlacement"))
        let live = #"{"metadata":{"finalizers":["a"]},"spec":{"items":[{"name":"x","v":1}]}}"#
        #expect(
            try patch(live, #"{"metadata":{"finalizers":["b"]},"spec":{"items":[{"name":"x","w":2}]}}"#, kind: "Widget")
                == json(#"{"metadata":{"finalizers":["b","a"]},"spec":{"items":[{"name":"x","w":2}]}}"#))
    }

    @Test func malformedAndMisfittingPatches() throws {
        #expect(throws: PatchError.malformed("invalid JSON document: a strategic merge patch must be a JSON object")) {
            try patch("{}", "[]", kind: "ConfigMap")
        }
        #expect(throws: PatchError.malformed("unknown patch type: \"frob\" in metadata.labels")) {
            try patch("{}", #"{"metadata":{"labels":{"$patch":"frob"}}}"#, kind: "ConfigMap")
        }
        #expect(
            throws: PatchError.invalid(
                field: "spec.template.spec.containers",
                message: #"map: {"image":"x"} does not contain declared merge key: name"#)
        ) { try patch(deployment, #"{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}"#, kind: "Deployment") }
    }
}
