import Access
import FleetAPI
import Foundation
import Rollout

/// The API server's virtual, never-stored resources of `authorization.k8s.io` and `authentication.k8s.io`:
/// `kubectl auth can-i` (SelfSubjectAccessReview, SelfSubjectRulesReview), `kubectl auth whoami`
/// (SelfSubjectReview), and `kubectl create token` (the ServiceAccount `token` subresource).
struct Reviews {
    let request: APIRequest
    let body: JSON
    /// Nil under `--insecure-http`, where everything is allowed.
    let authorizer: Authorizer?
    let now: Date

    static let groups: Set<String> = ["authorization.k8s.io", "authentication.k8s.io"]

    var user: UserInfo { request.identity.user }

    func handle(group: String, version: String, resource: [String]) throws -> APIResponse {
        guard request.method == "POST", version == "v1", resource.count == 1 else {
            throw KubeStatus(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
        }
        switch (group, resource[0]) {
        case ("authorization.k8s.io", "selfsubjectaccessreviews"): return accessReview()
        case ("authorization.k8s.io", "selfsubjectrulesreviews"): return rulesReview()
        case ("authentication.k8s.io", "selfsubjectreviews"): return selfReview()
        default:
            throw KubeStatus(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
        }
    }

    func accessReview() -> APIResponse {
        let spec = body["spec"] ?? .emptyObject
        let attributes: RequestAttributes
        if let resource = spec["resourceAttributes"] {
            func field(_ key: String) -> String { resource[key]?.stringValue ?? "" }
            attributes = RequestAttributes(
                verb: field("verb"), apiGroup: field("group"), apiVersion: field("version"), resource: field("resource"),
                subresource: field("subresource"), namespace: field("namespace"), name: field("name"))
        } else {
            let nonResource = spec["nonResourceAttributes"] ?? .emptyObject
            attributes = .nonResource(nonResource["verb"]?.stringValue ?? "", path: nonResource["path"]?.stringValue ?? "")
        }
        let decision = authorizer?.authorize(user, attributes) ?? .allow("")
        var status: JSON = ["allowed": .bool(decision.allowed)]
        if !decision.reason.isEmpty { status["reason"] = .string(decision.reason) }
        return .json(
            [
                "kind": "SelfSubjectAccessReview", "apiVersion": "authorization.k8s.io/v1",
                "metadata": ["creationTimestamp": nil], "spec": spec, "status": status,
            ], status: 201)
    }

    func rulesReview() -> APIResponse {
        let namespace = body[path: ["spec", "namespace"]]?.stringValue ?? ""
        let (rules, errors) = authorizer?.rules(for: user, namespace: namespace)
            ?? ([PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"]), PolicyRule(verbs: ["*"], nonResourceURLs: ["*"])], [])
        let resourceRules: [JSON] = rules.filter { $0.nonResourceURLs.isEmpty }.map { rule in
            var json: JSON = [
                "verbs": .array(rule.verbs.map(JSON.string)), "apiGroups": .array(rule.apiGroups.map(JSON.string)),
                "resources": .array(rule.resources.map(JSON.string)),
            ]
            if !rule.resourceNames.isEmpty { json["resourceNames"] = .array(rule.resourceNames.map(JSON.string)) }
            return json
        }
        let nonResourceRules: [JSON] = rules.filter { !$0.nonResourceURLs.isEmpty }.map { rule in
            ["verbs": .array(rule.verbs.map(JSON.string)), "nonResourceURLs": .array(rule.nonResourceURLs.map(JSON.string))]
        }
        var status: JSON = ["resourceRules": .array(resourceRules), "nonResourceRules": .array(nonResourceRules), "incomplete": false]
        if !errors.isEmpty { status["evaluationError"] = .string(errors.map(\.description).joined(separator: ", ")) }
        return .json(
            [
                "kind": "SelfSubjectRulesReview", "apiVersion": "authorization.k8s.io/v1",
                "metadata": ["creationTimestamp": nil], "spec": ["namespace": .string(namespace)], "status": status,
            ], status: 201)
    }

    func selfReview() -> APIResponse {
        var info: JSON = ["username": .string(user.name)]
        if !user.uid.isEmpty { info["uid"] = .string(user.uid) }
        if !user.groups.isEmpty { info["groups"] = .array(user.groups.map(JSON.string)) }
        if !user.extra.isEmpty { info["extra"] = .object(user.extra.mapValues { .array($0.map(JSON.string)) }) }
        return .json(
            [
                "kind": "SelfSubjectReview", "apiVersion": "authentication.k8s.io/v1",
                "metadata": ["creationTimestamp": .string(KubeTime.format(now))], "status": ["userInfo": info],
            ], status: 201)
    }
}

/// `POST .../serviceaccounts/<name>/token`: a signed, expiring token for a ServiceAccount that exists.
struct TokenRequests {
    let tokens: ServiceAccountTokens

    static let defaultSeconds: Int64 = 3600

    func create(namespace: String, name: String, body: JSON, hub: Hub) async throws -> APIResponse {
        let key = ObjectKey(.serviceAccount, namespace: namespace, name: name)
        guard let account = await hub.state.objects[key], let uid = account.json[path: ["metadata", "uid"]]?.stringValue else {
            throw KubeStatus.notFound("serviceaccounts", name, group: "")
        }
        let spec = body["spec"] ?? .emptyObject
        let seconds = spec["expirationSeconds"]?.intValue ?? Self.defaultSeconds
        var causes: [FieldError] = []
        if seconds < 600 {
            causes.append(FieldError(field: "spec.expirationSeconds", rule: "Invalid value: \(seconds): may not specify a duration less than 10 minutes"))
        } else if seconds > 1 << 32 {
            causes.append(FieldError(field: "spec.expirationSeconds", rule: "Invalid value: \(seconds): may not specify a duration larger than 2^32 seconds"))
        }
        if spec["boundObjectRef"]?.objectValue?.isEmpty == false {
            causes.append(FieldError(field: "spec.boundObjectRef", rule: "Unsupported value: the hub issues tokens bound only to their ServiceAccount"))
        }
        if !causes.isEmpty {
            throw KubeStatus.from(.invalid(InvalidObject(kind: "TokenRequest", name: "", causes: causes), group: "authentication.k8s.io"), kind: .serviceAccount)
        }
        let audiences = spec["audiences"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let (token, expires) = try tokens.issue(
            namespace: namespace, name: name, uid: uid, audiences: audiences, expirationSeconds: seconds, now: hub.clock.now())
        return .json(
            [
                "kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1",
                "metadata": ["name": .string(name), "namespace": .string(namespace), "creationTimestamp": nil],
                "spec": [
                    "audiences": .array((audiences.isEmpty ? tokens.audiences : audiences).map(JSON.string)),
                    "expirationSeconds": .int(seconds), "boundObjectRef": nil,
                ],
                "status": ["token": .string(token), "expirationTimestamp": .string(KubeTime.format(expires))],
            ], status: 201)
    }
}
