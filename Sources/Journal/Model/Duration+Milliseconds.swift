extension Duration {
    /// Whole milliseconds, rounded up so that a wait of this long does not end early.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
    }
}
