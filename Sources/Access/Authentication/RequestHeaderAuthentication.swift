import Foundation
import X509

/// Front-proxy authentication (`--requestheader-client-ca-file`, `--requestheader-allowed-names`): a proxy that
/// authenticated the user itself names them in `X-Remote-User`, `X-Remote-Group` and `X-Remote-Extra-<key>`,
/// and those headers are believed only from a client certificate of the proxies' CA whose CN is an allowed name.
/// A hub that does not lead passes writes to the leader this way, as the user it authenticated.
public struct RequestHeaderAuthentication: Sendable {
    public let proxies: ClientCertificates
    /// The CNs a proxy may present; never empty, as the hub's own CA also issues its users' certificates.
    public let allowedNames: [String]

    public static let userHeader = "x-remote-user"
    public static let groupHeader = "x-remote-group"
    public static let extraPrefix = "x-remote-extra-"

    public init(proxies: ClientCertificates, allowedNames: [String]) {
        precondition(!allowedNames.isEmpty, "a front proxy's allowed names must be listed")
        self.proxies = proxies
        self.allowedNames = allowedNames
    }

    /// The user a trusted proxy names; nil when the certificate is not an allowed proxy's or no user is named,
    /// and the other authenticators decide.
    ///
    /// - Parameter headers: the request's headers, names lowercased, every value of each.
    public func user(_ certificate: Certificate, headers: [String: [String]], now: Date) -> UserInfo? {
        guard let proxy = try? proxies.user(certificate, now: now), allowedNames.contains(proxy.name),
            let name = headers[Self.userHeader]?.first(where: { !$0.isEmpty })
        else { return nil }
        var extra: [String: [String]] = [:]
        for (header, values) in headers where header.hasPrefix(Self.extraPrefix) {
            let key = String(header.dropFirst(Self.extraPrefix.count))
            extra[(key.removingPercentEncoding ?? key).lowercased(), default: []] += values
        }
        return UserInfo(name: name, groups: headers[Self.groupHeader] ?? [], extra: extra)
    }

    /// The headers that name `user` to a hub that trusts this proxy: extra keys percent-encoded, as header names
    /// allow only some characters.
    public static func headers(naming user: UserInfo) -> [(name: String, value: String)] {
        var headers = [(name: "X-Remote-User", value: user.name)]
        headers += user.groups.map { (name: "X-Remote-Group", value: $0) }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_.~!#$&'*+^`|"))
        for key in user.extra.keys.sorted() {
            let name = "X-Remote-Extra-" + (key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key)
            headers += user.extra[key, default: []].map { (name: name, value: $0) }
        }
        return headers
    }
}
