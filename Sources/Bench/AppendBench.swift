import CLZ4
import CSQLite
import Foundation
import Journal
import Rollout
import Synchronization

/// Durable appends: Flotilla's journal against raw SQLite (the C API) inserting the same events into a plain event
/// table, and against Python's `eventsourcing` SQLite recorder, with the same events.
enum AppendBench {
    /// The first `count` events of the benchmark journal.
    static func events(from corpus: Corpus, count: Int) throws -> [RecordedEvent] {
        let journal = try Hub.openJournal(path: corpus.path, readOnly: true)
        defer { journal.close() }
        return try journal.read(after: 0, limit: count)
    }

    enum Mode: CustomStringConvertible {
        case single
        case batch(Int)
        case concurrent(Int)

        var description: String {
            switch self {
            case .single: "1 per append"
            case .batch(let size): "\(size) per append"
            case .concurrent(let writers): "\(writers) concurrent 1-event appenders"
            }
        }
    }

    // MARK: Flotilla

    /// Events per second through `Journal.append` (the hub's journal: seed dictionary, WAL, `synchronous`).
    static func flotilla(_ rows: [RecordedEvent], mode: Mode, synchronous: Synchronous, work: String) async throws -> Double {
        let path = "\(work)/append-flotilla.journal"
        removeSQLiteFiles(path)
        let journal = try Hub.openJournal(path: path, synchronous: synchronous)
        defer {
            journal.close()
            removeSQLiteFiles(path)
        }
        return try await appendRate(rows, mode: mode, to: journal)
    }

    /// Events per second through `Journal.append` into `journal`, which starts empty, whichever store holds it.
    static func appendRate(_ rows: [RecordedEvent], mode: Mode, to journal: Journal) async throws -> Double {
        let events = rows.map { NewEvent(type: $0.type, time: $0.time, actor: $0.actor, payload: $0.payload) }
        let streams = rows.map(\.stream)
        let start = monotonic()
        switch mode {
        case .single:
            for (event, stream) in zip(events, streams) {
                _ = try await journal.append(stream: stream, expected: .any, events: [event])
            }
        case .batch(let size):
            for chunk in stride(from: 0, to: events.count, by: size) {
                var writes: [StreamWrite] = []
                for index in chunk..<min(chunk + size, events.count) {
                    if let last = writes.last, last.stream == streams[index] {
                        writes[writes.count - 1].events.append(events[index])
                    } else {
                        writes.append(StreamWrite(stream: streams[index], expected: .any, events: [events[index]]))
                    }
                }
                _ = try await journal.append(writes)
            }
        case .concurrent(let writers):
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        for index in stride(from: writer, to: events.count, by: writers) {
                            _ = try await journal.append(stream: streams[index], expected: .any, events: [events[index]])
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        let elapsed = monotonic() - start
        guard journal.durableSeq == Int64(rows.count) else {
            throw BenchError("flotilla stored \(journal.durableSeq) of \(rows.count)")
        }
        return Double(rows.count) / elapsed
    }

    // MARK: Raw SQLite

    /// What a plain event table stores: the global order, the stream and its version (unique, for expected-version
    /// checks), the event's fields and its JSON as the caller encoded it. No compression, chain or triggers: the
    /// journal's own columns (`dict_id`, `raw_len`, `hash`) and LZ4 bytes are what its work produces, so inserting
    /// them here would give raw SQLite the journal's smaller rows without the work of making them.
    static let rawSchema = """
        CREATE TABLE events (
            seq INTEGER PRIMARY KEY, stream TEXT NOT NULL, version INTEGER NOT NULL CHECK (version >= 1),
            type TEXT NOT NULL, time INTEGER NOT NULL, actor TEXT NOT NULL, payload BLOB NOT NULL,
            UNIQUE (stream, version)
        ) STRICT
        """

    /// A raw SQLite connection with its one insert statement, on a new file made with `schema`.
    final class RawConnection {
        let db: OpaquePointer
        let insert: OpaquePointer
        let begin: OpaquePointer
        let commit: OpaquePointer

        init(
            path: String, synchronous: Synchronous, schema: String = AppendBench.rawSchema,
            insert insertSQL: String = "INSERT INTO events (seq, stream, version, type, time, actor, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        ) throws {
            var db: OpaquePointer?
            guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let db else {
                throw BenchError("raw sqlite: cannot open \(path)")
            }
            self.db = db
            sqlite3_busy_timeout(db, 10_000)
            try Self.exec(db, "PRAGMA journal_mode = WAL")
            try Self.exec(db, "PRAGMA synchronous = \(synchronous.rawValue)")
            try Self.exec(db, schema)
            func prepare(_ sql: String) throws -> OpaquePointer {
                var statement: OpaquePointer?
                guard sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK, let statement else {
                    throw BenchError("raw sqlite: \(String(cString: sqlite3_errmsg(db)))")
                }
                return statement
            }
            insert = try prepare(insertSQL)
            begin = try prepare("BEGIN IMMEDIATE")
            commit = try prepare("COMMIT")
        }

        deinit {
            sqlite3_finalize(insert)
            sqlite3_finalize(begin)
            sqlite3_finalize(commit)
            sqlite3_close(db)
        }

        static func exec(_ db: OpaquePointer, _ sql: String) throws {
            guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw BenchError("raw sqlite: \(String(cString: sqlite3_errmsg(db)))") }
        }

        func run(_ statement: OpaquePointer) throws {
            let code = sqlite3_step(statement)
            sqlite3_reset(statement)
            guard code == SQLITE_DONE else { throw BenchError("raw sqlite: \(String(cString: sqlite3_errmsg(db)))") }
        }

        /// Inserts `rows` in one `BEGIN IMMEDIATE` transaction; `seq` nil lets SQLite pick the next rowid.
        func insert(_ rows: ArraySlice<RecordedEvent>, firstSeq: Int64?) throws {
            try run(begin)
            var seq = firstSeq
            for row in rows {
                if let value = seq { sqlite3_bind_int64(insert, 1, value) } else { sqlite3_bind_null(insert, 1) }
                sqlite3_bind_text(insert, 2, row.stream, -1, csqlite_transient())
                sqlite3_bind_int64(insert, 3, row.version)
                sqlite3_bind_text(insert, 4, row.type, -1, csqlite_transient())
                sqlite3_bind_int64(insert, 5, row.time)
                sqlite3_bind_text(insert, 6, row.actor, -1, csqlite_transient())
                row.payload.withUnsafeBytes { _ = sqlite3_bind_blob(insert, 7, $0.baseAddress, Int32($0.count), csqlite_transient()) }
                try run(insert)
                seq = seq.map { $0 + 1 }
            }
            try run(commit)
        }
    }

    /// Events per second inserting the events with the C API, WAL, the same `synchronous`, same batching.
    static func raw(_ rows: [RecordedEvent], mode: Mode, synchronous: Synchronous, work: String) throws -> Double {
        let path = "\(work)/append-raw.sqlite"
        removeSQLiteFiles(path)
        defer { removeSQLiteFiles(path) }
        let connection = try RawConnection(path: path, synchronous: synchronous)
        let start = monotonic()
        switch mode {
        case .single:
            for index in rows.indices { try connection.insert(rows[index...index], firstSeq: Int64(index + 1)) }
        case .batch(let size):
            for chunk in stride(from: 0, to: rows.count, by: size) {
                try connection.insert(rows[chunk..<min(chunk + size, rows.count)], firstSeq: Int64(chunk + 1))
            }
        case .concurrent(let writers):
            // Each writer a thread, one event per transaction, on one shared connection taken in turn: SQLite with
            // no group commit. (Separate connections would add SQLite's busy-wait sleeps, which only slow it down.)
            let failure = Mutex<String?>(nil)
            let lock = NSLock()
            let box = UncheckedBox(connection)
            let rowsBox = UncheckedBox(rows)
            DispatchQueue.concurrentPerform(iterations: writers) { writer in
                do {
                    for index in stride(from: writer, to: rowsBox.value.count, by: writers) {
                        lock.lock()
                        defer { lock.unlock() }
                        try box.value.insert(rowsBox.value[index...index], firstSeq: nil)
                    }
                } catch {
                    failure.withLock { $0 = "\(error)" }
                }
            }
            if let message = failure.withLock({ $0 }) { throw BenchError(message) }
        }
        return Double(rows.count) / (monotonic() - start)
    }

    /// Events per second stored `size` to a durable commit as one row each: the commit's payloads concatenated and
    /// LZ4-compressed whole into a plain table, with nothing else. What a journal that kept a commit's events as one
    /// row would reach at best on this disk, its compression counted and no per-event work.
    static func rawOneRowPerCommit(_ rows: [RecordedEvent], size: Int, work: String) throws -> Double {
        let path = "\(work)/append-raw-rows.sqlite"
        removeSQLiteFiles(path)
        defer { removeSQLiteFiles(path) }
        let connection = try RawConnection(
            path: path, synchronous: .full,
            schema: "CREATE TABLE commits (first_seq INTEGER PRIMARY KEY, count INTEGER NOT NULL, payload BLOB NOT NULL) STRICT",
            insert: "INSERT INTO commits VALUES (?1, ?2, ?3)")
        var joined: [UInt8] = []
        var compressed: [UInt8] = []
        let start = monotonic()
        for chunk in stride(from: 0, to: rows.count, by: size) {
            let end = min(chunk + size, rows.count)
            joined.removeAll(keepingCapacity: true)
            for index in chunk..<end { joined.append(contentsOf: rows[index].payload) }
            let bound = Int(LZ4_compressBound(Int32(joined.count)))
            if compressed.count < bound { compressed = [UInt8](repeating: 0, count: bound) }
            let count = joined.withUnsafeBytes { input in
                compressed.withUnsafeMutableBytes { output in
                    Int(
                        LZ4_compress_default(
                            input.baseAddress!.assumingMemoryBound(to: CChar.self),
                            output.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(input.count), Int32(bound)))
                }
            }
            guard count > 0 else { throw BenchError("lz4 could not compress a commit") }
            try connection.run(connection.begin)
            sqlite3_bind_int64(connection.insert, 1, Int64(chunk + 1))
            sqlite3_bind_int64(connection.insert, 2, Int64(end - chunk))
            compressed.withUnsafeBytes {
                _ = sqlite3_bind_blob(connection.insert, 3, $0.baseAddress, Int32(count), csqlite_transient())
            }
            try connection.run(connection.insert)
            try connection.run(connection.commit)
        }
        return Double(rows.count) / (monotonic() - start)
    }

    // MARK: One side alone

    /// One side of one append row alone, for profilers (callgrind, `perf stat`): `all` interleaves both sides and
    /// the peer. The events are the first `--events` of the journal `--db` (a benchmark corpus).
    static func profile(_ arguments: Arguments) async throws -> [String: Any] {
        let count = try arguments.int("events")
        let rows = try events(from: Corpus(path: try arguments.string("db"), events: count, blocks: 0, templateEvents: 0), count: count)
        guard rows.count == count else { throw BenchError("the journal holds \(rows.count) of \(count) events") }
        let mode: Mode =
            switch try arguments.string("mode") {
            case "single": .single
            case "batch": .batch(100)
            case "concurrent": .concurrent(8)
            case let other: throw BenchError("--mode \(other): single, batch or concurrent")
            }
        guard let synchronous = Synchronous(rawValue: try arguments.string("synchronous")) else {
            throw BenchError("--synchronous: FULL or NORMAL")
        }
        let side = try arguments.string("side")
        let work = try arguments.string("work")
        var rates: [Double] = []
        var cpu: [Double] = []
        for _ in 0..<(try arguments.int("repeats")) {
            let started = processCPUSeconds()
            switch side {
            case "flotilla": rates.append(try await flotilla(rows, mode: mode, synchronous: synchronous, work: work))
            case "raw": rates.append(try raw(rows, mode: mode, synchronous: synchronous, work: work))
            default: throw BenchError("--side \(side): flotilla or raw")
            }
            cpu.append(processCPUSeconds() - started)
        }
        return [
            "side": side, "mode": "\(mode)", "synchronous": synchronous.rawValue, "events_per_s": median(rates), "runs": rates,
            "cpu_us_per_event": median(cpu) / Double(count) * 1e6,
        ]
    }

    /// User and system CPU seconds of this process (every thread) so far: what a run costs, whatever else the
    /// shared machine runs.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    // MARK: The peer

    /// Writes the events as TSV (stream, version, type, payload) for the Python peer.
    static func writePeerInput(_ rows: [RecordedEvent], to path: String) throws {
        var text = ""
        for row in rows {
            text += "\(row.stream)\t\(row.version)\t\(row.type)\t\(String(decoding: row.payload, as: UTF8.self))\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}

/// Hands a value to `concurrentPerform`'s workers; each worker touches only its own element.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
