import FleetAPI

/// KubeFleet's envelope Works: each envelope a placement selects goes to a member in a Work of its own, beside the
/// placement's main Work and named after it, that holds the wrapped manifests and not the envelope.
extension WorkWriter {
    /// `<main Work>-envelope-<16 hex>`: the hex is the first 8 bytes of the SHA-256 of
    /// `<envelope kind>/<namespace>/<name>`, so that the same envelope always lands in the same Work.
    static func envelopeWorkKey(_ envelope: JSON, main: ObjectKey) -> ObjectKey {
        let kind = envelope["kind"]?.stringValue ?? ""
        let namespace = envelope[path: ["metadata", "namespace"]]?.stringValue ?? ""
        let name = envelope[path: ["metadata", "name"]]?.stringValue ?? ""
        let hash = ResourceHash.sha256Hex(Array("\(kind)/\(namespace)/\(name)".utf8)).prefix(16)
        return ObjectKey(.work, namespace: main.namespace, name: "\(main.name)\(envelopeInfix)\(hash)")
    }

    static let envelopeInfix = "-envelope-"

    /// The main Work's key for an envelope Work's; nil for any other name.
    static func mainWorkName(ofEnvelopeWork name: String) -> String? {
        let hash = name.suffix(16)
        let head = name.dropLast(16)
        guard hash.count == 16, hash.allSatisfy(\.isHexDigit), head.hasSuffix(envelopeInfix) else { return nil }
        let main = head.dropLast(envelopeInfix.count)
        return main.hasSuffix("-work") ? String(main) : nil
    }

    /// The envelope Works on the hub beside `main`, by name.
    static func envelopeWorkKeys(of main: ObjectKey, in state: HubState) -> [ObjectKey] {
        state.objects.keys(inNamespace: main.namespace)
            .filter { $0.kind == ResourceKind.work.kind && mainWorkName(ofEnvelopeWork: $0.name) == main.name }
            .sorted()
    }

    /// The Works `objects` make for one cluster: the main one with every object that is not an envelope, then one
    /// per envelope, labelled as KubeFleet labels them.
    static func manifests(
        _ main: ObjectKey, placement: ObjectKey, index: Int, objects: [JSON], applyStrategy: JSON?
    ) -> [(key: ObjectKey, manifest: JSON)] {
        let plain = objects.filter { !Envelopes.isEnvelope($0) }
        let envelopes = objects.filter(Envelopes.isEnvelope).map { envelope in
            let key = envelopeWorkKey(envelope, main: main)
            var work = manifest(key, placement: placement, index: index, objects: Envelopes.contents(of: envelope), applyStrategy: applyStrategy)
            work[path: ["metadata", "labels", Envelopes.typeLabel]] = envelope["kind"] ?? .null
            work[path: ["metadata", "labels", Envelopes.nameLabel]] = envelope[path: ["metadata", "name"]] ?? .null
            if let namespace = envelope[path: ["metadata", "namespace"]] {
                work[path: ["metadata", "labels", Envelopes.namespaceLabel]] = namespace
            }
            return (key, work)
        }
        return [(main, manifest(main, placement: placement, index: index, objects: plain, applyStrategy: applyStrategy))]
            + envelopes.sorted { $0.0 < $1.0 }
    }
}
