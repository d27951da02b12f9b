import Yams

/// go-yaml's bound on alias expansion ("billion laughs"), which `sigs.k8s.io/yaml`, and so the API server, applies
/// to every document: a decode fails with "document contains excessive aliasing" once more than 100 of its node
/// decodes, and a greater share than `allowedRatio` allows, come from expanding aliases, after its first 1000
/// decodes. Small documents may be almost all aliases; large ones only a tenth.
struct YAMLAliasBudget {
    private(set) var decodes = 0
    private(set) var aliasDecodes = 0

    static let message = "document contains excessive aliasing"

    /// go-yaml's `allowedAliasRatio`: 99% up to 400,000 decodes, falling linearly to 10% at 4,000,000.
    static func allowedRatio(_ decodes: Int) -> Double {
        let low = 400_000.0
        let high = 4_000_000.0
        let count = Double(decodes)
        if count <= low { return 0.99 }
        if count >= high { return 0.10 }
        return 0.99 - 0.89 * (count - low) / (high - low)
    }

    var isExceeded: Bool {
        aliasDecodes > 100 && decodes > 1000 && Double(aliasDecodes) / Double(decodes) > Self.allowedRatio(decodes)
    }

    /// Counts `count` decodes, `aliased` of them inside an alias's expansion.
    mutating func add(_ count: Int, aliased: Int) {
        // Saturating: a probe's totals may be astronomically large, and only their ratio matters.
        decodes = min(decodes + count, Int.max / 4)
        aliasDecodes = min(aliasDecodes + aliased, Int.max / 4)
    }
}

/// Refuses a document whose aliases expand past go-yaml's bound before Yams composes it.
///
/// Yams composes an alias as the anchored node itself, which costs nothing, but it hashes every mapping key to
/// find duplicates, and hashing an alias walks its whole expansion: a key that is a billion laughs costs a
/// billion steps inside Yams, before the converter could count one. So a text with any `*` is first composed
/// with every `*` turned into a plain character: that copy holds no alias, costs its own size, and has the
/// same shape, with each alias now a plain scalar in its place. Adding up the anchors' sizes over that shape
/// gives the decodes go-yaml would make.
enum YAMLAliasProbe {
    /// What each `*` becomes: a private-use character, printable to libyaml, that no manifest holds.
    static let marker: Unicode.Scalar = "\u{E000}"

    static func check(_ text: String) throws {
        guard text.utf8.contains(UInt8(ascii: "*")) else { return }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 64)
        for byte in text.utf8 {
            if byte == UInt8(ascii: "*") { bytes.append(contentsOf: String(marker).utf8) } else { bytes.append(byte) }
        }
        let parser = try Parser(
            yaml: String(decoding: bytes, as: UTF8.self), resolver: YAML.plainMarkingResolver, constructor: .default,
            encoding: .utf8)
        while let root = try parser.nextRoot() {
            var expansion = Expansion()
            let (decodes, aliased) = expansion.count(root)
            var budget = YAMLAliasBudget()
            budget.add(decodes + 1, aliased: aliased)  // and the document node
            if budget.isExceeded { throw YAMLError(line: 0, column: 0, message: YAMLAliasBudget.message) }
        }
    }

    /// The decodes of each node of a probe, and how many of them come from expanding aliases.
    struct Expansion {
        /// The decodes each anchor's node costs, as of the point reached: an anchor may be defined again.
        var anchors: [String: Int] = [:]

        mutating func count(_ node: Node) -> (decodes: Int, aliased: Int) {
            var decodes = 1
            var aliased = 0
            func add(_ child: (decodes: Int, aliased: Int)) {
                decodes = min(decodes + child.decodes, Int.max / 4)
                aliased = min(aliased + child.aliased, Int.max / 4)
            }
            switch node {
            case .scalar(let scalar):
                if let name = Self.aliasName(scalar) {
                    // The alias node, then its target decoded again, all of it inside the alias.
                    let target = anchors[name] ?? 0
                    add((target, target))
                }
            case .sequence(let sequence):
                for child in sequence { add(count(child)) }
            case .mapping(let mapping):
                for (key, value) in mapping {
                    add(count(key))
                    add(count(value))
                }
            case .alias:
                break
            }
            if let anchor = node.anchor { anchors[anchor.rawValue] = decodes }
            return (decodes, aliased)
        }

        /// The anchor a plain scalar of the probe names when it stands where an alias stood: the marker, then the
        /// characters libyaml reads as the anchor's name.
        static func aliasName(_ scalar: Node.Scalar) -> String? {
            guard scalar.style == .plain, scalar.string.unicodeScalars.first == marker else { return nil }
            let name = scalar.string.unicodeScalars.dropFirst().prefix(while: isNameCharacter)
            return name.isEmpty ? nil : String(String.UnicodeScalarView(name))
        }

        static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar {
            case "0"..."9", "a"..."z", "A"..."Z", "_", "-": true
            default: false
            }
        }
    }
}
