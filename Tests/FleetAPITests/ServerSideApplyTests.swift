import Testing

@testable import FleetAPI

/// Server-side apply and field ownership, given the live object and its managed fields, when one manager writes,
/// then the object and the managed fields exactly.
@Suite struct ServerSideApplyTests {
    static let deployment = FieldTopology.builtIn(kind: "Deployment")

    func parse(_ text: String) throws -> JSON { try JSON.parse(text) }

    func writer(_ manager: String, at second: Int = 0, subresource: String? = nil) -> FieldWriter {
        FieldWriter(manager: manager, apiVersion: "apps/v1", subresource: subresource, time: "2026-01-01T00:00:0\(second)Z")
    }

    /// kubectl's apply of a one-container Deployment: the live object and its managed fields after it.
    func applied(replicas: Int = 1) throws -> (JSON, ManagedFields) {
        var managed = ManagedFields()
        let object = try ServerSideApply.apply(
            try parse(
                """
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},
                 "spec":{"replicas":\(replicas),"selector":{"matchLabels":{"app":"web"}},
                  "template":{"spec":{"containers":[{"name":"web","image":"web:1","ports":[{"containerPort":80}]}]}}}}
                """), to: nil, managed: &managed, by: writer("kubectl"), force: false, topology: Self.deployment)
        return (object, managed)
    }

    @Test func anApplyOwnsExactlyTheFieldsItSets() throws {
        let (object, managed) = try applied()
        #expect(object[path: ["spec", "replicas"]] == 1)
        #expect(
            try managed.json == parse(
                """
                [{"apiVersion":"apps/v1","fieldsType":"FieldsV1","manager":"kubectl","operation":"Apply","time":"2026-01-01T00:00:00Z",
                  "fieldsV1":{"f:metadata":{"f:labels":{"f:app":{}}},
                   "f:spec":{"f:replicas":{},"f:selector":{},
                    "f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"web\\"}":{".":{},"f:image":{},"f:name":{},
                     "f:ports":{"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{}}}}}}}}}}]
                """))
    }

    @Test func anApplyChangingAFieldAnotherManagerOwnsIsRefused() throws {
        var (object, managed) = try applied()
        let change = try parse(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":3}}"#)
        #expect(throws: ApplyConflict.self) {
            try ServerSideApply.apply(change, to: object, managed: &managed, by: writer("hpa", at: 1), force: false, topology: Self.deployment)
        }
        do {
            _ = try ServerSideApply.apply(change, to: object, managed: &managed, by: writer("hpa", at: 1), force: false, topology: Self.deployment)
        } catch {
            #expect(error.message == #"Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas"#)
            #expect(error.conflicts.map(\.field) == [".spec.replicas"])
        }
        object = try ServerSideApply.apply(change, to: object, managed: &managed, by: writer("hpa", at: 1), force: true, topology: Self.deployment)
        #expect(object[path: ["spec", "replicas"]] == 3)
        #expect(managed.entries.map(\.manager) == ["kubectl", "hpa"])
        #expect(!managed.entries[0].fields.contains(["f:spec", "f:replicas"]))
        #expect(managed.entries[1].fields == FieldSet([["f:spec", "f:replicas"]]))
    }

    @Test func theSameValueSharesOwnership() throws {
        var (object, managed) = try applied()
        let same = try parse(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":1}}"#)
        object = try ServerSideApply.apply(same, to: object, managed: &managed, by: writer("other", at: 1), force: false, topology: Self.deployment)
        #expect(managed.entries.filter { $0.fields.contains(["f:spec", "f:replicas"]) }.map(\.manager) == ["kubectl", "other"])
        // The first applier drops the field; the other still owns it, so it stays.
        let without = try parse(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"app":"web"}}}}"#)
        object = try ServerSideApply.apply(without, to: object, managed: &managed, by: writer("kubectl", at: 2), force: false, topology: Self.deployment)
        #expect(object[path: ["spec", "replicas"]] == 1)
        #expect(object[path: ["metadata", "labels"]] == nil)
        #expect(object[path: ["spec", "template"]] == nil)
    }

    @Test func keyedItemsMergeFieldByField() throws {
        var (object, managed) = try applied()
        let more = try parse(
            #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"template":{"spec":{"containers":[{"name":"web","args":["-v"]}]}}}}"#)
        object = try ServerSideApply.apply(more, to: object, managed: &managed, by: writer("debugger", at: 1), force: false, topology: Self.deployment)
        #expect(try object[path: ["spec", "template", "spec", "containers"]] == parse(#"[{"name":"web","image":"web:1","ports":[{"containerPort":80}],"args":["-v"]}]"#))
        #expect(managed.entries[1].fields == FieldSet([
            ["f:spec", "f:template", "f:spec", "f:containers", #"k:{"name":"web"}"#],
            ["f:spec", "f:template", "f:spec", "f:containers", #"k:{"name":"web"}"#, "f:args"],
            ["f:spec", "f:template", "f:spec", "f:containers", #"k:{"name":"web"}"#, "f:name"],
        ]))
    }

    @Test func severalConflictsAreListedByManager() throws {
        var (object, managed) = try applied()
        var edited = object
        edited[path: ["metadata", "labels", "app"]] = "edited"
        ServerSideApply.update(from: object, to: edited, managed: &managed, by: writer("kubectl-edit", at: 1), topology: Self.deployment)
        object = edited
        let change = try parse(
            """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"mine"}},
             "spec":{"replicas":5,"template":{"spec":{"containers":[{"name":"web","image":"web:2"}]}}}}
            """)
        #expect(
            throws: ApplyConflict.self,
            performing: {
                try ServerSideApply.apply(change, to: object, managed: &managed, by: writer("ci", at: 2), force: false, topology: Self.deployment)
            })
        do {
            _ = try ServerSideApply.apply(change, to: object, managed: &managed, by: writer("ci", at: 2), force: false, topology: Self.deployment)
        } catch {
            #expect(
                error.message == """
                    Apply failed with 3 conflicts: conflicts with "kubectl":
                    - .spec.replicas
                    - .spec.template.spec.containers[name="web"].image
                    conflicts with "kubectl-edit" using apps/v1:
                    - .metadata.labels.app
                    """)
        }
    }

    @Test func anUpdateTakesWhatItChanges() throws {
        let (object, before) = try applied()
        var managed = before
        var edited = object
        edited[path: ["spec", "template", "spec", "containers"]] = try parse(#"[{"name":"web","image":"web:2","ports":[{"containerPort":80}]}]"#)
        ServerSideApply.update(from: object, to: edited, managed: &managed, by: writer("kubectl-edit", at: 1), topology: Self.deployment)
        let image = ["f:spec", "f:template", "f:spec", "f:containers", #"k:{"name":"web"}"#, "f:image"]
        #expect(managed.entries.map(\.manager) == ["kubectl", "kubectl-edit"])
        #expect(!managed.entries[0].fields.contains(image))
        #expect(managed.entries[1] == ManagedFields.Entry(
            manager: "kubectl-edit", operation: .update, apiVersion: "apps/v1", time: "2026-01-01T00:00:01Z", fields: FieldSet([image])))
        #expect(managed.entries[1].label == #""kubectl-edit" using apps/v1"#)
    }

    @Test func aWriteThatChangesNothingKeepsTheTimes() throws {
        let (object, before) = try applied()
        var managed = before
        let again = try ServerSideApply.apply(
            try parse(
                """
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},
                 "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},
                  "template":{"spec":{"containers":[{"name":"web","image":"web:1","ports":[{"containerPort":80}]}]}}}}
                """), to: object, managed: &managed, by: writer("kubectl", at: 5), force: false, topology: Self.deployment)
        #expect(again == object)
        #expect(managed == before)
    }

    @Test func moreThanTenUpdateManagersMergeIntoAncientChanges() throws {
        var object = try parse(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{}}"#)
        var managed = ManagedFields()
        for index in 0..<12 {
            var next = object
            next[path: ["data", "k\(index)"]] = "v"
            ServerSideApply.update(
                from: object, to: next, managed: &managed,
                by: FieldWriter(manager: "m\(index)", apiVersion: "v1", time: "2026-01-01T00:00:\(10 + index)Z"),
                topology: .builtIn(kind: "ConfigMap"))
            object = next
        }
        #expect(managed.entries.count == 10)
        let ancient = try #require(managed.entries.first { $0.manager == "ancient-changes" })
        #expect(ancient.fields == FieldSet([["f:data", "f:k0"], ["f:data", "f:k1"], ["f:data", "f:k2"]]))
        #expect(ancient.time == "2026-01-01T00:00:12Z")
        #expect(Set(managed.entries.map(\.manager)) == Set(["ancient-changes"] + (3..<12).map { "m\($0)" }))
    }

    @Test func customListsFollowTheirSchemaAndAreAtomicByDefault() throws {
        let schema = try parse(
            """
            {"type":"object","x-kubernetes-group-version-kind":[{"group":"example.com","version":"v1","kind":"Widget"}],
             "properties":{"spec":{"type":"object","properties":{
               "tags":{"type":"array","items":{"type":"string"}},
               "owners":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}},
               "slots":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
                        "items":{"type":"object","properties":{"name":{"type":"string"},"size":{"type":"integer"}}}}}}}}
            """)
        let topology = FieldTopology.schema(schema)
        var managed = ManagedFields()
        let live = try ServerSideApply.apply(
            try parse(#"{"spec":{"tags":["a"],"owners":["x"],"slots":[{"name":"s1","size":1}]}}"#), to: nil, managed: &managed,
            by: writer("one"), force: false, topology: topology)
        #expect(
            try managed.entries[0].fields.fieldsV1 == parse(
                #"{"f:spec":{"f:owners":{"v:\"x\"":{}},"f:slots":{"k:{\"name\":\"s1\"}":{".":{},"f:name":{},"f:size":{}}},"f:tags":{}}}"#))
        let merged = try ServerSideApply.apply(
            try parse(#"{"spec":{"owners":["y"],"slots":[{"name":"s2","size":2}]}}"#), to: live, managed: &managed,
            by: writer("two", at: 1), force: false, topology: topology)
        #expect(try merged == parse(#"{"spec":{"tags":["a"],"owners":["x","y"],"slots":[{"name":"s1","size":1},{"name":"s2","size":2}]}}"#))
        #expect(throws: ApplyConflict.self) {
            try ServerSideApply.apply(
                try parse(#"{"spec":{"tags":["b"]}}"#), to: merged, managed: &managed, by: writer("two", at: 2), force: false, topology: topology)
        }
    }

    @Test func fieldsV1RoundTripsAndPathsPrintAsTheAPIServerPrintsThem() throws {
        let encoded = try parse(#"{"f:metadata":{"f:finalizers":{"v:\"x\"":{}}},"f:status":{"f:conditions":{"k:{\"type\":\"Ready\"}":{".":{},"f:status":{}}}}}"#)
        let set = FieldSet(fieldsV1: encoded)
        #expect(set.fieldsV1 == encoded)
        #expect(set.members.map(FieldSet.describe) == [
            #".metadata.finalizers[="x"]"#, #".status.conditions[type="Ready"]"#, #".status.conditions[type="Ready"].status"#,
        ])
        #expect(FieldSet.describe(["f:spec", "f:ports", #"k:{"port":80,"protocol":"TCP"}"#]) == #".spec.ports[port=80,protocol="TCP"]"#)
    }
}
