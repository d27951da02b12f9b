import Crypto
import FleetAPI
import Foundation

/// ServiceAccount tokens as the API server issues them for TokenRequest: ES256 JWTs signed by the hub's key,
/// with the API server's claims, a `kid` naming the key, and an expiry.
public struct ServiceAccountTokens: Sendable {
    public static let issuer = "https://kubernetes.default.svc.cluster.local"

    let key: P256.Signing.PrivateKey
    public let issuer: String
    /// What a token is for when a request names no audience, and what a presented token must be for.
    public let audiences: [String]

    public init(key: P256.Signing.PrivateKey, issuer: String = Self.issuer, audiences: [String]? = nil) {
        self.key = key
        self.issuer = issuer
        self.audiences = audiences ?? [issuer]
    }

    /// `kid`: base64url of the SHA-256 of the public key's PKIX DER, as `keyIDFromPublicKey` makes it.
    public var keyID: String { Base64URL.encode(Array(SHA256.hash(data: key.publicKey.derRepresentation))) }

    /// What a verified token says.
    public struct Claims: Sendable, Hashable {
        public var namespace: String
        public var name: String
        public var uid: String
        public var id: String
        public var expires: Date
    }

    public enum Rejection: Error, Sendable, Hashable, CustomStringConvertible {
        case malformed, badSignature, expired, notYetValid, wrongIssuer, wrongAudience

        public var description: String {
            switch self {
            case .malformed: "token is not a well-formed JWT"
            case .badSignature: "token signature is invalid"
            case .expired: "service account token has expired"
            case .notYetValid: "service account token is not valid yet"
            case .wrongIssuer: "token issuer is not this hub"
            case .wrongAudience: "token audiences are not this hub's"
            }
        }
    }

    public func issue(
        namespace: String, name: String, uid: String, audiences requested: [String], expirationSeconds: Int64, now: Date
    ) throws -> (token: String, expires: Date) {
        let issued = Int64(now.timeIntervalSince1970)
        let expires = issued + expirationSeconds
        let header: JSON = ["alg": "ES256", "kid": .string(keyID)]
        let claims: JSON = [
            "aud": .array((requested.isEmpty ? audiences : requested).map(JSON.string)),
            "exp": .int(expires), "iat": .int(issued), "nbf": .int(issued), "iss": .string(issuer),
            "jti": .string(UUID().uuidString.lowercased()), "sub": .string(ServiceAccountName.user(namespace: namespace, name: name)),
            "kubernetes.io": ["namespace": .string(namespace), "serviceaccount": ["name": .string(name), "uid": .string(uid)]],
        ]
        let signingInput = Base64URL.encode(header.serialized()) + "." + Base64URL.encode(claims.serialized())
        let signature = try key.signature(for: Array(signingInput.utf8))
        return (signingInput + "." + Base64URL.encode(Array(signature.rawRepresentation)), Date(timeIntervalSince1970: TimeInterval(expires)))
    }

    /// The token's claims once its signature, issuer, audience and times check out; whether the
    /// ServiceAccount still exists with the claimed uid is the caller's to check.
    public func verify(_ token: String, now: Date) throws(Rejection) -> Claims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = Base64URL.decode(parts[0]), let claimBytes = Base64URL.decode(parts[1]),
            let signatureBytes = Base64URL.decode(parts[2]), let header = try? JSON.parse(headerBytes),
            let claims = try? JSON.parse(claimBytes)
        else { throw .malformed }
        guard header["alg"]?.stringValue == "ES256",
            let signature = try? P256.Signing.ECDSASignature(rawRepresentation: signatureBytes),
            key.publicKey.isValidSignature(signature, for: Array((parts[0] + "." + parts[1]).utf8))
        else { throw .badSignature }
        guard claims["iss"]?.stringValue == issuer else { throw .wrongIssuer }
        let presented = claims["aud"]?.arrayValue?.compactMap(\.stringValue) ?? claims["aud"]?.stringValue.map { [$0] } ?? []
        guard presented.contains(where: audiences.contains) else { throw .wrongAudience }
        let seconds = Int64(now.timeIntervalSince1970)
        guard let expires = claims["exp"]?.intValue else { throw .malformed }
        guard seconds < expires else { throw .expired }
        if let notBefore = claims["nbf"]?.intValue, seconds < notBefore { throw .notYetValid }
        guard let namespace = claims[path: ["kubernetes.io", "namespace"]]?.stringValue,
            let name = claims[path: ["kubernetes.io", "serviceaccount", "name"]]?.stringValue,
            let uid = claims[path: ["kubernetes.io", "serviceaccount", "uid"]]?.stringValue,
            claims["sub"]?.stringValue == ServiceAccountName.user(namespace: namespace, name: name)
        else { throw .malformed }
        return Claims(
            namespace: namespace, name: name, uid: uid, id: claims["jti"]?.stringValue ?? "",
            expires: Date(timeIntervalSince1970: TimeInterval(expires)))
    }
}

/// Base64url without padding, as JWTs use it.
enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: Substring) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).map(Array.init)
    }
}
