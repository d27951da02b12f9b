import Foundation
import Testing
@testable import Rollout

/// `ObjectKey` hashes its strings' bytes itself, once when it is made; equal keys must still hash alike, and keys
/// must stay apart.
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

    /// The word a key is hashed and compared by is made again when a field changes.
    @Test func aKeyWithAFieldChangedIsTheKeyMadeWithIt() {
        let placement = ObjectKey(kind: "ClusterResourcePlacement", name: "bk000000-placement")
        var key = placement
        key.name = "bk000001-placement"
        key.namespace = "app"
        key.kind = "ResourcePlacement"
        let made = ObjectKey(kind: "ResourcePlacement", namespace: "app", name: "bk000001-placement")
        #expect(key == made)
        #expect(key.hashValue == made.hashValue)
        #expect(key != placement)
        #expect(Set([made, placement]).contains(key))
    }

    /// Decoded, a key has the word of one made from its strings; encoded, it shows only its strings.
    @Test func aKeyCodesAsItsThreeStrings() throws {
        let made = ObjectKey(kind: "ConfigMap", namespace: "app", name: "settings")
        let decoded = try JSONDecoder().decode(
            ObjectKey.self, from: Data(#"{"kind":"ConfigMap","name":"settings","namespace":"app"}"#.utf8))
        #expect(decoded == made)
        #expect(decoded.hashValue == made.hashValue)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(String(decoding: try encoder.encode(made), as: UTF8.self) == #"{"kind":"ConfigMap","name":"settings","namespace":"app"}"#)
    }
}
