import FleetAPI

/// Why the hub refused a request; each case becomes a Kubernetes `Status` with its code and reason.
public enum HubError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 404 NotFound.
    case notFound(kind: String, name: String)
    /// 409 AlreadyExists.
    case alreadyExists(kind: String, name: String)
    /// 409 Conflict: a stale resourceVersion.
    case conflict(kind: String, name: String)
    /// 409 Conflict: a server-side apply would change fields other managers own.
    case applyConflict(ApplyConflict)
    /// 422 Invalid, with the broken rules.
    case invalid(InvalidObject, group: String)
    /// 400 BadRequest.
    case badRequest(String)
    /// 403 Forbidden: a rule of Flotilla's refuses the write (`kind` is the resource's plural).
    case forbidden(kind: String, name: String, message: String)
    /// 503 ServiceUnavailable: the hub takes no writes (the cause is named) and serves what is durable.
    case unavailable(String)
    /// 500 InternalError: the hub could not finish the request; the message says what the client may know.
    case internalError(String)

    public var description: String {
        switch self {
        case .notFound(let kind, let name): "\(kind) \"\(name)\" not found"
        case .alreadyExists(let kind, let name): "\(kind) \"\(name)\" already exists"
        case .conflict(let kind, let name):
            "Operation cannot be fulfilled on \(kind) \"\(name)\": the object has been modified; please apply your "
                + "changes to the latest version and try again"
        case .applyConflict(let conflict): conflict.message
        case .invalid(let object, let group): object.message(group: group)
        case .badRequest(let message): message
        case .forbidden(let kind, let name, let message): "\(kind) \"\(name)\" is forbidden: \(message)"
        case .unavailable(let cause): "the hub is read-only: \(cause)"
        case .internalError(let message): "Internal error occurred: \(message)"
        }
    }
}
