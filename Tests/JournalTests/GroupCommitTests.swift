import Dispatch
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@testable import Journal

struct GroupCommitTests {
    @Test func theWriterGathersOnlyAfterACommitThatResumedSeveralCallers() {
        #expect(Journal.gatherBudget(lastResumed: 0, waiting: 0, lastCommitNanoseconds: 300_000) == nil)
        #expect(Journal.gatherBudget(lastResumed: 1, waiting: 0, lastCommitNanoseconds: 300_000) == nil)
        #expect(Journal.gatherBudget(lastResumed: 2, waiting: 1, lastCommitNanoseconds: 300_000) == nil)
        #expect(Journal.gatherBudget(lastResumed: 3, waiting: 1, lastCommitNanoseconds: 300_000) == 300_000)
        #expect(Journal.gatherBudget(lastResumed: 8, waiting: 1, lastCommitNanoseconds: 300_000) == 300_000)
        #expect(Journal.gatherBudget(lastResumed: 8, waiting: 7, lastCommitNanoseconds: 300_000) == 300_000)
        #expect(Journal.gatherBudget(lastResumed: 8, waiting: 8, lastCommitNanoseconds: 300_000) == nil)
        #expect(Journal.gatherBudget(lastResumed: 8, waiting: 2, lastCommitNanoseconds: 9_000_000) == 2_000_000)
    }

    /// Appenders that append again as soon as they are durable go through gathered commits: every event lands once,
    /// in order, and they share commits.
    @Test(arguments: TestStore.all)
    func appendersThatComeBackTogetherShareCommits(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open()
            defer { journal.close() }
            try await appendTogether(journal)
            #expect(journal.durableSeq == 200)
            #expect(journal.commitCount < 200)
            for writer in 0..<8 {
                #expect(try journal.readStream("writer-\(writer)").map(\.version) == Array(1...25))
            }
            #expect(try journal.verify() == VerifyReport(eventsChecked: 200))
        }
    }

    @Test func concurrentAppendsShareCommits() async throws {
        try await withJournalFile { path in
            let statements = Mutex<[String]>([])
            let journal = try Journal(path: path, seedDictionary: nil) { sql in statements.withLock { $0.append(sql) } }
            defer { journal.close() }

            let recorded = try await withThrowingTaskGroup(of: [RecordedEvent].self) { group in
                for index in 0..<200 {
                    group.addTask {
                        try await journal.append(
                            stream: "member-\(index)", expected: .noStream,
                            events: [event(payload: #"{"i":\#(index)}"#)])
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }

            #expect(recorded.map(\.seq).sorted() == Array(1...200))
            #expect(Set(recorded.map(\.stream)).count == 200)
            #expect(recorded.allSatisfy { $0.version == 1 })
            #expect(journal.durableSeq == 200)
            #expect(try journal.read(after: 0, limit: 1000) == recorded.sorted { $0.seq < $1.seq })
            #expect(try journal.verify() == VerifyReport(eventsChecked: 200))

            let commits = journal.commitCount
            print("200 concurrent appends took \(commits) commits")
            #expect(commits < 200)
            let transactions = statements.withLock { $0.filter { $0 == "BEGIN IMMEDIATE TRANSACTION" }.count }
            #expect(Int64(transactions) == commits)
        }
    }

    @Test(arguments: TestStore.all)
    func deferredSubmissionsWaitForTheFirstWaiterAndShareOneCommit(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open()
            defer { journal.close() }
            let first = try journal.submit([StreamWrite(stream: "a", expected: .noStream, events: [event()])], deferringCommit: true)
            let second = try journal.submit([StreamWrite(stream: "b", expected: .noStream, events: [event(), event()])], deferringCommit: true)
            #expect(journal.commitCount == 0)
            #expect(journal.durableSeq == 0)
            try await first.durable()
            #expect(journal.durableSeq == 3)
            #expect(journal.commitCount == 1)
            try await second.durable()
            #expect(journal.commitCount == 1)
            #expect(try journal.read(after: 0, limit: 10).map(\.seq) == [1, 2, 3])
        }
    }

    @Test func oneAppendRunsOneTransaction() async throws {
        try await withJournalFile { path in
            let statements = Mutex<[String]>([])
            let journal = try Journal(path: path, seedDictionary: nil) { sql in statements.withLock { $0.append(sql) } }
            defer { journal.close() }
            _ = try await journal.append([
                StreamWrite(stream: "a", expected: .noStream, events: [event()]),
                StreamWrite(stream: "b", expected: .noStream, events: [event()]),
            ])

            let insert =
                "INSERT INTO events (seq, stream, version, type, time, actor, dict_id, raw_len, payload, hash) "
                + "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
            let lastVersion = "SELECT version FROM events WHERE stream = ?1 ORDER BY version DESC LIMIT 1"
            // The writer runs without triggers: it checks the batch once (it knows the last seq, and looks up the
            // streams it has not written), then inserts it.
            #expect(
                statements.withLock { $0 } == [
                    "BEGIN IMMEDIATE TRANSACTION", lastVersion, lastVersion, insert, insert, "COMMIT TRANSACTION",
                ])
            #expect(journal.commitCount == 1)
        }
    }

    /// An appender that finds the writer idle commits on its own thread, with no hop to the writer's.
    @Test func aLoneAppenderCommitsOnItsOwnThread() async throws {
        try await withJournalFile { path in
            let committers = Mutex<[pthread_t]>([])
            let journal = try Journal(path: path, seedDictionary: nil) { sql in
                if sql.hasPrefix("INSERT INTO events") { committers.withLock { $0.append(pthread_self()) } }
            }
            defer { journal.close() }
            for round in 1...3 {
                let caller = pthread_self()
                _ = try await journal.append(stream: "lone", expected: .exact(Int64(round - 1)), events: [event()])
                #expect(committers.withLock { $0.count } == round)
                #expect(committers.withLock { $0.last } == caller)
            }
            #expect(journal.commitCount == 3)
        }
    }

    /// Appenders that arrive while a lone appender commits on its own thread wait for the writer, which commits them
    /// together once that commit is done.
    @Test func appendersArrivingDuringALoneCommitShareTheNextCommit() async throws {
        try await withJournalFile { path in
            let opening = Mutex<Journal?>(nil)
            let arrivals = Mutex<[Submission]>([])
            let opened = try Journal(path: path, seedDictionary: nil) { sql in
                // The first commit, under way on the lone appender's thread, sees five appenders arrive.
                guard sql == "BEGIN IMMEDIATE TRANSACTION", arrivals.withLock({ $0.isEmpty }),
                    let journal = opening.withLock({ $0 })
                else { return }
                let submitted = (0..<5).map { index in
                    try! journal.submit([StreamWrite(stream: "arrival-\(index)", expected: .noStream, events: [event()])])
                }
                arrivals.withLock { $0 = submitted }
            }
            opening.withLock { $0 = opened }
            defer { opened.close() }
            _ = try await opened.append(stream: "lone", expected: .noStream, events: [event()])
            let submitted = arrivals.withLock { $0 }
            #expect(submitted.count == 5)
            for submission in submitted { try await submission.durable() }
            #expect(opened.durableSeq == 6)
            #expect(opened.commitCount == 2)
            #expect(try opened.read(after: 0, limit: 10).map(\.stream) == ["lone"] + (0..<5).map { "arrival-\($0)" })
            #expect(try opened.verify() == VerifyReport(eventsChecked: 6))
        }
    }

    /// Appenders that cannot run beside each other (here all on one thread, as when the pool's other threads are
    /// busy) still share commits. Commits alone never suspend, so the first appender to run commits all its events
    /// alone; the 33rd commit yields between its claim and its commit, and the other appenders, run meanwhile, queue
    /// behind it and share it.
    @Test func appendersTakingTurnsOnOneThreadShareTheCommitOfOneThatYields() async throws {
        try await withJournalFile { path in
            let commitStarts = Mutex<[Int64]>([])
            let opening = Mutex<Journal?>(nil)
            let journal = try Journal(path: path, seedDictionary: nil) { sql in
                guard sql == "BEGIN IMMEDIATE TRANSACTION", let journal = opening.withLock({ $0 }) else { return }
                commitStarts.withLock { $0.append(journal.durableSeq) }
            }
            opening.withLock { $0 = journal }
            defer { journal.close() }
            try await withTaskExecutorPreference(OneThread()) { try await appendTogether(journal) }
            #expect(journal.durableSeq == 200)
            let starts = commitStarts.withLock { $0 } + [200]
            let batches = zip(starts.dropFirst(), starts).map { Int($0 - $1) }
            let limit = Journal.aloneCommitLimit
            #expect(Array(batches.prefix(limit + 1)) == Array(repeating: 1, count: limit) + [7])
            #expect(try journal.verify() == VerifyReport(eventsChecked: 200))
        }
    }
}

/// Eight appenders, each appending 25 one-event batches to its own stream as fast as its commits come back.
private func appendTogether(_ journal: Journal) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for writer in 0..<8 {
            group.addTask {
                for _ in 0..<25 {
                    _ = try await journal.append(stream: "writer-\(writer)", expected: .any, events: [event()])
                }
            }
        }
        try await group.waitForAll()
    }
}

/// Runs the jobs of the tasks that prefer it one after another on one thread.
private final class OneThread: TaskExecutor {
    private let queue = DispatchQueue(label: "flotilla.tests.one-thread")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
