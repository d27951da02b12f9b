import Access
import Synchronization

/// The server's one `RequestLimiter`, shared by every request behind a lock. Each admitted request holds a
/// `LimitSlot` that gives its place back when the request ends, or for a watch, when its stream ends.
final class UserLimits: Sendable {
    private let limiter: Mutex<RequestLimiter>

    init(_ limits: RequestLimiter.Limits) {
        limiter = Mutex(RequestLimiter(limits: limits))
    }

    /// A slot for one more `kind` of `user`, or nil when that is over their limit.
    func admit(_ user: UserInfo, _ kind: RequestLimiter.Kind) -> LimitSlot? {
        switch limiter.withLock({ $0.admit(user, kind) }) {
        case .refused: return nil
        case .exempt: return LimitSlot {}
        case .counted:
            let name = user.name
            return LimitSlot { self.release(name, kind) }
        }
    }

    private func release(_ user: String, _ kind: RequestLimiter.Kind) {
        limiter.withLock { $0.release(user, kind) }
    }

    /// What each user has open now.
    var open: [RequestLimiter.Key: Int] { limiter.withLock { $0.open } }

    /// The answer over a limit: the API server's 429, with the `Retry-After: 1` its max-inflight filter sends.
    static let tooManyRequests = KubeStatus.tooManyRequests(retryAfterSeconds: 1)
}

/// One admitted request or watch. `release` gives its place back the first time it is called and does nothing
/// after, so every way a request can end may call it.
final class LimitSlot: Sendable {
    private let action: Mutex<(@Sendable () -> Void)?>

    init(_ release: @escaping @Sendable () -> Void) {
        action = Mutex(release)
    }

    func release() {
        let release = action.withLock { action in
            defer { action = nil }
            return action
        }
        release?()
    }
}
