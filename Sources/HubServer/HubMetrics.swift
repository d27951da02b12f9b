import Prometheus
import Rollout

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

    /// The exposition text: the server's own series, then the run metrics computed from the hub's state.
    public func scrape(_ hub: Hub) async -> [UInt8] {
        let state = await hub.state
        registry.makeGauge(name: "flotilla_journal_events", help: "Events in the journal").set(to: Double(state.lastSeq))
        let runs = PrometheusCollectorRegistry()
        UpdateRunMetrics.record(state, into: runs)
        return registry.emitToBuffer() + runs.emitToBuffer()
    }
}
