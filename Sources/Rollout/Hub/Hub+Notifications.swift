import FleetAPI
import Foundation
import Journal

/// How the hub reaches a notification sink.
public protocol NotificationTransport: Sendable {
    /// POSTs `body` (JSON) to `url` with the `Idempotency-Key` header set to `idempotencyKey`; throws unless the
    /// receiver answers with a 2xx status.
    func post(_ body: [UInt8], to url: String, idempotencyKey: String) async throws
}

/// The hub's delivery work in memory: rebuilt from the sinks' recorded positions after a restart.
struct Notifier {
    var transport: (any NotificationTransport)?
    /// Sinks with a delivery loop running: one at a time per sink keeps its events in journal order.
    var busy: Set<String> = []
    /// How far each sink's journal scan has found nothing to send, by sink and generation (a changed spec may want
    /// more): a restart scans again from the recorded position.
    var scanned: [String: Int64] = [:]

    static func scanKey(_ sink: StoredObject) -> String { "\(sink.key.name)@\(sink.generation)" }
}

/// Notification sinks, delivered from the durable journal: each sink's loop reads the rollout events after its
/// recorded position, POSTs the next one that it asked for, and records the new position as a status write on
/// the sink before sending the one after. A failing sink backs off on its own; no rollout waits for it.
///
/// - Note: At least once, and at most twice: if the hub dies after a receiver accepted an event and before the
///   status write recording it is durable, the event is sent again after the restart, with the same `seq`. The
///   window is one POST's answer plus one journal commit; a receiver that keeps the highest `seq` it has seen,
///   or de-duplicates on the `Idempotency-Key` header (the same for a redelivery), never acts twice.
extension Hub {
    /// Starts delivering to notification sinks through `transport`; only a Fleet hub on the wall clock delivers.
    public func startNotifications(transport: any NotificationTransport) {
        notifier.transport = transport
        wakeNotifications()
    }

    /// Starts a delivery loop for every sink without one: after each settle, since new events may be due.
    func wakeNotifications() {
        guard notifier.transport != nil, realTime, refusal == nil, controllers.fleet else { return }
        for sink in state.objects(ofKind: .notificationSink) where !notifier.busy.contains(sink.key.name) {
            if let scanned = notifier.scanned[Notifier.scanKey(sink)], scanned >= state.lastSeq { continue }
            notifier.busy.insert(sink.key.name)
            Task { await self.deliver(sink.key) }
        }
    }

    /// Sends `sink` its events one by one until none is left, or the hub stops.
    private func deliver(_ key: ObjectKey) async {
        defer { notifier.busy.remove(key.name) }
        while realTime, refusal == nil, let transport = notifier.transport, let sink = state.objects[key],
            let (spec, recorded) = NotificationDelivery.read(sink)
        {
            do {
                guard let status = recorded else {
                    try record([NotificationDelivery.started(key, at: sink.resourceVersion)], actor: NotificationDelivery.actor)
                    try await settle()
                    continue
                }
                guard let next = try nextNotification(for: Notifier.scanKey(sink), spec, after: status.position) else { return }
                do {
                    let idempotencyKey = NotificationDelivery.idempotencyKey(sink, next)
                    try await transport.post(next.body.serialized(), to: spec.url, idempotencyKey: idempotencyKey)
                    // Recorded before the next event is sent: the window for a second delivery is this one write.
                    try record([NotificationDelivery.delivered(key, status, next, at: clock.now())], actor: NotificationDelivery.actor)
                    try await settle()
                } catch let failure where !(failure is HubError) {
                    let event = NotificationDelivery.failed(key, status, error: "\(failure)", at: clock.now())
                    try record([event], actor: NotificationDelivery.actor)
                    try await settle()
                    let attempts = (status.failedAttempts ?? 0) + 1
                    try await Task.sleep(for: .milliseconds(Int64(NotificationDelivery.backoff(afterFailures: attempts) * 1000)))
                }
            } catch {
                logger.error("notification delivery stopped", metadata: ["sink": "\(key.name)", "cause": "\(error)"])
                return
            }
        }
    }

    /// The first event after `position` that the sink asked for, read from the durable journal.
    private func nextNotification(for scanKey: String, _ spec: NotificationSinkSpec, after position: Int64) throws -> RolloutNotification? {
        var from = max(position, notifier.scanned[scanKey] ?? position)
        let end = state.lastSeq
        while from < end {
            let page = try journal.read(after: from, limit: 512).filter { $0.seq <= end }
            guard let last = page.last else { break }
            for record in page {
                let envelope = try Envelope(record, unsealing: sealing)
                if let notification = Notifications.classify(envelope, in: state), spec.events.contains(notification.event) {
                    return notification
                }
            }
            from = last.seq
            notifier.scanned[scanKey] = from
        }
        notifier.scanned[scanKey] = end
        return nil
    }
}
