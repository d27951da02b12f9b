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
                and any --group, signed by the hub's CA, as `kubeadm kubeconfig user` does. With --agent it mints one \
                for the identity a MemberCluster names (spec.identity), for that member's `flotilla agent`. An http:// \
                --server (a hub on --insecure-http) gets a kubeconfig without credentials.
                """)

        @Option(
            name: .long,
            help: "The hub's journal, a file or a PostgreSQL URL: its CA and credentials are in the .pki directory beside the file (for PostgreSQL, flotilla-HOST-PORT-DB.pki here).")
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

        @Option(name: .long, help: "Mint a client certificate for this member's agent: the identity its MemberCluster's spec.identity names, which may touch only fleet-member-<name> and its own MemberCluster's status.")
        var agent: String?

        func validate() throws {
            guard let url = URL(string: server), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                throw ValidationError("--server must be an http(s) URL such as https://127.0.0.1:\(Flotilla.defaultPort)")
            }
            if user?.isEmpty == true { throw ValidationError("--user must not be empty") }
            if user == nil && !group.isEmpty { throw ValidationError("--group needs --user: the admin's groups are fixed") }
            if agent != nil && (user != nil || !member.isEmpty) {
                throw ValidationError("--agent names its own user and needs no member contexts: give neither --user nor --member")
            }
        }

        func run() async throws {
            var user = self.user
            var group = self.group
            if let agent {
                guard let identity = try agentIdentity(agent) else {
                    throw ValidationError("--agent: \(db) holds no MemberCluster named \(agent)")
                }
                (user, group) = identity
            }
            let members = agent != nil ? [] : member.isEmpty ? try joinedMembers() : member
            var credentials: Kubeconfig.Credentials?
            if URL(string: server)?.scheme == "https" {
                let pki: HubCredentials
                do {
                    pki = try HubCredentials.load(journal: JournalDB(db).credentialsBase)
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

        func agentIdentity(_ member: String) throws -> (user: String, groups: [String])? {
            let db = try JournalDB(self.db)
            guard db.exists else { return nil }
            let journal = try db.open(readOnly: true)
            defer { journal.close() }
            return try Hub.agentIdentity(of: member, in: journal)
        }

        /// The members joined in the journal, read without a running hub.
        func joinedMembers() throws -> [String] {
            let db = try JournalDB(self.db)
            guard db.exists else { return [] }
            let journal = try db.open(readOnly: true)
            defer { journal.close() }
            return try Hub.members(in: journal)
        }
    }
}
