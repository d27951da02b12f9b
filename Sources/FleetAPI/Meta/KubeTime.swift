import Foundation

/// Kubernetes timestamps: RFC 3339 in UTC with whole seconds, e.g. `2025-07-22T21:28:08Z`.
public enum KubeTime {
    public static func format(_ date: Date) -> String {
        RFC3339.format(date)
    }

    /// Kubernetes' short age, as `kubectl get` prints it: `51s`, `2m6s`, `13m`, `5h2m`, `694d`.
    public static func age(from start: Date, to now: Date) -> String {
        let seconds = max(0, Int64((now.timeIntervalSince(start)).rounded(.down)))
        if seconds < 120 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 { return seconds % 60 == 0 ? "\(minutes)m" : "\(minutes)m\(seconds % 60)s" }
        if minutes < 180 { return "\(minutes)m" }
        let hours = seconds / 3600
        if hours < 8 { return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h\(minutes % 60)m" }
        if hours < 48 { return "\(hours)h" }
        let days = hours / 24
        if days < 8 { return hours % 24 == 0 ? "\(days)d" : "\(days)d\(hours % 24)h" }
        if days < 365 * 2 { return "\(days)d" }
        let years = days / 365
        if years < 8 { return days % 365 == 0 ? "\(years)y" : "\(years)y\(days % 365)d" }
        return "\(years)y"
    }
}

extension KubeTime {
    /// Parses `2025-07-22T21:28:08Z` (fractional seconds and offsets accepted).
    public static func parse(_ text: String) -> Date? {
        RFC3339.parse(text)
    }
}
