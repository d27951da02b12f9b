/// What a writer believes a stream's current version to be: the optimistic concurrency check of an append.
public enum ExpectedVersion: Sendable {
    /// No check.
    case any
    /// The stream must not exist yet.
    case noStream
    /// The stream's current version must be exactly this; `exact(0)` means the same as `noStream`.
    case exact(Int64)

    /// Whether a stream whose current version is `current` passes the check.
    func admits(_ current: Int64) -> Bool {
        switch self {
        case .any: true
        case .noStream: current == 0
        case .exact(let version): current == version
        }
    }
}

extension ExpectedVersion: Equatable {
    /// Equal when they admit the same versions, so `.exact(0) == .noStream`.
    public static func == (lhs: ExpectedVersion, rhs: ExpectedVersion) -> Bool {
        switch (lhs, rhs) {
        case (.any, .any): true
        case (.noStream, .noStream): true
        case (.exact(let a), .exact(let b)): a == b
        case (.noStream, .exact(let version)), (.exact(let version), .noStream): version == 0
        default: false
        }
    }
}

extension ExpectedVersion: CustomStringConvertible {
    public var description: String {
        switch self {
        case .any: "any version"
        case .noStream: "no stream"
        case .exact(let version): "version \(version)"
        }
    }
}

/// Events to append to one stream, with the version the writer expects the stream to have.
///
/// ```swift
/// let write = StreamWrite(stream: "updaterun/run-1", expected: .exact(3), events: [started])
/// ```
public struct StreamWrite: Sendable {
    public var stream: String
    public var expected: ExpectedVersion
    public var events: [NewEvent]

    public init(stream: String, expected: ExpectedVersion, events: [NewEvent]) {
        self.stream = stream
        self.expected = expected
        self.events = events
    }
}
