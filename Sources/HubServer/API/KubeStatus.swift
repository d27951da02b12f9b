import FleetAPI
import Rollout

/// A refused request, rendered as the `metav1.Status` kubectl prints: `Error from server (<reason>): <message>`.
public struct KubeStatus: Error, Sendable, Equatable {
    public var code: Int
    public var reason: String
    public var message: String
    public var details: JSON?

    public init(code: Int, reason: String, message: String, details: JSON? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
    }

    public var json: JSON {
        var status: JSON = [
            "kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Failure",
            "reason": .string(reason), "code": .int(Int64(code)), "message": .string(message),
        ]
        if let details { status["details"] = details }
        return status
    }

    public var response: APIResponse {
        var response = APIResponse.json(json, status: code)
        // As the API server does, a Status that says when to retry says it in the header clients wait by.
        if let seconds = details?["retryAfterSeconds"]?.intValue { response.headers["Retry-After"] = String(seconds) }
        return response
    }

    static func notFound(_ resource: String, _ name: String, group: String) -> KubeStatus {
        KubeStatus(
            code: 404, reason: "NotFound", message: "\(qualified(resource, group)) \"\(name)\" not found",
            details: ["name": .string(name), "group": .string(group), "kind": .string(resource)])
    }

    static func badRequest(_ message: String) -> KubeStatus {
        KubeStatus(code: 400, reason: "BadRequest", message: message)
    }

    /// `apierrors.NewTooManyRequests`, in the words of the API server's priority and fairness.
    static func tooManyRequests(retryAfterSeconds: Int) -> KubeStatus {
        KubeStatus(
            code: 429, reason: "TooManyRequests", message: "Too many requests, please try again later.",
            details: ["retryAfterSeconds": .int(Int64(retryAfterSeconds))])
    }

    static func methodNotAllowed(_ message: String) -> KubeStatus {
        KubeStatus(code: 405, reason: "MethodNotAllowed", message: message)
    }

    static func unsupportedMediaType(_ contentType: String) -> KubeStatus {
        KubeStatus(code: 415, reason: "UnsupportedMediaType", message: "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (got \(contentType))")
    }

    /// Custom resources take no strategic merge patch, as the API server's CRD handler says.
    static func unsupportedPatch(_ contentType: String) -> KubeStatus {
        KubeStatus(code: 415, reason: "UnsupportedMediaType", message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")
    }

    /// A request option the API server refuses, as `PatchOptions` validation words it.
    static func invalidOption(_ field: String, _ rule: String) -> KubeStatus {
        KubeStatus(
            code: 422, reason: "Invalid", message: "PatchOptions.meta.k8s.io \"\" is invalid: \(field): \(rule)",
            details: [
                "group": "meta.k8s.io", "kind": "PatchOptions",
                "causes": [["reason": .string(causeReason(rule)), "message": .string(rule), "field": .string(field)]],
            ])
    }

    static func qualified(_ resource: String, _ group: String) -> String {
        group.isEmpty ? resource : "\(resource).\(group)"
    }

    /// The one place domain errors become API errors.
    static func from(_ error: HubError, kind: ResourceKind) -> KubeStatus {
        switch error {
        case .notFound(let resource, let name):
            let group = resource == kind.plural ? kind.group : ""
            return notFound(resource, name, group: group)
        case .alreadyExists(let resource, let name):
            return KubeStatus(
                code: 409, reason: "AlreadyExists", message: "\(qualified(resource, kind.group)) \"\(name)\" already exists",
                details: ["name": .string(name), "group": .string(kind.group), "kind": .string(resource)])
        case .conflict(let resource, let name):
            return KubeStatus(
                code: 409, reason: "Conflict",
                message: "Operation cannot be fulfilled on \(qualified(resource, kind.group)) \"\(name)\": the object has been "
                    + "modified; please apply your changes to the latest version and try again",
                details: ["name": .string(name), "group": .string(kind.group), "kind": .string(resource)])
        case .applyConflict(let conflict):
            let causes: [JSON] = conflict.conflicts.map { conflict in
                ["reason": "FieldManagerConflict", "message": .string("conflict with \(conflict.manager)"), "field": .string(conflict.field)]
            }
            return KubeStatus(code: 409, reason: "Conflict", message: conflict.message, details: ["causes": .array(causes)])
        case .invalid(let invalid, let group):
            let causes: [JSON] = invalid.causes.map { cause in
                ["reason": .string(Self.causeReason(cause.rule)), "message": .string(cause.rule), "field": .string(cause.field)]
            }
            return KubeStatus(
                code: 422, reason: "Invalid", message: invalid.message(group: group),
                details: ["name": .string(invalid.name), "group": .string(group), "kind": .string(invalid.kind), "causes": .array(causes)])
        case .badRequest(let message):
            return badRequest(message)
        case .forbidden(let resource, let name, let message):
            return KubeStatus(
                code: 403, reason: "Forbidden", message: "\(qualified(resource, kind.group)) \"\(name)\" is forbidden: \(message)",
                details: ["name": .string(name), "group": .string(kind.group), "kind": .string(resource)])
        case .unavailable:
            return KubeStatus(code: 503, reason: "ServiceUnavailable", message: error.description)
        case .internalError:
            return KubeStatus(code: 500, reason: "InternalError", message: error.description)
        }
    }

    /// The `CauseType` Kubernetes gives each kind of field error, from the rule's own prefix.
    static func causeReason(_ rule: String) -> String {
        let prefixes = [
            ("Required value", "FieldValueRequired"), ("Unsupported value", "FieldValueNotSupported"),
            ("Too many", "FieldValueTooMany"), ("Too long", "FieldValueTooLong"), ("Invalid value", "FieldValueInvalid"),
            ("Forbidden", "FieldValueForbidden"),
        ]
        return prefixes.first { rule.hasPrefix($0.0) }?.1 ?? "FieldValueInvalid"
    }
}
