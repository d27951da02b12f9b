import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
    private let sendSignal = Glibc.kill
#elseif canImport(Darwin)
    import Darwin
    private let sendSignal = Darwin.kill
#endif

/// Every child process the tool has started and not yet reaped, so that each exit path (normal, failure,
/// SIGINT, SIGTERM) can kill them: no server is ever left behind.
///
/// - Note: Children run in their own process group, so a terminal's Ctrl-C reaches only the tool, which then
///   kills them itself.
enum Children {
    /// The children alive, and whether the tool is exiting (then no more are started).
    private static let live = Mutex<(pids: Set<pid_t>, exiting: Bool)>(([], false))
    /// Written once, by `installSignalHandlers` at start-up, before any other thread exists; kept to keep the
    /// sources alive.
    nonisolated(unsafe) private static var signalSources: [any DispatchSourceSignal] = []

    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts `executable` with `arguments` and this process's environment plus `environment`, its stdout and
    /// stderr written to the file `output`.
    static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], output: String
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The tool ignores SIGINT and SIGTERM to handle them itself; the child must not inherit that.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let variables = ProcessInfo.processInfo.environment.merging(environment) { _, added in added }
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid = pid_t()
        let result = live.withLock { live -> Int32 in
            if live.exiting { return ECANCELED }
            let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
            if result == 0 { live.pids.insert(pid) }
            return result
        }
        guard result == 0 else {
            throw SpawnError(description: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return pid
    }

    /// The exit status if `pid` has ended (then it is reaped), nil while it runs.
    static func exitStatus(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        live.withLock { _ = $0.pids.remove(pid) }
        return status
    }

    /// Kills `pid` with SIGKILL and reaps it.
    static func kill(_ pid: pid_t) {
        live.withLock { live in
            guard live.pids.remove(pid) != nil else { return }
            reap(pid)
        }
    }

    /// Kills every child and starts no more.
    static func killAll() {
        live.withLock { live in
            live.exiting = true
            for pid in live.pids { reap(pid) }
            live.pids.removeAll()
        }
    }

    private static func reap(_ pid: pid_t) {
        _ = sendSignal(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    }

    /// The shell's wait status as an exit code (128 + signal for a killed process).
    static func exitCode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// On SIGINT or SIGTERM: kill every child, then exit as the signal would have.
    static func installSignalHandlers() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                killAll()
                FileHandle.standardError.write(Data("flotilla-crash-test: interrupted; every server stopped\n".utf8))
                exit(128 + signalNumber)
            }
            source.resume()
            signalSources.append(source)
        }
    }
}
