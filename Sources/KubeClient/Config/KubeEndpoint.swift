import Foundation
import NIOSSL

/// Where an API server is and how to prove who one is there: the part of a kubeconfig context, or of a pod's
/// service account, that a client needs.
public struct KubeEndpoint: Sendable, Equatable {
    public var server: String
    public var certificateAuthority: String?
    public var clientCertificate: String?
    public var clientKey: String?
    public var token: String?
    /// A token file read afresh for every request: a projected service-account token is rotated in place.
    public var tokenFile: String?
    public var insecureSkipVerify = false

    public init(server: String) {
        self.server = server
    }

    /// The bearer token to send now, if any.
    public func bearerToken() -> String? {
        if let tokenFile, let text = try? String(contentsOfFile: tokenFile, encoding: .utf8) {
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return token
    }

    /// TLS trusting the endpoint's CA (or nothing, with `insecure-skip-tls-verify`) and presenting its client
    /// certificate when it has one.
    public func tlsConfiguration() throws(KubeconfigError) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        do {
            if let certificateAuthority {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(certificateAuthority.utf8)))
            }
            if insecureSkipVerify { tls.certificateVerification = .none }
            if let clientCertificate, let clientKey {
                tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(clientCertificate.utf8)).map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(clientKey.utf8), format: .pem))
            }
        } catch {
            throw KubeconfigError("the kubeconfig's certificates or key do not load: \(error)")
        }
        return tls
    }
}

/// A kubeconfig or service account that cannot be used, in words naming the flag, file or field at fault.
public struct KubeconfigError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
