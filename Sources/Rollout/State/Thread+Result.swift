import Foundation

extension Thread {
    /// The stack of a thread that decodes: the main thread's 8 MiB, since decoding recurses as deep as the trees.
    static let decodingStackSize = 8 << 20

    /// The result of `body`, run on a thread of its own: `value()` waits for it.
    final class Result<Value>: @unchecked Sendable {
        // `@unchecked Sendable`: `result` is written once on the thread before `done` is signalled, and read only
        // after `value()` has waited for that signal.
        private var result: Swift.Result<Value, any Error>?
        private let done = DispatchSemaphore(value: 0)

        fileprivate func run(_ body: () throws -> Value) {
            result = Swift.Result { try body() }
            done.signal()
        }

        func value() throws -> Value {
            done.wait()
            done.signal()
            return try result!.get()
        }
    }

    static func detachedResult<Value>(_ body: @escaping @Sendable () throws -> Value) -> Result<Value> {
        let result = Result<Value>()
        let thread = Thread { result.run(body) }
        thread.stackSize = decodingStackSize
        thread.start()
        return result
    }
}
