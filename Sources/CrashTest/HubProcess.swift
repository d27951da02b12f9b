import CrashCheck
import Foundation

/// One `flotilla serve` child on one journal file, started, SIGKILLed and restarted on the same file, with a
/// fresh port each time (`--port 0`).
actor HubProcess {
    struct StartError: Error, CustomStringConvertible {
        var description: String
    }

    let flotilla: String
    let journal: String
    let memberLatency: Double
    let directory: String
    /// Added to the server's environment.
    let environment: [String: String]
    /// The server's base URL while one is serving; nil while it is down.
    private(set) var url: URL?
    /// Which start is serving: 1 for the first server, 2 for the first restart, and so on.
    private(set) var instance = 0
    /// When each killed server was killed, by its start number; milliseconds since the Unix epoch.
    private(set) var killedAt: [Int: Int64] = [:]
    /// Why the server would not start; the driver stops waiting for it then.
    private(set) var failure: String?
    private(set) var downtimes: [Downtime] = []
    private(set) var kills: [Double] = []
    /// When the first server began serving: the origin of the kill times.
    private(set) var firstReady: Date?
    private var pid: pid_t?
    /// When the last server was killed, until its successor serves.
    private var downSince: Int64?
    private var starts = 0
    private var killsAllowed = true

    init(flotilla: String, journal: String, memberLatency: Double, directory: String, environment: [String: String]) {
        self.flotilla = flotilla
        self.journal = journal
        self.memberLatency = memberLatency
        self.directory = directory
        self.environment = environment
    }

    /// Starts a server and returns once it says it is serving.
    ///
    /// - Throws: `StartError` when it exits first or says nothing for `timeout` seconds; the log's tail is included.
    func start(timeout: TimeInterval = 60) async throws {
        starts += 1
        let log = "\(directory)/serve-\(starts).log"
        let pid = try Children.spawn(
            flotilla, ["serve", "--insecure-http", "--db", journal, "--port", "0", "--member-latency", String(memberLatency)],
            environment: environment, output: log)
        self.pid = pid
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let address = Self.servingAddress(in: text), let url = URL(string: address) {
                self.url = url
                instance = starts
                let now = Date()
                if firstReady == nil { firstReady = now }
                if let downSince {
                    downtimes.append(Downtime(killedAt: downSince, readyAt: Self.millis(now)))
                    self.downSince = nil
                }
                return
            }
            if let status = Children.exitStatus(pid) {
                self.pid = nil
                try fail("flotilla serve exited with \(Children.exitCode(status)) before serving: \(Self.tail(text))")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        Children.kill(pid)
        self.pid = nil
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        try fail("flotilla serve did not say it was serving within \(Int(timeout))s: \(Self.tail(text))")
    }

    private func fail(_ message: String) throws -> Never {
        failure = message
        throw StartError(description: message)
    }

    /// SIGKILLs the server, unless kills are over; true if it did.
    func kill() -> Bool {
        guard killsAllowed, let pid else { return false }
        let now = Date()
        Children.kill(pid)
        self.pid = nil
        url = nil
        downSince = Self.millis(now)
        killedAt[instance] = Self.millis(now)
        kills.append(now.timeIntervalSince(firstReady ?? now))
        return true
    }

    /// The serving server's URL and start number; nil while none serves.
    var serving: (url: URL, instance: Int)? {
        url.map { ($0, instance) }
    }

    /// No more kills: the driver is reading the final state.
    func endKills() {
        killsAllowed = false
    }

    /// Stops the server for good (SIGKILL: `flotilla serve` ignores SIGTERM).
    func stop() {
        if let pid { Children.kill(pid) }
        pid = nil
        url = nil
    }

    static func servingAddress(in log: String) -> String? {
        guard let range = log.range(of: "flotilla: serving ") else { return nil }
        let address = log[range.upperBound...].prefix { !$0.isWhitespace }
        return address.isEmpty ? nil : String(address)
    }

    static func millis(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    static func tail(_ text: String) -> String {
        String(text.suffix(600)).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
