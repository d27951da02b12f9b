import Testing
@testable import FleetAPI

/// Envelopes: served as KubeFleet's CRDs serve them, and refused, with KubeFleet's words, when what they wrap
/// could not go to a member through them.
struct EnvelopeValidationTests {
    func errors(_ kind: ResourceKind, _ yaml: String) throws -> [String] {
        FleetValidation.validate(kind, object: try YAML.parse(yaml), old: nil).map(\.description)
    }

    static let clusterEnvelope = """
        apiVersion: placement.kubernetes-fleet.io/v1beta1
        kind: ClusterResourceEnvelope
        metadata:
          name: admission
        data:
          "webhook.yaml":
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingWebhookConfiguration
            metadata:
              name: guard
        """

    static let envelope = """
        apiVersion: placement.kubernetes-fleet.io/v1beta1
        kind: ResourceEnvelope
        metadata:
          name: config
          namespace: app
        data:
          "cm.yaml":
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: wrapped
              namespace: app
            data:
              foo: bar
        """

    @Test func envelopesAreServedAsKubeFleetsCRDsServeThem() {
        #expect(ResourceKind.lookup(apiVersion: "placement.kubernetes-fleet.io/v1beta1", kind: "ResourceEnvelope") == .resourceEnvelope)
        #expect(ResourceKind.lookup(apiVersion: "placement.kubernetes-fleet.io/v1", kind: "ResourceEnvelope") == nil)
        #expect(ResourceKind.named("clusterresourceenvelopes") == .clusterResourceEnvelope)
        #expect(ResourceKind.clusterResourceEnvelope.shortNames == [] && !ResourceKind.clusterResourceEnvelope.namespaced)
        #expect(ResourceKind.resourceEnvelope.categories == ["fleet", "fleet-placement"] && ResourceKind.resourceEnvelope.namespaced)
        let schema = KindSchemas.schema(for: .resourceEnvelope, version: "v1beta1")
        #expect(schema?["required"] == ["data"])
        #expect(schema?[path: ["properties", "data", "maxProperties"]] == 50)
        #expect(schema?[path: ["properties", "data", "additionalProperties", "x-kubernetes-preserve-unknown-fields"]] == true)
    }

    @Test func wellFormedEnvelopesAreAccepted() throws {
        #expect(try errors(.clusterResourceEnvelope, Self.clusterEnvelope) == [])
        #expect(try errors(.resourceEnvelope, Self.envelope) == [])
    }

    @Test func aClusterEnvelopeCarriesOnlyClusterScopedObjects() throws {
        let yaml = Self.clusterEnvelope.replacingOccurrences(of: "  name: guard", with: "  name: guard\n      namespace: app")
        #expect(try errors(.clusterResourceEnvelope, yaml) == [
            "data.webhook.yaml: Invalid value: \"object\": a namespaced object webhook.yaml (app/guard) has been wrapped in a cluster resource envelope admission"
        ])
    }

    @Test func anEnvelopeCarriesOnlyNamespacedObjectsOfItsOwnNamespace() throws {
        let clusterScoped = Self.envelope.replacingOccurrences(of: "      namespace: app\n", with: "")
        #expect(try errors(.resourceEnvelope, clusterScoped) == [
            "data.cm.yaml: Invalid value: \"object\": a cluster scope object cm.yaml (wrapped) has been wrapped in a resource envelope app/config"
        ])
        let elsewhere = Self.envelope.replacingOccurrences(of: "      namespace: app\n", with: "      namespace: other\n")
        #expect(try errors(.resourceEnvelope, elsewhere) == [
            "data.cm.yaml: Invalid value: \"object\": a namespaced object cm.yaml (other/wrapped) in has been wrapped in a resource envelope from another namespace (app/config)"
        ])
    }

    @Test func dataHoldsOneToFiftyManifestsEachWithAKind() throws {
        let head = "apiVersion: placement.kubernetes-fleet.io/v1beta1\nkind: ClusterResourceEnvelope\nmetadata:\n  name: e\n"
        #expect(try errors(.clusterResourceEnvelope, head) == ["data: Required value"])
        #expect(try errors(.clusterResourceEnvelope, head + "data: {}") == ["data: Invalid value: 0: data in body should have at least 1 properties"])
        let many = (0...50).map { "  m\($0): {apiVersion: v1, kind: Namespace, metadata: {name: n\($0)}}" }.joined(separator: "\n")
        #expect(try errors(.clusterResourceEnvelope, head + "data:\n" + many) == ["data: Too many: 51: must have at most 50 items"])
        #expect(try errors(.clusterResourceEnvelope, head + "data:\n  a: text\n  b: {metadata: {name: x}}") == [
            "data.a: Invalid value: \"string\": data.a in body must be of type object: \"string\"",
            "data.b: Invalid value: \"object\": failed to parse the wrapped manifest data to a Kubernetes runtime object (manifestKey=b,envelopeObjRef=e): Object 'Kind' is missing in '{\"metadata\":{\"name\":\"x\"}}'",
        ])
    }

    @Test func aMemberGetsWhatAnEnvelopeWrapsInKubeFleetsOrder() throws {
        let envelope = try YAML.parse(Self.envelope + "\n  \"z.yaml\": {apiVersion: v1, kind: Secret, metadata: {name: s, namespace: app}}")
        let configMap = try YAML.parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: wrapped, namespace: app}\ndata: {foo: bar}")
        let secret = try YAML.parse("apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: app}")
        let namespace = try YAML.parse("apiVersion: v1\nkind: Namespace\nmetadata: {name: app}")
        #expect(Envelopes.isEnvelope(envelope) && !Envelopes.isEnvelope(namespace))
        // By JSON text, descending: `{"apiVersion":"v1","kind":"Secret"…` after `…"kind":"ConfigMap"…`.
        #expect(Envelopes.unwrapped([namespace, envelope]) == [namespace, secret, configMap])
    }
}
