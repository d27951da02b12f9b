import Crypto
import Foundation
import SwiftASN1
import X509

/// The hub's keys and certificates, kept in a directory beside its journal (`<journal>.pki/`), made on first
/// start: a CA, a serving certificate, an admin client certificate (group `system:masters`), the front-proxy
/// certificate hubs pass writes to their leader with, and the key that signs ServiceAccount tokens.
public struct HubCredentials: Sendable {
    public static let adminUser = "flotilla-admin"
    /// The CN a hub's front-proxy certificate carries: the only one whose `X-Remote-*` headers a hub believes.
    public static let proxyUser = "flotilla:hub-proxy"

    public let directory: String
    public let authority: CertificateAuthority
    public let serviceAccountKey: P256.Signing.PrivateKey

    public static func directory(forJournal path: String) -> String { path + ".pki" }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Loads the credentials beside a journal, creating what is missing; the serving certificate is issued
    /// anew when it does not name every one of `hosts`.
    public static func prepare(journal path: String, hosts: [String], now: Date = Date()) throws -> HubCredentials {
        let directory = directory(forJournal: path)
        let files = FileManager.default
        do {
            try files.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw Failure(description: "cannot create \(directory) for the hub's certificates: \(error.localizedDescription)")
        }
        let credentials = try load(directory: directory, create: true, now: now)
        let server = directory + "/server.crt"
        if try !names(server, hosts) {
            let issued = try credentials.authority.issue(
                commonName: "flotilla", usage: .server(dnsNames: dnsNames(hosts), ipAddresses: ipAddresses(hosts)), now: now)
            try write(issued, to: directory + "/server")
        }
        if !files.fileExists(atPath: directory + "/admin.crt") {
            try write(try credentials.authority.issue(commonName: adminUser, organizations: [UserInfo.mastersGroup], usage: .client, now: now), to: directory + "/admin")
        }
        if !files.fileExists(atPath: directory + "/proxy.crt") {
            try write(try credentials.authority.issue(commonName: proxyUser, usage: .client, now: now), to: directory + "/proxy")
        }
        return credentials
    }

    /// The credentials of an existing hub, for `flotilla kubeconfig`; refuses when the hub has none yet.
    public static func load(journal path: String) throws -> HubCredentials {
        let directory = directory(forJournal: path)
        guard FileManager.default.fileExists(atPath: directory + "/ca.crt") else {
            throw Failure(description: "\(directory) holds no CA: start the hub once with `flotilla serve --db \(path)` to create it")
        }
        return try load(directory: directory, create: false, now: Date())
    }

    private static func load(directory: String, create: Bool, now: Date) throws -> HubCredentials {
        let caFile = directory + "/ca.crt"
        let authority: CertificateAuthority
        if FileManager.default.fileExists(atPath: caFile) {
            authority = CertificateAuthority(certificate: try certificate(caFile), key: try key(directory + "/ca.key"))
        } else {
            authority = try CertificateAuthority.create(commonName: "flotilla-ca", now: now)
            try write((authority.certificate, authority.key), to: directory + "/ca")
        }
        let signingFile = directory + "/service-account.key"
        let signing: P256.Signing.PrivateKey
        if FileManager.default.fileExists(atPath: signingFile) {
            signing = try key(signingFile)
        } else {
            signing = P256.Signing.PrivateKey()
            try writeSecret(signing.pemRepresentation, to: signingFile)
        }
        return HubCredentials(directory: directory, authority: authority, serviceAccountKey: signing)
    }

    public var caFile: String { directory + "/ca.crt" }
    public var serverCertificateFile: String { directory + "/server.crt" }
    public var serverKeyFile: String { directory + "/server.key" }
    public var adminCertificateFile: String { directory + "/admin.crt" }
    public var adminKeyFile: String { directory + "/admin.key" }
    public var proxyCertificateFile: String { directory + "/proxy.crt" }
    public var proxyKeyFile: String { directory + "/proxy.key" }

    /// Believes a front proxy's headers from this hub's own proxy certificate only.
    public var frontProxy: RequestHeaderAuthentication {
        RequestHeaderAuthentication(proxies: ClientCertificates(authorities: [authority.certificate]), allowedNames: [Self.proxyUser])
    }

    /// A client certificate for a user and groups, as `kubeadm kubeconfig user` makes one: PEM certificate
    /// and key.
    public func mint(user: String, groups: [String], now: Date = Date()) throws -> (certificate: String, key: String) {
        let issued = try authority.issue(commonName: user, organizations: groups, usage: .client, now: now)
        return (try issued.certificate.serializeAsPEM().pemString, issued.key.pemRepresentation)
    }

    static func dnsNames(_ hosts: [String]) -> [String] {
        var names = ["localhost"]
        for host in hosts where IPAddress.bytes(host) == nil && !names.contains(host) { names.append(host) }
        return names
    }

    static func ipAddresses(_ hosts: [String]) -> [String] {
        var addresses = ["127.0.0.1"]
        for host in hosts where IPAddress.bytes(host) != nil && !addresses.contains(host) && host != "0.0.0.0" && host != "::" {
            addresses.append(host)
        }
        return addresses
    }

    /// Whether the certificate in `file` exists and answers for every host.
    private static func names(_ file: String, _ hosts: [String]) throws -> Bool {
        guard FileManager.default.fileExists(atPath: file) else { return false }
        let names = try certificate(file).extensions.subjectAlternativeNames.map { Array($0) } ?? []
        let dns = Set(names.compactMap { if case .dnsName(let name) = $0 { name } else { nil } })
        let ips = Set(names.compactMap { if case .ipAddress(let bytes) = $0 { Array(bytes.bytes) } else { nil } })
        return dnsNames(hosts).allSatisfy(dns.contains) && ipAddresses(hosts).compactMap(IPAddress.bytes).allSatisfy(ips.contains)
    }

    public static func certificate(_ file: String) throws -> Certificate {
        do {
            return try Certificate(pemEncoded: try String(contentsOfFile: file, encoding: .utf8))
        } catch {
            throw Failure(description: "cannot read the certificate \(file): \(error)")
        }
    }

    /// Every certificate in a PEM bundle, as `--client-ca-file` takes them.
    public static func certificates(_ file: String) throws -> [Certificate] {
        do {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let documents = try PEMDocument.parseMultiple(pemString: text)
            guard !documents.isEmpty else { throw Failure(description: "no certificate in it") }
            return try documents.map { try Certificate(pemDocument: $0) }
        } catch {
            throw Failure(description: "cannot read the certificates in \(file): \(error)")
        }
    }

    static func key(_ file: String) throws -> P256.Signing.PrivateKey {
        do {
            return try P256.Signing.PrivateKey(pemRepresentation: try String(contentsOfFile: file, encoding: .utf8))
        } catch {
            throw Failure(description: "cannot read the P-256 key \(file): \(error)")
        }
    }

    private static func write(_ pair: (certificate: Certificate, key: P256.Signing.PrivateKey), to base: String) throws {
        try writeSecret(pair.key.pemRepresentation, to: base + ".key")
        try (try pair.certificate.serializeAsPEM().pemString + "\n").write(toFile: base + ".crt", atomically: true, encoding: .utf8)
    }

    /// Keys are readable by their owner only.
    private static func writeSecret(_ text: String, to file: String) throws {
        guard FileManager.default.createFile(atPath: file, contents: Data((text + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw Failure(description: "cannot write \(file)")
        }
    }
}
