import FleetAPI
import Testing
@testable import Rollout

/// The store's indexes give exactly the keys a list asks for, as objects come and go.
struct ObjectStoreTests {
    private func object(_ key: ObjectKey) -> StoredObject {
        StoredObject(key: key, json: ["metadata": ["name": .string(key.name)]], generation: 1, resourceVersion: 1)
    }

    @Test func everyObjectOfAKindIsVisitedOnceAndCounted() {
        var store = ObjectStore()
        let keys = [
            ObjectKey(kind: "ConfigMap", namespace: "a", name: "one"), ObjectKey(kind: "ConfigMap", namespace: "b", name: "one"),
            ObjectKey(kind: "Namespace", name: "a"), ObjectKey(kind: "Namespace", name: "b"),
        ]
        for key in keys { store[key] = object(key) }
        store[keys[1]] = nil
        var visited: [ObjectKey] = []
        store.forEach(ofKind: "ConfigMap") { visited.append($0.key) }
        #expect(visited == [keys[0]])
        #expect(store.count(ofKind: "ConfigMap") == 1)
        #expect(store.count(ofKind: "Namespace") == 2)
        #expect(store.count(ofKind: "Secret") == 0)
    }

    @Test func anObjectsLabelsAreItsStringLabelsOnly() {
        let key = ObjectKey(kind: "ConfigMap", namespace: "a", name: "one")
        func labels(_ labels: JSON?) -> [String: String] {
            var json: JSON = ["metadata": ["name": "one"]]
            json[path: ["metadata", "labels"]] = labels
            return StoredObject(key: key, json: json, generation: 1, resourceVersion: 1).labels
        }
        #expect(labels(nil) == [:])
        #expect(labels(["app": "web", "tier": ""]) == ["app": "web", "tier": ""])
        #expect(labels(["app": "web", "replicas": 3, "canary": true]) == ["app": "web"])
        #expect(labels("not an object") == [:])
    }

    @Test func keysOfAKindInANamespaceAreExactlyThoseStoredThere() {
        var store = ObjectStore()
        let keys = [
            ObjectKey(kind: "ConfigMap", namespace: "a", name: "one"), ObjectKey(kind: "ConfigMap", namespace: "a", name: "two"),
            ObjectKey(kind: "ConfigMap", namespace: "b", name: "one"), ObjectKey(kind: "Secret", namespace: "a", name: "one"),
            ObjectKey(kind: "Namespace", name: "a"), ObjectKey(kind: "Namespace", name: "b"),
        ]
        for key in keys { store[key] = object(key) }

        #expect(Set(store.keys(ofKind: "ConfigMap", namespace: "a")) == [keys[0], keys[1]])
        #expect(store.keys(ofKind: "ConfigMap", namespace: "b") == [keys[2]])
        #expect(store.keys(ofKind: "ConfigMap", namespace: "c") == [])
        #expect(Set(store.keys(ofKind: "ConfigMap")) == [keys[0], keys[1], keys[2]])
        #expect(Set(store.keys(ofKind: "Namespace")) == [keys[4], keys[5]])
        #expect(Set(store.keys(ofKind: "Namespace", namespace: "")) == [keys[4], keys[5]])
        #expect(store.keys(ofKind: "Pod") == [])
        #expect(store.keys(inNamespace: "a") == [keys[0], keys[1], keys[3]])

        store[keys[0]] = nil
        store[keys[2]] = nil
        store[keys[2]] = nil
        #expect(store.keys(ofKind: "ConfigMap", namespace: "a") == [keys[1]])
        #expect(store.keys(ofKind: "ConfigMap", namespace: "b") == [])
        #expect(store.keys(ofKind: "ConfigMap") == [keys[1]])
        #expect(store.keys(inNamespace: "b") == [])
        store[keys[1]] = nil
        #expect(store.keys(ofKind: "ConfigMap") == [])
        #expect(store.count == 3)
        #expect(store == {
            var expected = ObjectStore()
            for key in keys[3...] { expected[key] = object(key) }
            return expected
        }())
    }
}
