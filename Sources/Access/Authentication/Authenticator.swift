import Foundation
import X509

/// Authentication as the API server's union of authenticators: a front proxy naming its user, a client
/// certificate, then a bearer token from the static token file, then a ServiceAccount token. Credentials that are presented and rejected fail
/// the request; only a request with none at all is anonymous.
public struct Authenticator: Sendable {
    public var certificates: ClientCertificates?
    public var tokenFile: TokenFile?
    public var serviceAccounts: ServiceAccountTokens?
    public var frontProxy: RequestHeaderAuthentication?

    public init(
        certificates: ClientCertificates?, tokenFile: TokenFile?, serviceAccounts: ServiceAccountTokens?,
        frontProxy: RequestHeaderAuthentication? = nil
    ) {
        self.certificates = certificates
        self.tokenFile = tokenFile
        self.serviceAccounts = serviceAccounts
        self.frontProxy = frontProxy
    }

    public enum Outcome: Sendable, Hashable {
        case authenticated(UserInfo)
        case anonymous
        /// Credentials were presented and none held; the reason is for the log, never for the client.
        case rejected(String)
    }

    /// - Parameter serviceAccount: the uid of the ServiceAccount with this namespace and name as the hub holds
    ///   it now, nil when there is none; a token outlives neither its account nor a re-created one.
    /// - Parameter headers: the request's headers, names lowercased, every value of each: a front proxy's name
    ///   the user in them.
    public func authenticate(
        certificate: Certificate?, authorization: String?, headers: [String: [String]] = [:], now: Date,
        serviceAccount: (_ namespace: String, _ name: String) -> String?
    ) -> Outcome {
        var errors: [String] = []
        if let certificate, let user = frontProxy?.user(certificate, headers: headers, now: now) {
            return .authenticated(user.addingAuthenticatedGroup())
        }
        if let certificate {
            guard let certificates else { return .rejected("client certificates are not accepted") }
            do {
                return .authenticated(try certificates.user(certificate, now: now).addingAuthenticatedGroup())
            } catch {
                errors.append(error.description)
            }
        }
        if let token = BearerToken.parse(authorization) {
            if let user = tokenFile?.user(for: token) { return .authenticated(user.addingAuthenticatedGroup()) }
            if let serviceAccounts, token.split(separator: ".").count == 3 {
                do {
                    let claims = try serviceAccounts.verify(token, now: now)
                    guard let uid = serviceAccount(claims.namespace, claims.name) else {
                        return .rejected("service account \(claims.namespace)/\(claims.name) has been deleted")
                    }
                    guard uid == claims.uid else {
                        return .rejected("service account UID (\(uid)) does not match claim (\(claims.uid))")
                    }
                    let user = UserInfo(
                        name: ServiceAccountName.user(namespace: claims.namespace, name: claims.name), uid: uid,
                        groups: ServiceAccountName.groups(namespace: claims.namespace),
                        extra: ["authentication.kubernetes.io/credential-id": ["JTI=\(claims.id)"]])
                    return .authenticated(user.addingAuthenticatedGroup())
                } catch {
                    errors.append(error.description)
                }
            } else {
                errors.append("invalid bearer token")
            }
        } else if authorization != nil && errors.isEmpty {
            errors.append("the Authorization header is not a bearer token")
        }
        return errors.isEmpty ? .anonymous : .rejected(errors.joined(separator: "; "))
    }
}
