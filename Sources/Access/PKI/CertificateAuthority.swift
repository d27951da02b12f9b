import Crypto
import Foundation
import SwiftASN1
import X509

/// A certificate authority that issues the hub's serving certificate and its users' client certificates,
/// as kubeadm's does: P-256 keys, ECDSA-SHA256 signatures.
public struct CertificateAuthority: Sendable {
    public let certificate: Certificate
    let key: P256.Signing.PrivateKey

    public init(certificate: Certificate, key: P256.Signing.PrivateKey) {
        self.certificate = certificate
        self.key = key
    }

    /// A new self-signed CA, valid ten years.
    public static func create(commonName: String, now: Date = Date()) throws -> CertificateAuthority {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName(commonName) }
        let signer = Certificate.PrivateKey(key)
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: signer.publicKey,
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(10 * 365 * 86_400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
                SubjectKeyIdentifier(hash: signer.publicKey)
            },
            issuerPrivateKey: signer)
        return CertificateAuthority(certificate: certificate, key: key)
    }

    /// What a leaf certificate is for.
    public enum Usage: Sendable {
        /// A TLS server answering for these names and addresses.
        case server(dnsNames: [String], ipAddresses: [String])
        /// A client: the API server takes CN as the user and each O as a group.
        case client
    }

    /// A leaf certificate and its new key, valid a year.
    public func issue(
        commonName: String, organizations: [String] = [], usage: Usage, now: Date = Date()
    ) throws -> (certificate: Certificate, key: P256.Signing.PrivateKey) {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName {
            for organization in organizations { OrganizationName(organization) }
            CommonName(commonName)
        }
        let publicKey = Certificate.PrivateKey(key).publicKey
        let extensions: Certificate.Extensions
        switch usage {
        case .server(let dnsNames, let ipAddresses):
            let names = dnsNames.map(GeneralName.dnsName) + ipAddresses.compactMap(IPAddress.bytes).map {
                GeneralName.ipAddress(ASN1OctetString(contentBytes: $0[...]))
            }
            extensions = try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names)
                AuthorityKeyIdentifier(keyIdentifier: authorityKeyIdentifier)
            }
        case .client:
            extensions = try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([.clientAuth])
                AuthorityKeyIdentifier(keyIdentifier: authorityKeyIdentifier)
            }
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(365 * 86_400),
            issuer: self.certificate.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions, issuerPrivateKey: Certificate.PrivateKey(self.key))
        return (certificate, key)
    }

    private var authorityKeyIdentifier: ArraySlice<UInt8>? {
        (try? certificate.extensions.subjectKeyIdentifier)??.keyIdentifier
    }
}

/// Textual IP addresses as the bytes a certificate's `iPAddress` name holds.
public enum IPAddress {
    public static func bytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}
