import FleetAPI

/// Why a request to an API server failed.
public enum KubeError: Error, Sendable, Equatable {
    /// The server answered with a non-2xx code; `reason` and `message` come from its `Status` when it sent one.
    case status(code: Int, reason: String, message: String)
    /// No answer: refused, reset, timed out, TLS failed.
    case unreachable(server: String, message: String)
    /// The server answered 2xx with something that is not the JSON asked for.
    case malformed(String)
}

extension KubeError {
    /// The error a response carries: the `Status` body when there is one, else the HTTP code and body text.
    public static func from(code: Int, body: [UInt8]) -> KubeError {
        let status = try? JSON.parse(body)
        if let status, status["kind"]?.stringValue == "Status" {
            return .status(
                code: Int(status["code"]?.intValue ?? Int64(code)), reason: status["reason"]?.stringValue ?? "",
                message: status["message"]?.stringValue ?? "")
        }
        let text = String(decoding: body.prefix(512), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return .status(code: code, reason: "", message: text.isEmpty ? "the server responded with HTTP \(code)" : text)
    }

    public var code: Int? {
        if case .status(let code, _, _) = self { return code }
        return nil
    }

    public var isNotFound: Bool { code == 404 }
}

extension KubeError: CustomStringConvertible {
    /// The API server's own message, as kubectl prints it after `Error from server (Reason): `.
    public var description: String {
        switch self {
        case .status(_, _, let message): message
        case .unreachable(let server, let message): "cannot reach \(server): \(message)"
        case .malformed(let message): message
        }
    }
}
