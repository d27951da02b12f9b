import ArgumentParser
import FleetAPI
import Foundation

/// `flotilla-fuzz-api`: sends malformed, oversized and hostile requests to a running hub and checks that it never
/// answers 5xx, never stops answering, and never records anything for a request it refused.
@main
struct FuzzAPI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flotilla-fuzz-api",
        abstract: "Send hostile requests to a running hub and check that it refuses them cleanly.")

    @Option(help: "The hub's URL, such as https://127.0.0.1:7480.")
    var server: String

    @Option(help: "The hub's journal file, read beside it to see what each request appended.")
    var journal: String

    @Option(help: "The hub's .pki directory: ca.crt, and the admin's admin.crt and admin.key.")
    var pki: String

    @Option(help: "How many hostile requests to send.")
    var requests = 10_000

    @Option(help: "The seed of the generator; the same seed sends the same requests.")
    var seed: UInt64 = 1

    @Option(help: "The user the admin certificate names, whose records in the journal are the fuzzer's.")
    var actor = "flotilla-admin"

    func validate() throws {
        guard requests >= 1 else { throw ValidationError("--requests must be at least 1") }
    }

    func run() async throws {
        let transport = try HubTransport(
            server: server, caFile: pki + "/ca.crt", certificateFile: pki + "/admin.crt", keyFile: pki + "/admin.key")
        let tally: Tally
        do {
            tally = try await fuzz(transport)
        } catch {
            await transport.shutdown()
            throw error
        }
        await transport.shutdown()
        say(tally.summary)
        if !tally.violations.isEmpty { throw ExitCode.failure }
    }

    func fuzz(_ transport: HubTransport) async throws -> Tally {
        var watch = try JournalWatch(path: journal, actor: actor)
        defer { watch.close() }
        try await createTargets(transport)
        var generator = Generator(seed: seed)
        var tally = Tally()
        sending: for index in 0..<requests {
            let fuzzCase = generator.next(index)
            _ = try watch.appended()
            let answer: HubTransport.Answer
            switch await transport.send(fuzzCase) {
            case .answered(let answered):
                answer = answered
            case .unsent:
                tally.record(fuzzCase, outcome: "not sent")
                continue
            case .unanswered(let why):
                tally.record(fuzzCase, outcome: "no answer")
                guard await healthy(transport) else {
                    tally.violation(index, fuzzCase, "the hub stopped answering (\(why))")
                    break sending
                }
                if !fuzzCase.mayGoUnanswered { tally.violation(index, fuzzCase, "the connection closed without an answer: \(why)") }
                continue
            }
            if Self.isImpersonationWithoutUser(answer) {
                tally.record(fuzzCase, outcome: "500 as the API server")
            } else {
                tally.record(fuzzCase, outcome: answer.cut ? "\(answer.status) cut" : String(answer.status))
            }
            if answer.status >= 500 && !Self.isImpersonationWithoutUser(answer) {
                tally.violation(index, fuzzCase, "\(answer.status): \(String(decoding: answer.body.prefix(300), as: UTF8.self))")
            }
            let appended = try watch.appendedByFuzzer()
            if (400..<500).contains(answer.status), !appended.isEmpty {
                tally.violation(index, fuzzCase, "refused with \(answer.status) but appended seq \(appended.map(\.seq)) (\(appended.map(\.type)))")
            } else {
                tally.accepted(appending: appended.count)
            }
            if (index + 1) % 1000 == 0 { say("fuzz-api: \(index + 1) requests sent") }
        }
        return tally
    }

    /// The API server answers `Impersonate-Group` (or `-Uid`, `-Extra-`) without `Impersonate-User` with a plain-text
    /// 500, and so does the hub, word for word: the one 5xx a client can ask for.
    static func isImpersonationWithoutUser(_ answer: HubTransport.Answer) -> Bool {
        let text = String(decoding: answer.body, as: UTF8.self)
        return answer.status == 500 && text.hasPrefix("Internal Server Error: \"") && text.contains("without impersonating a user")
    }

    func healthy(_ transport: HubTransport) async -> Bool {
        let probe = FuzzCase(category: .path, label: "health", method: "GET", target: "/healthz")
        if case .answered(let answer) = await transport.send(probe) { return answer.status == 200 }
        return false
    }

    /// The namespace and objects patches and updates aim at.
    func createTargets(_ transport: HubTransport) async throws {
        let targets: [(String, JSON)] = [
            ("/api/v1/namespaces", Generator.manifest(.namespace, name: Generator.namespace)),
            (Generator.configMaps, Generator.manifest(.configMap, name: Generator.target)),
            (Generator.strategies, Generator.manifest(Generator.kinds.first { $0.kind == "ClusterStagedUpdateStrategy" }!, name: Generator.target)),
        ]
        for (path, manifest) in targets {
            let create = FuzzCase(
                category: .jsonBody, label: "target", method: "POST", target: path, headers: [("Content-Type", "application/json")],
                body: manifest.serialized())
            guard case .answered(let answer) = await transport.send(create), answer.status == 201 || answer.status == 409 else {
                throw FuzzFailure(description: "could not create the fuzz targets at \(server)\(path); is the hub up?")
            }
        }
    }
}

/// Writes a line unbuffered, so progress shows as it happens even into a file or a pipe.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

struct FuzzFailure: Error, CustomStringConvertible {
    var description: String
}
