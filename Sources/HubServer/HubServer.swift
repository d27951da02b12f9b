import Access
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOSSL
import Rollout
import ServiceLifecycle

/// `flotilla serve`: the hub's Kubernetes API on HTTPS (or, for local experiments, plain HTTP), until the process
/// is stopped.
public struct HubServer: Sendable {
    public let hub: Hub
    public var host: String
    public var port: Int
    public var security: ServerSecurity
    public var logger: Logger
    public let metrics = HubMetrics()
    /// With several hubs on one journal: this hub's campaigns, and how its writes reach the leader.
    public var leadership: (service: HubLeadership, forwarding: LeaderForwarding)?

    public init(hub: Hub, host: String = "127.0.0.1", port: Int, security: ServerSecurity = .insecure, logger: Logger) {
        self.hub = hub
        self.host = host
        self.port = port
        self.security = security
        self.logger = logger
    }

    /// Serves until SIGINT or SIGTERM; `onListening` gets the bound port (the chosen one when `port` is 0).
    ///
    /// On a signal, watches end first (they would otherwise hold the drain open forever), then requests in
    /// flight finish, within `drainTime`; the hub then stops its timers and writes a checkpoint.
    public func run(
        drainTime: Duration = .seconds(3), onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        var configuration = ServiceGroupConfiguration(
            services: [
                .init(service: try application(onListening: onListening)),
                .init(service: WatchCloser(hub: hub), successTerminationBehavior: .ignore),
            ] + (leadership.map { [.init(service: $0.service, successTerminationBehavior: .ignore)] } ?? []),
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = drainTime
        configuration.maximumCancellationDuration = .seconds(1)
        do {
            try await ServiceGroup(configuration: configuration).run()
        } catch {
            await hub.shutdown()
            await leadership?.forwarding.shutdown()
            throw error
        }
        await hub.shutdown()
        await leadership?.forwarding.shutdown()
    }

    /// The Hummingbird application, for `run` and for tests that drive it in process.
    public func application(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) throws -> some ApplicationProtocol {
        let server: HTTPServerBuilder
        if let tls = security.tls {
            // Every presented certificate passes the handshake; the authenticator checks it and answers 401.
            server = try .tls(.http1(), configuration: TLSChannelConfiguration(tlsConfiguration: tls) { _, promise in
                promise.succeed(.certificateVerified)
            })
        } else {
            server = .http1()
        }
        return Application(
            responder: HubResponder(
                handler: APIHandler(
                    hub: hub, authenticator: security.authenticator, limits: security.userLimits, forwarding: leadership?.forwarding,
                    logger: logger),
                metrics: metrics, logger: logger),
            server: server,
            configuration: .init(address: .hostname(host, port: port), serverName: "flotilla"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }
}

/// Ends every watch when shutdown begins. Listed after the HTTP server, so the service group, which shuts down in
/// reverse order, runs it first.
struct WatchCloser: Service {
    let hub: Hub

    func run() async throws {
        try? await gracefulShutdown()
        await hub.endWatches()
    }
}
