/// One hostile request, and what it was meant to probe.
struct FuzzCase: Sendable {
    enum Category: String, CaseIterable, Sendable {
        case jsonBody = "json-body"
        case yamlBody = "yaml-body"
        case protobufBody = "protobuf-body"
        case patch
        case path
        case query
        case selector
        case header
        case oversized
    }

    var category: Category
    /// What was done to the request, for the report of a violation.
    var label: String
    var method: String
    /// The path and query string, sent as they are.
    var target: String
    var headers: [(String, String)] = []
    var body: [UInt8] = []
    /// The request breaks HTTP itself (a header or request line beyond the server's bounds), so the server may
    /// close the connection instead of answering.
    var mayGoUnanswered = false
    /// Sent without the admin's client certificate, so only the request's own credentials count.
    var anonymous = false

    /// A write, whose refusal must leave the journal as it was.
    var isWrite: Bool { ["POST", "PUT", "PATCH", "DELETE"].contains(method) }
}
