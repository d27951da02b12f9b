import Testing

@testable import Agent

/// KubeFleet's requeue stages with the member agent's settings.
@Suite struct BackoffTests {
    func seconds(_ delays: [Duration]) -> [Double] {
        delays.map { ((Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18) * 1000).rounded() / 1000 }
    }

    @Test func fixedThenSlowThenFast() {
        var backoff = RequeueBackoff()
        let delays = (0..<12).map { _ in backoff.next() }
        // 5 s once; 2 s ×1.2 while under 15 s; then ×1.5.
        #expect(seconds(delays) == [5, 2, 2.4, 2.88, 3.456, 4.147, 4.977, 5.972, 7.166, 8.6, 10.32, 12.383])
        let more = (0..<3).map { _ in backoff.next() }
        #expect(seconds(more) == [14.86, 22.29, 33.435])
    }

    @Test func capsAtFifteenMinutes() {
        var backoff = RequeueBackoff()
        var last = Duration.zero
        for _ in 0..<40 { last = backoff.next() }
        #expect(last == .seconds(900))
        #expect(backoff.next() == .seconds(900))
    }

    @Test func availableWorkSkipsTheSlowStage() {
        var backoff = RequeueBackoff()
        let delays = (0..<4).map { _ in backoff.next(settled: true) }
        #expect(seconds(delays) == [5, 2, 3, 4.5])
    }

    @Test func resetStartsOver() {
        var backoff = RequeueBackoff()
        for _ in 0..<6 { _ = backoff.next() }
        backoff.reset()
        #expect(backoff.next() == .seconds(5))
    }
}
