import AsyncHTTPClient
import FleetAPI
import Foundation
import NIOCore

/// What a metric query answered: the first sample's value as the API wrote it, or why there is none.
public enum MetricSample: Sendable, Hashable {
    case value(String)
    case failed(String)
}

/// Where the hub takes MetricGate measurements: the one piece of I/O a gate needs, kept out of the controller.
public protocol MetricSource: Sendable {
    func sample(address: String, query: String) async -> MetricSample
}

/// A Prometheus-compatible HTTP API: `GET <address>/api/v1/query?query=...`, answered with a vector (the first
/// series' value) or a scalar.
public struct PrometheusMetrics: MetricSource {
    public var timeout: TimeAmount

    public init(timeout: TimeAmount = .seconds(10)) {
        self.timeout = timeout
    }

    public func sample(address: String, query: String) async -> MetricSample {
        var components = URLComponents(string: address.hasSuffix("/") ? String(address.dropLast()) : address)
        components?.path += "/api/v1/query"
        components?.queryItems = [URLQueryItem(name: "query", value: query)]
        guard let url = components?.url?.absoluteString else { return .failed("the address \(address) is not a URL") }
        do {
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: timeout)
            let body = try await response.body.collect(upTo: 1 << 20)
            guard response.status.code == 200 else { return .failed("the query answered HTTP \(response.status.code)") }
            return Self.firstSample(try JSON.parse(Array(body.readableBytesView)))
        } catch {
            return .failed("the query failed: \(error)")
        }
    }

    /// The value of the first sample of a `success` answer.
    static func firstSample(_ answer: JSON) -> MetricSample {
        guard answer["status"]?.stringValue == "success" else {
            return .failed("the query failed: \(answer["error"]?.stringValue ?? "no success status")")
        }
        let result = answer[path: ["data", "result"]]
        let pair: JSON?
        switch answer[path: ["data", "resultType"]]?.stringValue {
        case "vector": pair = result?.arrayValue?.first?["value"]
        case "scalar": pair = result
        default: return .failed("the query answered no vector or scalar")
        }
        guard let value = pair?.arrayValue?.last?.stringValue else { return .failed("the query answered no sample") }
        return .value(value)
    }
}
