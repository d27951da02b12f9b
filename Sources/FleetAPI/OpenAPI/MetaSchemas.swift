/// The `meta/v1` (and `intstr`) components every group/version document shares, under the names kube-apiserver uses.
extension KindSchemas {
    static let apiStatus = "io.k8s.apimachinery.pkg.apis.meta.v1.Status"
    static let deleteOptions = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions"
    static let patchBody = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch"

    static let meta: [String: JSON] = [
        objectMeta: object(
            "The metadata every persisted object carries.",
            [
                "name": string(
                    "Unique within a namespace (or the cluster, for cluster-scoped kinds); fixed at creation."),
                "generateName": string("Prefix the server completes into a unique name when `name` is empty."),
                "namespace": string("The namespace the object lives in; empty for cluster-scoped kinds."),
                "uid": string("Server-assigned identity, unique over time."),
                "resourceVersion": string(
                    "Opaque version the server bumps on every write; used for optimistic concurrency."),
                "generation": integer("Counter of changes to the desired state (spec).", format: "int64"),
                "creationTimestamp": time("When the server first stored the object."),
                "deletionTimestamp": time(
                    "When deletion was requested; the object lingers until its finalizers clear."),
                "deletionGracePeriodSeconds": integer(
                    "Seconds the object is allowed to terminate gracefully.", format: "int64"),
                "labels": map("Identifying key/value pairs that selectors match on."),
                "annotations": map("Free-form key/value pairs for tools; not used for selection."),
                "ownerReferences": ownerReferences(),
                "finalizers": finalizers(),
                "managedFields": array(
                    "Which field manager owns which fields (server-side apply bookkeeping).",
                    of: object(
                        "Fields one manager set through one operation.",
                        [
                            "manager": string("Name of the writer."),
                            "operation": string("Apply or Update."),
                            "apiVersion": string("Version of the fields below."),
                            "time": time("When the manager last changed them."),
                            "fieldsType": string("Format of fieldsV1; always FieldsV1."),
                            "fieldsV1": preserved("The owned field set."),
                            "subresource": string("Subresource the write went through, if any."),
                        ])),
                "selfLink": string("Deprecated; never set."),
            ]),
        listMeta: object(
            "Metadata of a list response.",
            [
                "resourceVersion": string("Version of the collection when it was read; a watch may start from it."),
                "continue": string("Token for the next page when the list was limited."),
                "remainingItemCount": integer("Items left after this page, when known.", format: "int64"),
                "selfLink": string("Deprecated; never set."),
            ]),
        ownerReference: object(
            "Points at an object this one depends on, for garbage collection.",
            required: ["apiVersion", "kind", "name", "uid"],
            [
                "apiVersion": string("API version of the owner."),
                "kind": string("Kind of the owner."),
                "name": string("Name of the owner."),
                "uid": string("UID of the owner."),
                "controller": boolean("True when the owner manages this object."),
                "blockOwnerDeletion": boolean(
                    "True when the owner cannot be deleted in the foreground before this object."),
            ]),
        condition: object(
            "One aspect of an object's observed state.",
            required: ["type", "status", "lastTransitionTime", "reason", "message"],
            [
                "type": string("What the condition reports on, in CamelCase.", maxLength: 316),
                "status": string("Whether it holds.", enum: ["True", "False", "Unknown"]),
                "observedGeneration": integer(
                    "The object generation the condition was computed from.", format: "int64", minimum: 0),
                "lastTransitionTime": time("When the status last changed."),
                "reason": string("Machine-readable CamelCase cause of the last transition.", maxLength: 1024),
                "message": string("Human-readable detail.", maxLength: 32768),
            ]),
        labelSelector: object(
            "A label query; all of its terms must match. An empty selector matches everything.",
            [
                "matchLabels": map("Labels that must be present with exactly these values."),
                "matchExpressions": array(
                    "Set-based requirements.",
                    of: object(
                        "One requirement on one label key.",
                        required: ["key", "operator"],
                        [
                            "key": string("The label key."),
                            "operator": string(
                                "How the key relates to the values.", enum: ["In", "NotIn", "Exists", "DoesNotExist"]),
                            "values": strings("Values for In and NotIn; empty for Exists and DoesNotExist."),
                        ])),
            ]),
        apiStatus: object(
            "The outcome of a call that returns no object, or of a failed call.",
            [
                "apiVersion": string("Always v1."),
                "kind": string("Always Status."),
                "metadata": ref(listMeta, "List-style metadata; usually empty."),
                "status": string("Success or Failure."),
                "message": string("Human-readable description."),
                "reason": string("Machine-readable cause, such as NotFound or AlreadyExists."),
                "details": preserved("The object the status is about, and per-field causes."),
                "code": integer("The HTTP status code."),
            ]),
        deleteOptions: object(
            "Options of a delete call.",
            [
                "apiVersion": string("Always v1."),
                "kind": string("Always DeleteOptions."),
                "dryRun": strings("`All` to check the deletion without doing it."),
                "gracePeriodSeconds": integer("Seconds before the object is removed.", format: "int64"),
                "orphanDependents": boolean("Deprecated; use propagationPolicy."),
                "preconditions": object(
                    "Delete only if the object still matches.",
                    [
                        "resourceVersion": string("Required resourceVersion."),
                        "uid": string("Required UID."),
                    ]),
                "propagationPolicy": string(
                    "What happens to dependents.", enum: ["Orphan", "Background", "Foreground"]),
            ]),
        // No `type`: kubectl explain then prints the component's name, <IntOrString>, instead of <string>.
        intOrStringType: [
            "format": "int-or-string", "x-kubernetes-int-or-string": true,
            "description": "Either an integer or a string, such as a count or a percentage.",
        ],
        patchBody: [
            "type": "object", "description": "A patch body in the format named by the request's Content-Type.",
        ],
    ]

    /// `metadata.ownerReferences` merges by `uid` under strategic merge, as in Kubernetes.
    private static func ownerReferences() -> JSON {
        var schema = array("Objects this one belongs to.", of: ref(ownerReference, "One owner."))
        schema["x-kubernetes-patch-strategy"] = "merge"
        schema["x-kubernetes-patch-merge-key"] = "uid"
        return schema
    }

    private static func finalizers() -> JSON {
        var schema = strings("Keys that must be removed before the object is deleted from storage.")
        schema["x-kubernetes-patch-strategy"] = "merge"
        schema["x-kubernetes-list-type"] = "set"
        return schema
    }
}
