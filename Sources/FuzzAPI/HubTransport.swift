import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// Sends fuzz cases over TLS: as the admin (client certificate) or with no certificate at all.
struct HubTransport {
    struct Answer {
        var status: Int
        var body: [UInt8]
        /// A stream (a watch) that was still open when the fuzzer stopped reading it.
        var cut = false
    }

    let server: String
    let admin: HTTPClient
    let anonymous: HTTPClient

    init(server: String, caFile: String, certificateFile: String, keyFile: String) throws {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
        anonymous = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificateFile).map { .certificate($0) }
        tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
        admin = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
    }

    func shutdown() async {
        try? await admin.shutdown()
        try? await anonymous.shutdown()
    }

    enum Outcome {
        case answered(Answer)
        /// The connection ended without an answer.
        case unanswered(String)
        /// The client library would not send it (a header or URL it deems invalid): the hub never saw it.
        case unsent(String)
    }

    /// What became of `fuzzCase`. A body still streaming after `readFor` (a watch) is cut there.
    func send(_ fuzzCase: FuzzCase, readFor: Duration = .seconds(5)) async -> Outcome {
        var request = HTTPClientRequest(url: server + fuzzCase.target)
        request.method = HTTPMethod(rawValue: fuzzCase.method)
        for (name, value) in fuzzCase.headers { request.headers.add(name: name, value: value) }
        if !fuzzCase.body.isEmpty || ["POST", "PUT", "PATCH"].contains(fuzzCase.method) {
            request.body = .bytes(ByteBuffer(bytes: fuzzCase.body))
        }
        let client = fuzzCase.anonymous ? anonymous : admin
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            let status = Int(response.status.code)
            // The first to finish: the whole body (nil when the connection dropped during it), or the cut.
            let answer: Answer? = await withTaskGroup(of: Answer?.self) { group in
                group.addTask {
                    guard let body = try? await response.body.collect(upTo: 64 << 20) else { return nil }
                    return Answer(status: status, body: Array(buffer: body))
                }
                group.addTask {
                    try? await Task.sleep(for: readFor)
                    return Answer(status: status, body: [], cut: true)
                }
                let first = await group.next() ?? nil
                group.cancelAll()
                return first
            }
            return answer.map(Outcome.answered) ?? .unanswered("the connection dropped during the body")
        } catch let error as HTTPClientError where Self.refusedByClient.contains(where: { "\(error)".contains($0) }) {
            return .unsent("\(error)")
        } catch {
            return .unanswered("\(error)")
        }
    }

    static let refusedByClient = ["invalidURL", "emptyHost", "invalidHeaderField", "emptyScheme", "unsupportedScheme"]
}
