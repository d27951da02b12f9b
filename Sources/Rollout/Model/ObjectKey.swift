import FleetAPI
import Foundation

/// Names one object on the hub: its kind, namespace (empty for cluster-scoped kinds) and name.
public struct ObjectKey: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var kind: String { didSet { word = Self.word(kind, namespace, name) } }
    public var namespace: String { didSet { word = Self.word(kind, namespace, name) } }
    public var name: String { didSet { word = Self.word(kind, namespace, name) } }
    /// The three strings mixed into one word, made with the key: folding an event looks keys up about three times
    /// and compares them with the keys it passes on the way, and mixing the strings each time was half of a
    /// lookup (about 300 instructions); keys that differ mostly differ here, so comparing them stops at one word.
    private var word: UInt64

    public init(kind: String, namespace: String = "", name: String) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
        word = Self.word(kind, namespace, name)
    }

    /// The word is made again where a key is decoded, never read from outside: it is seeded per process.
    private enum CodingKeys: String, CodingKey {
        case kind, namespace, name
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            kind: try container.decode(String.self, forKey: .kind),
            namespace: try container.decode(String.self, forKey: .namespace),
            name: try container.decode(String.self, forKey: .name))
    }

    public init(_ kind: ResourceKind, namespace: String = "", name: String) {
        self.init(kind: kind.keyName, namespace: kind.namespaced ? namespace : "", name: name)
    }

    /// The built-in kind of the object; nil for a custom kind, which `HubState.kinds` resolves.
    public var resourceKind: ResourceKind? { ResourceKind.builtIn(keyName: kind) }

    /// The journal stream of the object: `Kind/name` or `Kind/namespace/name`.
    public var description: String { namespace.isEmpty ? "\(kind)/\(name)" : "\(kind)/\(namespace)/\(name)" }

    /// The words first, then names: the keys of one dictionary share a few kinds and namespaces, so the name tells a
    /// key apart soonest among those whose words agree.
    public static func == (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        lhs.word == rhs.word && lhs.name == rhs.name && lhs.namespace == rhs.namespace && lhs.kind == rhs.kind
    }

    public static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        (lhs.kind, lhs.namespace, lhs.name) < (rhs.kind, rhs.namespace, rhs.name)
    }

    /// Gives the hasher one word made from the three strings rather than their bytes: SipHash over every byte was
    /// most of a lookup, and folding an event looks runs, placements and objects up by key several times. The word
    /// starts from a seed drawn per process, so keys made to collide on one hub do not collide on another. Among
    /// ASCII strings equal strings are equal bytes, and names and namespaces are ASCII (validation holds them to
    /// DNS subdomains). Swift's equal strings are canonically equivalent ones, so a key with other characters is
    /// hashed by its NFC bytes: those of an equal ASCII key (a Kelvin sign's are a K's) or of any equal key.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(word)
    }

    /// What dictionaries and sets ask instead of `hash(into:)`: their seed mixed into the word here spares each
    /// lookup seeding, feeding and finalizing a SipHash `Hasher`, which cost as much as the word.
    public func _rawHashValue(seed: Int) -> Int {
        Int(truncatingIfNeeded: Self.mixing(word, UInt64(truncatingIfNeeded: seed)))
    }

    /// A key whose word its reader made from the bytes of its strings as it read them, mixed as `mix` mixes them,
    /// in the order kind, name, namespace, from `seed`; for ASCII strings alone.
    init(kind: String, namespace: String, name: String, word: UInt64) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.word = word
    }

    /// Kind, name, namespace: the order the journal writes a key's fields in, so a reader can mix them as it goes.
    private static func word(_ kind: String, _ namespace: String, _ name: String) -> UInt64 {
        var word = seed
        if !(mix(kind, into: &word) && mix(name, into: &word) && mix(namespace, into: &word)) {
            word = seed
            for text in [kind, name, namespace] { _ = mix(text.precomposedStringWithCanonicalMapping, into: &word) }
        }
        return word
    }

    static let seed = UInt64.random(in: .min ... .max)

    /// Folds the UTF-8 of `text` and its length into `word`, eight bytes at a time; false when it is not ASCII.
    private static func mix(_ text: String, into word: inout UInt64) -> Bool {
        // What the bytes' mix gives for none, without reaching for them: most keys' namespace is empty.
        if text.isEmpty {
            word = mixing(mixing(word, 0), 0)
            return true
        }
        if let ascii = text.utf8.withContiguousStorageIfAvailable({ mix($0, into: &word) }) { return ascii }
        return Array(text.utf8).withUnsafeBufferPointer { mix($0, into: &word) }
    }

    static func mix(_ bytes: UnsafeBufferPointer<UInt8>, into word: inout UInt64) -> Bool {
        var high: UInt64 = 0
        var offset = 0
        while offset + 8 <= bytes.count {
            let chunk = UnsafeRawPointer(bytes.baseAddress! + offset).loadUnaligned(as: UInt64.self)
            high |= chunk
            word = mixing(word, chunk)
            offset += 8
        }
        var tail: UInt64 = 0
        if offset < bytes.count && bytes.count >= 8 {
            // The last eight bytes, overlapping the step before: a byte at a time was most of a name's mix.
            tail = UnsafeRawPointer(bytes.baseAddress! + bytes.count - 8).loadUnaligned(as: UInt64.self)
        } else {
            while offset < bytes.count {
                tail = tail << 8 | UInt64(bytes[offset])
                offset += 1
            }
        }
        high |= tail
        word = mixing(mixing(word, tail), UInt64(bytes.count))
        return high & 0x8080_8080_8080_8080 == 0
    }

    private static func mixing(_ word: UInt64, _ value: UInt64) -> UInt64 {
        let product = (word ^ value).multipliedFullWidth(by: 0x9E37_79B9_7F4A_7C15)
        return product.high ^ product.low
    }
}
