import Foundation
import Hummingbird
import Logging
import Rollout

/// `flotilla serve`: the hub's Kubernetes API on HTTP, until the process is stopped.
public struct HubServer: Sendable {
    public let hub: Hub
    public var host: String
    public var port: Int
    public var logger: Logger
    public let metrics = HubMetrics()

    public init(hub: Hub, host: String = "127.0.0.1", port: Int, logger: Logger) {
        self.hub = hub
        self.host = host
        self.port = port
        self.logger = logger
    }

    /// Serves until SIGINT or SIGTERM; `onListening` gets the bound port (the chosen one when `port` is 0).
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await application(onListening: onListening).runService()
    }

    /// The Hummingbird application, for `run` and for tests that drive it in process.
    public func application(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(
            responder: HubResponder(handler: APIHandler(hub: hub), metrics: metrics, logger: logger),
            configuration: .init(address: .hostname(host, port: port), serverName: "flotilla"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }
}
