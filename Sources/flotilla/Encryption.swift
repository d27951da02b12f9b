import Access
import ArgumentParser
import FleetAPI
import Foundation
import Rollout

extension Flotilla {
    /// The kinds `flotilla serve` seals unless told otherwise: Secrets, as an API server's encryption
    /// configuration usually names them.
    static let encryptedByDefault = ["secrets"]

    /// The journal's encryption keys for a command that reads it, when it has any: sealed objects then read
    /// back plain.
    static func unsealing(journal db: JournalDB) throws -> Sealing? {
        let directory = HubCredentials.directory(forJournal: db.credentialsBase)
        guard DataKeys.exist(in: directory) else { return nil }
        return Sealing(keys: try DataKeys(directory: directory, create: false), kinds: [])
    }

    /// Kind names from the resource names `--encrypt-kinds` takes (`secrets`, `configmaps`, `deploy`...).
    static func kinds(_ names: [String]) throws -> Set<String> {
        var kinds: Set<String> = []
        for name in names.flatMap({ $0.split(separator: ",").map(String.init) }) where !name.isEmpty {
            guard let kind = ResourceKind.named(name) else {
                throw ValidationError("--encrypt-kinds: the hub serves no kind named \(name)")
            }
            kinds.insert(kind.kind)
        }
        return kinds
    }
}

extension Flotilla.JournalCommand {
    struct RotateKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key",
            abstract: "Make a new key-encryption key and re-wrap every object's data key with it.",
            discussion: "The old key is dropped once every data key is re-wrapped; the journal itself is not rewritten.")
        @OptionGroup var options: JournalOptions

        func run() throws {
            let directory = HubCredentials.directory(forJournal: try options.journal.credentialsBase)
            guard DataKeys.exist(in: directory) else { throw ValidationError("--db: \(directory) holds no encryption key") }
            let (name, count) = try DataKeys(directory: directory, create: false).rotate()
            print("rotated: \(count) data keys re-wrapped with \(name)")
        }
    }

    struct DestroyKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "destroy-key",
            abstract: "Destroy a deleted object's data key: every value of it the journal holds becomes unreadable.",
            discussion: """
                The journal's hash chain still verifies, since it covers what is stored. The object must be deleted \
                first. A hub serving the journal forgets the values at its next start.
                """)
        @OptionGroup var options: JournalOptions

        @Option(name: .long, help: "The Secret, as NAMESPACE/NAME.")
        var secret: String

        func validate() throws {
            guard secret.split(separator: "/", omittingEmptySubsequences: false).count == 2, !secret.hasPrefix("/"), !secret.hasSuffix("/") else {
                throw ValidationError("--secret must be NAMESPACE/NAME")
            }
        }

        func run() throws {
            let parts = secret.split(separator: "/").map(String.init)
            let key = ObjectKey(.secret, namespace: parts[0], name: parts[1])
            let directory = HubCredentials.directory(forJournal: try options.journal.credentialsBase)
            guard DataKeys.exist(in: directory) else { throw ValidationError("--db: \(directory) holds no encryption key") }
            let journal = try Flotilla.JournalCommand.open(options)
            defer { journal.close() }
            if try History.state(journal, through: journal.durableSeq).objects[key] != nil {
                throw Failure("secret \(secret) still exists: delete it first (kubectl delete secret \(parts[1]) -n \(parts[0]))")
            }
            let destroyed = try DataKeys(directory: directory, create: false).destroy(["Secret/\(secret)"])
            guard !destroyed.isEmpty else { throw Failure("secret \(secret) has no data key: it was never stored sealed") }
            print("destroyed the data key of secret \(secret): its past values are unreadable")
        }
    }
}
