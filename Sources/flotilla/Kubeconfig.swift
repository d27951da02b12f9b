import Access
import ArgumentParser
import Foundation
import HubServer
import Rollout

extension Flotilla {
    struct KubeconfigCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "kubeconfig",
            abstract: "Write a kubeconfig: context `hub` for the hub, and one read-only context per member.",
            discussion: """
                Reads the hub's CA and credentials beside its journal (--db). Without --user it uses the admin \
                client certificate (group system:masters); with --user it mints a client certificate for that user \
                and any --group, signed by the hub's CA, as `kubeadm kubeconfig user` does. An http:// --server (a hub \
                on --insecure-http) gets a kubeconfig without credentials.
                """)

        @Option(name: .long, help: "The hub's journal file: its CA and credentials are in the .pki directory beside it.")
        var db: String = "flotilla.journal"

        @Option(name: .long, help: "The hub's URL, as `flotilla serve` printed it.")
        var server: String = "https://127.0.0.1:\(Flotilla.defaultPort)"

        @Option(name: .long, help: "Where to write it; standard output when omitted.")
        var output: String?

        @Option(name: .long, help: "A member context to add; by default every member joined in the journal.")
        var member: [String] = []

        @Option(name: .long, help: "Mint a client certificate for this user instead of using the admin's.")
        var user: String?

        @Option(name: .long, help: "A group of the --user (the certificate's O); repeatable.")
        var group: [String] = []

        func validate() throws {
            guard let url = URL(string: server), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                throw ValidationError("--server must be an http(s) URL such as https://127.0.0.1:\(Flotilla.defaultPort)")
            }
            if user?.isEmpty == true { throw ValidationError("--user must not be empty") }
            if user == nil && !group.isEmpty { throw ValidationError("--group needs --user: the admin's groups are fixed") }
        }

        func run() async throws {
            let members = member.isEmpty ? try joinedMembers() : member
            var credentials: Kubeconfig.Credentials?
            if URL(string: server)?.scheme == "https" {
                let pki: HubCredentials
                do {
                    pki = try HubCredentials.load(journal: db)
                } catch {
                    throw ValidationError("--db: \(error)")
                }
                let authority = try String(contentsOfFile: pki.caFile, encoding: .utf8)
                if let user {
                    let minted = try pki.mint(user: user, groups: group)
                    credentials = .init(user: user, certificateAuthority: authority, clientCertificate: minted.certificate, clientKey: minted.key)
                } else {
                    credentials = .init(
                        user: HubCredentials.adminUser, certificateAuthority: authority,
                        clientCertificate: try String(contentsOfFile: pki.adminCertificateFile, encoding: .utf8),
                        clientKey: try String(contentsOfFile: pki.adminKeyFile, encoding: .utf8))
                }
            }
            let text = Kubeconfig.make(server: server, members: members, credentials: credentials)
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                    throw Failure("--output: cannot write \(output)")
                }
            } else {
                print(text, terminator: "")
            }
        }

        /// The members joined in the journal, read without a running hub.
        func joinedMembers() throws -> [String] {
            guard FileManager.default.fileExists(atPath: db) else { return [] }
            let journal = try Hub.openJournal(path: db, readOnly: true)
            defer { journal.close() }
            return try Hub.members(in: journal)
        }
    }
}
