/// Why a JSON patch, strategic merge patch or server-side apply was refused. One type for all three so
/// the PATCH handler maps errors to a status in one place: `malformed` is a 400 `BadRequest`, the
/// other cases are a 422 (the patch is well formed but does not fit the object).
public enum PatchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The body is not a valid document of its patch type, e.g. a JSON patch that is not an array of
    /// operations, an operation without `path`, or a directive with a value of the wrong shape.
    case malformed(String)
    /// JSON patch operation `index` (0-based) could not be applied; the message names the op and path.
    case operationFailed(index: Int, message: String)
    /// A merge could not be applied at the dotted `field` path (empty for the whole object).
    case invalid(field: String, message: String)

    public var description: String {
        switch self {
        case .malformed(let message): message
        case .operationFailed(let index, let message): "\(message) (operation \(index))"
        case .invalid(let field, let message): field.isEmpty ? message : "\(field): \(message)"
        }
    }
}
