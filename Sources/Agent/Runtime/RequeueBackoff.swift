/// KubeFleet's multi-stage requeue delay (`workapplier/backoff.go`) with the member agent's settings: a fixed
/// 5 s first, then a slow backoff ×1.2 from 2 s up to 15 s, then a fast one ×1.5 up to 15 minutes, then every
/// 15 minutes. A Work that is available (or has reported its diff) skips the slow stage. Pure: the caller owns
/// one per Work and resets it when the Work's generation or the outcome of processing it changes.
public struct RequeueBackoff: Sendable, Equatable {
    public var fixedDelay: Duration = .seconds(5)
    public var attemptsWithFixedDelay = 1
    public var initialSlowDelay: Duration = .seconds(2)
    public var slowBase = 1.2
    public var maxSlowDelay: Duration = .seconds(15)
    public var fastBase = 1.5
    public var maxFastDelay: Duration = .seconds(900)

    var requeues = 0
    var lastDelay: Duration = .zero

    public init() {}

    /// The delay before the next attempt; `settled` when the Work is available or diff-reported at its generation.
    public mutating func next(settled: Bool = false) -> Duration {
        var delay: Duration
        switch requeues {
        case ..<attemptsWithFixedDelay:
            delay = fixedDelay
        case attemptsWithFixedDelay:
            delay = initialSlowDelay
        default:
            if lastDelay >= maxFastDelay {
                delay = maxFastDelay
            } else if settled || lastDelay >= maxSlowDelay {
                delay = lastDelay * fastBase
            } else {
                delay = lastDelay * slowBase
                if delay > maxSlowDelay { delay = lastDelay * fastBase }
            }
        }
        delay = min(delay, maxFastDelay)
        requeues += 1
        lastDelay = delay
        return delay
    }

    /// Back to the fixed delay, as after a change.
    public mutating func reset() {
        requeues = 0
        lastDelay = .zero
    }
}
