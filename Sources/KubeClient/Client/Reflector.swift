public import FleetAPI

/// What a ``Reflector`` saw.
public enum ReflectorEvent: Sendable, Equatable {
    /// A full list, after the first list and after every relist: anything not in it is gone.
    case synced([JSON])
    case added(JSON)
    case modified(JSON)
    case deleted(JSON)
}

/// List, then watch from the list's version, and list again whenever the watch ends or fails (a 410, a closed
/// connection, a server that went away), as client-go's reflector does. Failures wait `retryDelay(attempt)` first.
public struct Reflector: Sendable {
    let client: KubeClient
    let type: ResourceType
    let namespace: String?
    let retryDelay: @Sendable (Int) -> Duration
    let onError: @Sendable (KubeError) -> Void

    public init(
        _ client: KubeClient, _ type: ResourceType, namespace: String?,
        retryDelay: @escaping @Sendable (Int) -> Duration, onError: @escaping @Sendable (KubeError) -> Void
    ) {
        self.client = client
        self.type = type
        self.namespace = namespace
        self.retryDelay = retryDelay
        self.onError = onError
    }

    /// Runs until the task is cancelled.
    public func run(_ handle: @Sendable (ReflectorEvent) async -> Void) async {
        var failures = 0
        while !Task.isCancelled {
            do {
                let (items, version) = try await client.list(type, namespace: namespace)
                failures = 0
                await handle(.synced(items))
                var resourceVersion = version
                let opened = ContinuousClock.now
                for try await event in client.watch(type, namespace: namespace, resourceVersion: resourceVersion) {
                    if let next = event.object["metadata"]?["resourceVersion"]?.stringValue { resourceVersion = next }
                    switch event.type {
                    case "ADDED": await handle(.added(event.object))
                    case "MODIFIED": await handle(.modified(event.object))
                    case "DELETED": await handle(.deleted(event.object))
                    default: break
                    }
                }
                // A watch the server closed: relist, as the version may no longer be served; at once, unless the
                // watch closed as soon as it opened, which would spin.
                if ContinuousClock.now - opened < .seconds(1) {
                    failures += 1
                    try? await Task.sleep(for: retryDelay(failures))
                }
            } catch {
                guard !Task.isCancelled else { return }
                onError(error as? KubeError ?? .unreachable(server: client.endpoint.server, message: "\(error)"))
                failures += 1
                try? await Task.sleep(for: retryDelay(failures))
            }
        }
    }
}
