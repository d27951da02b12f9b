/// When a round kills the server: 1 to 3 moments, uniform over the scenario's expected duration, drawn from a
/// seeded generator so that a failing round can be played again with the same seed.
public enum KillPlan {
    /// Seconds after the round's server first serves, in ascending order.
    ///
    /// - Parameters:
    ///   - seed: The round's seed.
    ///   - scenario: The scenario's name, so each scenario of a round gets its own moments.
    ///   - duration: The scenario's expected duration in seconds (its baseline's).
    public static func killTimes(seed: UInt64, scenario: String, duration: Double) -> [Double] {
        var generator = SplitMix64(seed: seed ^ fnv1a(scenario))
        let count = 1 + Int(generator.next() % 3)
        return (0..<count).map { _ in generator.unit() * duration }.sorted()
    }

    /// FNV-1a: a string hash that, unlike `Hasher`, is the same in every process.
    static func fnv1a(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
}

/// SplitMix64: small, fast and reproducible across platforms.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A double in `0..<1` with 53 random bits.
    mutating func unit() -> Double {
        Double(next() >> 11) / Double(1 << 53)
    }
}
