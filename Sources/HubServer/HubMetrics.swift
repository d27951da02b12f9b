import Prometheus
import Rollout

/// The hub's Prometheus series, served at `/metrics`.
public final class HubMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()

    public init() {}

    func recordRequest(method: String, code: Int) {
        let requests = MetricNameDescriptor(
            namespace: "flotilla", metricName: "http_requests", unitName: "total",
            helpText: "HTTP requests served, by method and status code")
        registry.makeCounter(descriptor: requests, labels: [("method", method), ("code", String(code))]).increment()
    }

    /// The exposition text: the server's own series, then the run metrics computed from the hub's state.
    public func scrape(_ hub: Hub) async -> [UInt8] {
        let state = await hub.state
        let events = MetricNameDescriptor(
            namespace: "flotilla", metricName: "journal", unitName: "events", helpText: "Events in the journal")
        registry.makeGauge(descriptor: events).set(to: Double(state.lastSeq))
        let runs = PrometheusCollectorRegistry()
        UpdateRunMetrics.record(state, into: runs)
        return registry.emitToBuffer() + runs.emitToBuffer()
    }
}
