/// An envelope's rules: its CRD's schema for `data` (1 to 50 manifests, each an object) and the checks KubeFleet's
/// work generator makes on each wrapped manifest (`pkg/controllers/workgenerator/envelope.go`). KubeFleet finds a
/// misused envelope only when it writes the Work and fails the placement; the hub refuses it when it is written.
extension FleetValidation {
    static func envelopeErrors(_ kind: ResourceKind, _ object: JSON) -> [FieldError] {
        guard let data = object["data"], !data.isNull else { return [FieldError(field: "data", rule: "Required value")] }
        guard let manifests = data.objectValue else { return [typeError("data", data, expected: "object")] }
        if manifests.isEmpty {
            return [FieldError(field: "data", rule: "Invalid value: 0: data in body should have at least 1 properties")]
        }
        if manifests.count > 50 {
            return [FieldError(field: "data", rule: "Too many: \(manifests.count): must have at most 50 items")]
        }
        let envelope = "\(Envelopes.reference(object))"
        let envelopeNamespace = object[path: ["metadata", "namespace"]]?.stringValue ?? ""
        var errors: [FieldError] = []
        for key in manifests.keys.sorted() {
            let path = "data.\(key)"
            let manifest = manifests[key]!
            guard manifest.objectValue != nil else {
                errors.append(typeError(path, manifest, expected: "object"))
                continue
            }
            guard let manifestKind = manifest["kind"]?.stringValue, !manifestKind.isEmpty else {
                errors.append(FieldError(
                    field: path,
                    rule: "Invalid value: \"object\": failed to parse the wrapped manifest data to a Kubernetes runtime object "
                        + "(manifestKey=\(key),envelopeObjRef=\(envelope)): Object 'Kind' is missing in '\(manifest.serializedString())'"))
                continue
            }
            let namespace = manifest[path: ["metadata", "namespace"]]?.stringValue ?? ""
            let reference = Envelopes.reference(manifest)
            let message: String
            if kind == .clusterResourceEnvelope && !namespace.isEmpty {
                message = "a namespaced object \(key) (\(reference)) has been wrapped in a cluster resource envelope \(envelope)"
            } else if kind == .resourceEnvelope && namespace.isEmpty {
                message = "a cluster scope object \(key) (\(reference)) has been wrapped in a resource envelope \(envelope)"
            } else if namespace != envelopeNamespace {
                message = "a namespaced object \(key) (\(reference)) in has been wrapped in a resource envelope from another namespace (\(envelope))"
            } else {
                continue
            }
            errors.append(FieldError(field: path, rule: "Invalid value: \"object\": \(message)"))
        }
        return errors
    }
}
