import Access
import NIOSSL

/// How the hub is reached and who may use it: TLS with authentication and RBAC (the default), or, for local
/// experiments only, plain HTTP where every request is anonymous and allowed.
public struct ServerSecurity: Sendable {
    /// Nil serves plain HTTP.
    public var tls: TLSConfiguration?
    /// Nil turns authentication and authorization off (`--insecure-http`).
    public var authenticator: Authenticator?
    /// What each authenticated user may have open at once; with no authenticator there are no users to count.
    public var userLimits: RequestLimiter.Limits

    public init(tls: TLSConfiguration?, authenticator: Authenticator?, userLimits: RequestLimiter.Limits = .init()) {
        self.tls = tls
        self.authenticator = authenticator
        self.userLimits = userLimits
    }

    public static let insecure = ServerSecurity(tls: nil, authenticator: nil)

    /// Serves `certificateChain` with `privateKey`, asking clients for a certificate without requiring one:
    /// a presented certificate is checked by the authenticator, so a bad one gets the API server's 401 rather
    /// than a failed handshake.
    public static func tls(certificateChain: [NIOSSLCertificate], privateKey: NIOSSLPrivateKey) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: certificateChain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        configuration.certificateVerification = .optionalVerification
        configuration.minimumTLSVersion = .tlsv12
        // A client that never answers close_notify (an idle pooled connection) would otherwise hold SIGTERM's
        // drain for NIOSSL's default 5 s, past the service group's limit.
        configuration.shutdownTimeout = .seconds(1)
        return configuration
    }
}
