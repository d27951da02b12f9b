import Prometheus

/// The hub's Prometheus series, served at `/metrics`.
public final class HubMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()

    public init() {}

    func recordRequest(method: String, code: Int) {
        registry.makeCounter(
            name: "flotilla_http_requests_total", labels: [("method", method), ("code", String(code))],
            help: "HTTP requests served, by method and status code"
        ).increment()
    }

    func recordJournal(lastSeq: Int64) {
        registry.makeGauge(name: "flotilla_journal_events", help: "Events in the journal").set(to: Double(lastSeq))
    }
}
