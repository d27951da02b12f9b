import Crypto
import Foundation
import SwiftASN1
import X509

/// Client-certificate authentication (`--client-ca-file`): a certificate issued by one of the trusted CAs,
/// in its validity period and not restricted away from client use, names its user by CN and its groups by O.
public struct ClientCertificates: Sendable {
    public let authorities: [Certificate]

    public init(authorities: [Certificate]) {
        self.authorities = authorities
    }

    public enum Rejection: Error, Sendable, Hashable, CustomStringConvertible {
        case unknownAuthority, badSignature, expired, notYetValid, notForClients, noCommonName

        public var description: String {
            switch self {
            case .unknownAuthority: "x509: certificate signed by unknown authority"
            case .badSignature: "x509: certificate signature is invalid"
            case .expired: "x509: certificate has expired"
            case .notYetValid: "x509: certificate is not yet valid"
            case .notForClients: "x509: certificate specifies an incompatible key usage"
            case .noCommonName: "x509: certificate has no common name"
            }
        }
    }

    public func user(_ certificate: Certificate, now: Date) throws(Rejection) -> UserInfo {
        let issuers = authorities.filter { $0.subject == certificate.issuer }
        guard !issuers.isEmpty else { throw .unknownAuthority }
        guard issuers.contains(where: { $0.publicKey.isValidSignature(certificate.signature, for: certificate) }) else {
            throw .badSignature
        }
        guard now <= certificate.notValidAfter else { throw .expired }
        guard now >= certificate.notValidBefore else { throw .notYetValid }
        if let usages = try? certificate.extensions.extendedKeyUsage, !usages.contains(.clientAuth), !usages.contains(.any) {
            throw .notForClients
        }
        var name = ""
        var groups: [String] = []
        for relative in certificate.subject {
            for attribute in relative {
                let value = String(attribute.value) ?? attribute.value.description
                if attribute.type == .RDNAttributeType.commonName { name = value }
                if attribute.type == .RDNAttributeType.organizationName { groups.append(value) }
            }
        }
        guard !name.isEmpty else { throw .noCommonName }
        let digest = SHA256.hash(data: certificate.derBytes).map { String(format: "%02x", $0) }.joined()
        return UserInfo(name: name, groups: groups, extra: ["authentication.kubernetes.io/credential-id": ["X509SHA256=\(digest)"]])
    }
}

extension Certificate {
    /// The certificate's DER encoding.
    public var derBytes: [UInt8] {
        var serializer = DER.Serializer()
        try? serializer.serialize(self)
        return serializer.serializedBytes
    }
}
