import Testing
@testable import Rollout

/// `ObjectKey` hashes its strings' bytes itself; equal keys must still hash alike, and keys must stay apart.
struct ObjectKeyTests {
    @Test func equalKeysHashAlikeWhateverTheirStorage() {
        let key = ObjectKey(kind: "ClusterResourcePlacement", namespace: "bk000000-app", name: "bk000000-placement")
        let built = ObjectKey(
            kind: "ClusterResource" + "Placement", namespace: String(decoding: Array("bk000000-app".utf8), as: UTF8.self), name: ["bk000000", "placement"].joined(separator: "-"))
        #expect(key == built)
        #expect(key.hashValue == built.hashValue)
    }

    @Test func keysWithOtherThanASCIIHashAsTheirStringsDo() {
        let composed = ObjectKey(kind: "ConfigMap", namespace: "caf\u{E9}", name: "settings")
        let decomposed = ObjectKey(kind: "ConfigMap", namespace: "cafe\u{301}", name: "settings")
        #expect(composed == decomposed)
        #expect(composed.hashValue == decomposed.hashValue)
    }

    @Test func keysSplittingTheSameCharactersDifferentlyStayApart() {
        let keys = [
            ObjectKey(kind: "ConfigMap", namespace: "app", name: "config-settings"),
            ObjectKey(kind: "ConfigMap", namespace: "appconfig", name: "-settings"),
            ObjectKey(kind: "ConfigMap", namespace: "", name: "appconfig-settings"),
            ObjectKey(kind: "ConfigMapapp", namespace: "", name: "config-settings"),
        ]
        #expect(Set(keys).count == keys.count)
        #expect(Set(keys.map(\.hashValue)).count == keys.count)
    }
}
