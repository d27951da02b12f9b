import Foundation

extension Hub {
    /// Moves virtual time to `date`, doing each piece of due work at its own time. Work due at the same moment is
    /// done together and settles in one commit; on the wall clock, that is all the work due by now. In virtual
    /// time a measurement started at a moment is answered at that moment too.
    public func advance(to date: Date) async throws {
        while let (time, item) = agenda.popDue(at: date) {
            let manual = clock as? ManualClock
            manual?.set(time)
            try perform(item)
            while let (_, next) = agenda.popDue(at: manual == nil ? date : time) { try perform(next) }
            try await settle()
            if !realTime { await measurementsTaken() }
        }
        (clock as? ManualClock)?.set(date)
        try await settle()
        if !realTime { await measurementsTaken() }
    }

    public func advance(by interval: TimeInterval) async throws {
        try await advance(to: clock.now().addingTimeInterval(interval))
    }

    /// In virtual time, moves from one piece of due work to the next until `condition` holds; false if the
    /// agenda runs dry or `limit` passes first.
    public func advance(until condition: (HubState) -> Bool, limit: TimeInterval = 86_400) async throws -> Bool {
        let end = clock.now().addingTimeInterval(limit)
        await measurementsTaken()
        while !condition(state) {
            guard let next = agenda.nextTime(), next <= end else { return false }
            try await advance(to: next)
        }
        return true
    }

    /// Runs on the wall clock from now on: due work fires by itself.
    public func startRealTime() {
        guard refusal == nil else { return }
        realTime = true
        armTimer()
    }

    public func stop() {
        timer?.cancel()
        timer = nil
        realTime = false
    }

    func armTimer() {
        guard realTime, let next = agenda.nextTime() else { return }
        if timerTarget == next, timer != nil { return }
        timer?.cancel()
        timerTarget = next
        let delay = max(0, next.timeIntervalSince(clock.now()))
        timer = Task { [weak self] in
            try? await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
            guard !Task.isCancelled else { return }
            await self?.timerFired()
        }
    }

    private func timerFired() async {
        timer = nil
        timerTarget = nil
        do {
            try await advance(to: clock.now())
        } catch {
            logger.error("timed work failed", metadata: ["cause": "\(error)"])
            armTimer()
        }
    }
}
