import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Seconds on the monotonic clock.
func monotonic() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// CPU seconds the calling thread has used: unlike the monotonic clock, not stretched while other work has the
/// cores, so a figure taken on a shared machine holds still.
func threadCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Runs `body` and returns what it returns with the seconds it took.
func timed<T>(_ body: () async throws -> T) async rethrows -> (T, Double) {
    let start = monotonic()
    let value = try await body()
    return (value, monotonic() - start)
}

func median(_ values: [Double]) -> Double {
    precondition(!values.isEmpty, "median of nothing")
    let sorted = values.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/// The nearest-rank percentile `p` (0...100).
func percentile(_ values: [Double], _ p: Double) -> Double {
    precondition(!values.isEmpty, "percentile of nothing")
    let sorted = values.sorted()
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
    return sorted[max(0, min(sorted.count - 1, rank - 1))]
}

/// A failure that ends one figure, not the benchmark: the figure is reported as not measured, with this reason.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Writes a line to stderr at once: progress for whoever watches the run.
func progress(_ line: String) {
    FileHandle.standardError.write(Data("bench: \(line)\n".utf8))
}

/// Peak resident set size of this process so far, in MiB (VmHWM).
func ownPeakMiB() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kib = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kib / 1024
    }
    return 0
}

func fileSize(_ path: String) -> Int64 {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
}

/// Formats a count with thousands separators: 1000000 -> "1,000,000".
func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (index, char) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
        out.append(char)
    }
    return value < 0 ? "-" + out : out
}

func fmt(_ value: Double, _ digits: Int = 2) -> String {
    String(format: "%.\(digits)f", value)
}

/// Formats a rate or size with about three significant digits and separators.
func rate(_ value: Double) -> String {
    if value >= 1000 { return grouped(Int(value.rounded())) }
    if value >= 100 { return fmt(value, 0) }
    if value >= 10 { return fmt(value, 1) }
    return fmt(value, 2)
}

// MARK: Child processes

/// Children started by the benchmark; every exit path stops them (see `installChildCleanup`).
let liveChildren = Mutex<Set<pid_t>>([])

/// Stops every child still running: on normal exit (atexit) and on SIGINT, SIGTERM and SIGHUP.
func installChildCleanup() {
    atexit { stopAllChildren() }
    for signal in [SIGINT, SIGTERM, SIGHUP] {
        Glibc.signal(signal) { received in
            stopAllChildren()
            _exit(128 + received)
        }
    }
}

func stopAllChildren() {
    let pids = liveChildren.withLock { $0 }
    for pid in pids {
        kill(pid, SIGTERM)
    }
    for pid in pids {
        var status: Int32 = 0
        var waited: pid_t = 0
        for _ in 0..<50 {
            waited = waitpid(pid, &status, WNOHANG)
            if waited != 0 { break }
            usleep(100_000)
        }
        if waited == 0 {
            kill(pid, SIGKILL)
            _ = waitpid(pid, &status, 0)
        }
    }
    liveChildren.withLock { $0.removeAll() }
}

/// A child process started with posix_spawn, its stdout and stderr sent to files.
final class Child: @unchecked Sendable {
    let pid: pid_t
    let stdoutPath: String

    /// Starts `arguments[0]` (a path) with `arguments`; stdout goes to `stdoutPath`, stderr to `stderrPath`.
    init(_ arguments: [String], stdoutPath: String, stderrPath: String, environment: [String: String]? = nil) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment ?? [:] { env[key] = value }
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, arguments[0], &actions, nil, argv, envp)
        guard result == 0 else { throw BenchError("cannot start \(arguments[0]): \(String(cString: strerror(result)))") }
        self.pid = pid
        self.stdoutPath = stdoutPath
        liveChildren.withLock { _ = $0.insert(pid) }
    }

    /// Waits for the child to exit; returns its exit status and peak RSS in MiB (wait4's ru_maxrss, which on
    /// Linux counts the parent's resident set at the fork).
    func wait() -> (status: Int32, peakMiB: Double) {
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        liveChildren.withLock { _ = $0.remove(pid) }
        let exited = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (exited, Double(usage.ru_maxrss) / 1024)
    }

    /// SIGTERM, then SIGKILL after `grace` seconds; returns like `wait()`.
    @discardableResult
    func stop(grace: Double = 10) -> (status: Int32, peakMiB: Double) {
        kill(pid, SIGTERM)
        let deadline = monotonic() + grace
        var status: Int32 = 0
        var usage = rusage()
        while true {
            let waited = wait4(pid, &status, WNOHANG, &usage)
            if waited == pid { break }
            if waited < 0 && errno != EINTR { break }
            if monotonic() > deadline {
                kill(pid, SIGKILL)
                while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
                break
            }
            usleep(20_000)
        }
        liveChildren.withLock { _ = $0.remove(pid) }
        return ((status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f), Double(usage.ru_maxrss) / 1024)
    }

    var output: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
}

/// Runs a child to completion and parses the JSON object on the last line of its stdout.
func runChild(
    _ arguments: [String], in work: String, name: String, timeout: Double? = nil
) throws -> (result: [String: Any], peakMiB: Double) {
    let out = "\(work)/\(name).out"
    let err = "\(work)/\(name).err"
    let child = try Child(arguments, stdoutPath: out, stderrPath: err)
    let outcome: (status: Int32, peakMiB: Double)
    if let timeout {
        let deadline = monotonic() + timeout
        var status: Int32 = 0
        var usage = rusage()
        var finished = false
        while monotonic() < deadline {
            if wait4(child.pid, &status, WNOHANG, &usage) == child.pid {
                finished = true
                break
            }
            usleep(50_000)
        }
        if !finished {
            child.stop()
            throw BenchError("did not finish within the \(Int(timeout)) s cap")
        }
        liveChildren.withLock { _ = $0.remove(child.pid) }
        outcome = ((status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f), Double(usage.ru_maxrss) / 1024)
    } else {
        outcome = child.wait()
    }
    let stdout = child.output
    guard outcome.status == 0 else {
        let tail = ((try? String(contentsOfFile: err, encoding: .utf8)) ?? "").split(separator: "\n").suffix(3).joined(separator: " | ")
        throw BenchError("\(name) exited with status \(outcome.status): \(tail)")
    }
    guard let line = stdout.split(separator: "\n").last,
        let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
    else { throw BenchError("\(name) printed no result") }
    // The child's own VmHWM: Linux carries the forking process's high-water mark into the child's ru_maxrss.
    return (object, object["peak_mib"] as? Double ?? outcome.peakMiB)
}

/// Runs a command to completion with output discarded (or to a file); returns its exit status.
@discardableResult
func runQuietly(_ arguments: [String], in work: String, name: String) throws -> Int32 {
    try Child(arguments, stdoutPath: "\(work)/\(name).out", stderrPath: "\(work)/\(name).err").wait().status
}

/// Prints a child subcommand's result: one JSON object on one line.
func emit(_ result: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

/// Finds an executable on PATH.
func which(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
        let path = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

/// Removes a SQLite database and its WAL and shared-memory files, whichever exist.
func removeSQLiteFiles(_ path: String) {
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
}
