import Foundation

import FleetAPI

/// The API server's 403 for a refused request, word for word (`responsewriters/errors.go`).
public struct Forbidden: Sendable, Hashable {
    public var message: String
    public var details: JSON

    public init(user: UserInfo, request: RequestAttributes, reason: String) {
        var inner: String
        if !request.isResourceRequest {
            inner = "User \(GoQuote.quote(user.name)) cannot \(request.verb) path \(GoQuote.quote(request.path))"
        } else {
            inner = "User \(GoQuote.quote(user.name)) cannot \(request.verb) resource \(GoQuote.quote(request.qualifiedResource)) in API group \(GoQuote.quote(request.apiGroup))"
            inner += request.namespace.isEmpty ? " at the cluster scope" : " in the namespace \(GoQuote.quote(request.namespace))"
        }
        if !reason.isEmpty { inner += ": \(reason)" }
        inner = inner.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
        var details: [String: JSON] = [:]
        if !request.isResourceRequest {
            message = "forbidden: \(inner)"
        } else {
            let groupResource = request.apiGroup.isEmpty ? request.resource : "\(request.resource).\(request.apiGroup)"
            message = request.name.isEmpty
                ? "\(groupResource) is forbidden: \(inner)" : "\(groupResource) \(GoQuote.quote(request.name)) is forbidden: \(inner)"
            if !request.name.isEmpty { details["name"] = .string(request.name) }
            if !request.apiGroup.isEmpty { details["group"] = .string(request.apiGroup) }
            if !request.resource.isEmpty { details["kind"] = .string(request.resource) }
        }
        self.details = .object(details)
    }
}
