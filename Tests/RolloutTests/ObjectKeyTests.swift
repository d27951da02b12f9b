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
        // Hashed inside another value, a key feeds the hasher rather than giving its raw hash.
        var hasher = Hasher(), builtHasher = Hasher()
        hasher.combine(key)
        builtHasher.combine(built)
        #expect(hasher.finalize() == builtHasher.finalize())
    }

    @Test func canonicallyEquivalentKeysHashAlike() {
        let composed = ObjectKey(kind: "ConfigMap", namespace: "caf\u{E9}", name: "settings")
        let decomposed = ObjectKey(kind: "ConfigMap", namespace: "cafe\u{301}", name: "settings")
        #expect(composed == decomposed)
        #expect(composed.hashValue == decomposed.hashValue)
    }

    /// The Kelvin sign is canonically a K: a key spelt with it equals the ASCII key, so it must hash alike.
    @Test func aKeyEqualToAnASCIIKeyHashesAsItDoes() {
        let ascii = ObjectKey(kind: "Kelvin", namespace: "", name: "settings")
        let kelvin = ObjectKey(kind: "\u{212A}elvin", namespace: "", name: "settings")
        #expect(ascii == kelvin)
        #expect(ascii.hashValue == kelvin.hashValue)
        #expect(Set([ascii, kelvin]).count == 1)
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
