import FleetAPI
import Foundation
import Journal
import Testing
@testable import Rollout

/// Secrets at rest: sealed wherever the journal and its checkpoints hold them, plain to the hub, verifiable
/// without a key, and gone for good once their key is destroyed.
struct EncryptionTests {
    let directory: String
    let path: String
    let clock = ManualClock(KubeTime.parse("2026-12-01T10:00:00Z")!)

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = directory + "/hub.journal"
    }

    func sealing() throws -> Sealing { Sealing(keys: try DataKeys(directory: directory, create: true), kinds: ["Secret"]) }

    static let namespace = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n"
    static let secret = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: db
          namespace: team-a
        type: Opaque
        data:
          password: aHVudGVyMg==
        """

    func stored(_ journal: Journal) throws -> String {
        try journal.read(after: 0, limit: Int.max).map { String(decoding: $0.payload, as: UTF8.self) }.joined(separator: "\n")
    }

    @Test func aSecretIsSealedInTheJournalAndPlainToTheHub() async throws {
        let hub = try Hub(path: path, clock: clock, sealing: try sealing())
        try await hub.send(.apply(YAML.parse(Self.namespace)), actor: "test")
        try await hub.send(.apply(YAML.parse(Self.secret)), actor: "test")
        let key = ObjectKey(.secret, namespace: "team-a", name: "db")
        #expect(await hub.render(key)?[path: ["data", "password"]] == "aHVudGVyMg==")
        let text = try stored(hub.journal)
        #expect(!text.contains("aHVudGVyMg=="))
        #expect(!text.contains("Opaque"))
        #expect(text.contains("k8s:enc:aesgcm:v1:"))
        try await hub.checkpoint()
        #expect(try Hub.verifyCheckpoints(hub.journal).isEmpty)
        #expect(try hub.journal.verify().isIntact)
        hub.journal.close()

        let restarted = try Hub(path: path, clock: clock, sealing: try sealing())
        #expect(await restarted.render(key)?[path: ["data", "password"]] == "aHVudGVyMg==")
        #expect(await restarted.render(key)?["type"] == "Opaque")
        restarted.journal.close()

        let keyless = try Hub(path: path, clock: clock)
        let shown = try #require(await keyless.render(key))
        #expect(shown["data"] == nil && shown[Sealing.field] == nil)
        #expect(shown[path: ["metadata", "annotations", Sealing.unreadable]] != nil)
        keyless.journal.close()
    }

    @Test func sealingIsAFunctionOfTheKeyAndTheValueAndBindsTheObjectsName() throws {
        let sealing = try sealing()
        let object = try YAML.parse(Self.secret)
        let sealed = try sealing.seal(object)
        #expect(try sealing.seal(object) == sealed)
        #expect(sealing.unseal(sealed) == object)
        var moved = sealed
        moved[path: ["metadata", "name"]] = "other"
        #expect(sealing.unseal(moved)[Sealing.field] != nil)
        var changed = object
        changed[path: ["data", "password"]] = "b3RoZXI="
        #expect(try sealing.seal(changed)[Sealing.field] != sealed[Sealing.field])
    }

    @Test func aDestroyedKeyLeavesEveryPastValueUnreadableAndTheChainIntact() async throws {
        let hub = try Hub(path: path, clock: clock, sealing: try sealing())
        try await hub.send(.apply(YAML.parse(Self.namespace)), actor: "test")
        try await hub.send(.apply(YAML.parse(Self.secret)), actor: "test")
        let key = ObjectKey(.secret, namespace: "team-a", name: "db")
        try await hub.send(.delete(key), actor: "test")
        let before = try History.state(hub.journal, through: 2, unsealing: try sealing())
        #expect(before.render(key)?[path: ["data", "password"]] == "aHVudGVyMg==")
        hub.journal.close()
        #expect(try DataKeys(directory: directory, create: false).destroy(["Secret/team-a/db"]) == ["Secret/team-a/db"])
        let journal = try Journal(path: path, readOnly: true)
        defer { journal.close() }
        let after = try History.state(journal, through: 2, unsealing: try sealing())
        #expect(after.render(key)?["data"] == nil)
        #expect(after.render(key)?[path: ["metadata", "annotations", Sealing.unreadable]] != nil)
        #expect(try journal.verify().isIntact)
    }

    @Test func keysHoldNoneUntilAnObjectHasADataKeyAndAgainOnceItIsDestroyed() throws {
        let keys = try DataKeys(directory: directory, create: true)
        #expect(keys.holdsNone())
        _ = try keys.key(for: "Secret/a/b", create: true)
        #expect(!keys.holdsNone())
        let reopened = try DataKeys(directory: directory, create: false)
        #expect(!reopened.holdsNone())
        // A key still cached here opens what it sealed, whoever destroyed it on disk.
        #expect(try reopened.destroy(["Secret/a/b"]) == ["Secret/a/b"])
        #expect(!keys.holdsNone())
        #expect(reopened.holdsNone())
    }

    @Test func aStateIsOpenedAsItIsWhenNoObjectHasADataKey() async throws {
        let hub = try Hub(path: path, clock: clock, sealing: try sealing())
        try await hub.send(.apply(YAML.parse(Self.namespace)), actor: "test")
        try await hub.send(.apply(YAML.parse(Self.secret)), actor: "test")
        let sealed = try sealing().seal(await hub.state)
        hub.journal.close()
        let key = ObjectKey(.secret, namespace: "team-a", name: "db")
        #expect(sealed.objects[key]?.json[Sealing.field] != nil)
        #expect(try sealing().unseal(sealed) == (await hub.state))
        #expect(try DataKeys(directory: directory, create: false).destroy(["Secret/team-a/db"]) == ["Secret/team-a/db"])
        #expect(try sealing().unseal(sealed) == sealed)
    }

    @Test func rotationRewrapsTheDataKeysAndDropsTheOldKey() throws {
        let keys = try DataKeys(directory: directory, create: true)
        let first = try #require(try keys.key(for: "Secret/a/b", create: true))
        let old = try keys.keyNames()
        let (name, count) = try keys.rotate()
        #expect(count == 1 && name != old[0])
        #expect(try keys.keyNames() == [name])
        let reopened = try DataKeys(directory: directory, create: false)
        #expect(try reopened.key(for: "Secret/a/b", create: false) == first)
        let mode = try FileManager.default.attributesOfItem(atPath: directory + "/encryption-keys.json")[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func aPlacementsSnapshotOfASecretIsSealedUnderTheSecretsKey() async throws {
        let hub = try Hub(path: path, clock: clock, sealing: try sealing())
        try await hub.send(.apply(YAML.parse(SeedManifests.memberCluster("member1", labels: ["environment": "staging"]))), actor: "test")
        try await hub.send(.apply(YAML.parse(Self.namespace)), actor: "test")
        try await hub.send(.apply(YAML.parse(Self.secret)), actor: "test")
        let placement = """
            apiVersion: placement.kubernetes-fleet.io/v1beta1
            kind: ClusterResourcePlacement
            metadata:
              name: secrets
            spec:
              resourceSelectors:
                - group: ""
                  kind: Namespace
                  name: team-a
                  version: v1
              policy:
                placementType: PickAll
            """
        try await hub.send(.apply(YAML.parse(placement)), actor: "test")
        let snapshot = try #require(await hub.render(ObjectKey(.clusterResourceSnapshot, name: "secrets-0-snapshot")))
        let resources = snapshot[path: ["spec", "selectedResources"]]?.arrayValue ?? []
        #expect(resources.contains { $0[path: ["data", "password"]] == "aHVudGVyMg==" })
        #expect(!(try stored(hub.journal)).contains("aHVudGVyMg=="))
        hub.journal.close()
    }
}
