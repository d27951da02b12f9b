import Testing
@testable import Access

/// Given what users have open, when one more request or watch comes, then the limiter's decision and exactly
/// what it counts.
struct RequestLimiterTests {
    static let alice = UserInfo(name: "alice", groups: ["team-a", "system:authenticated"])
    static let bob = UserInfo(name: "bob", groups: ["system:authenticated"])
    static let admin = UserInfo(name: "flotilla-admin", groups: ["system:masters", "system:authenticated"])

    @Test func eachUserHasTheirOwnRoomForRequestsAndForWatches() {
        var limiter = RequestLimiter(limits: .init(requests: 2, watches: 1))
        #expect(limiter.admit(Self.alice, .request) == .counted)
        #expect(limiter.admit(Self.alice, .request) == .counted)
        #expect(limiter.admit(Self.alice, .request) == .refused)
        #expect(limiter.admit(Self.alice, .watch) == .counted)
        #expect(limiter.admit(Self.alice, .watch) == .refused)
        #expect(limiter.admit(Self.bob, .request) == .counted)
        #expect(limiter.admit(Self.bob, .watch) == .counted)
        #expect(limiter.open == [
            .init("alice", .request): 2, .init("alice", .watch): 1, .init("bob", .request): 1, .init("bob", .watch): 1,
        ])
    }

    @Test func aReleaseMakesRoomForExactlyOneMore() {
        var limiter = RequestLimiter(limits: .init(requests: 1, watches: 1))
        #expect(limiter.admit(Self.alice, .request) == .counted)
        limiter.release("alice", .request)
        #expect(limiter.open == [:])
        #expect(limiter.admit(Self.alice, .request) == .counted)
        #expect(limiter.admit(Self.alice, .request) == .refused)
        #expect(limiter.open == [.init("alice", .request): 1])
    }

    @Test func aReleaseOfNothingOpenChangesNothing() {
        var limiter = RequestLimiter(limits: .init(requests: 1, watches: 1))
        #expect(limiter.admit(Self.bob, .watch) == .counted)
        limiter.release("alice", .request)
        limiter.release("bob", .request)
        #expect(limiter.open == [.init("bob", .watch): 1])
    }

    /// As the API server exempts `system:masters` from its 429s: never counted, never refused.
    @Test func systemMastersIsExempt() {
        var limiter = RequestLimiter(limits: .init(requests: 1, watches: 1))
        for _ in 0..<5 {
            #expect(limiter.admit(Self.admin, .request) == .exempt)
            #expect(limiter.admit(Self.admin, .watch) == .exempt)
        }
        #expect(limiter.open == [:])
    }

    @Test func theDefaultsLeaveRoomForAHundredOfEach() {
        var limiter = RequestLimiter()
        for _ in 0..<100 { #expect(limiter.admit(Self.alice, .request) == .counted) }
        #expect(limiter.admit(Self.alice, .request) == .refused)
        #expect(limiter.limits == .init(requests: 100, watches: 100))
    }
}
