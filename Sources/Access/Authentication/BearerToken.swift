import Foundation

/// The token of an `Authorization: Bearer <token>` header, as the API server reads it: the scheme in any case,
/// the value trimmed and split on single spaces. Nil when the header is absent or not a bearer token.
public enum BearerToken {
    public static func parse(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.trimmingCharacters(in: .whitespaces).split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else { return nil }
        return String(parts[1])
    }
}
