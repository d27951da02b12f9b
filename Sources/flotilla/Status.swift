import ArgumentParser
import Console
import FleetAPI
import Foundation
import KubeClient

extension Flotilla {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a staged update run or a placement as it rolls out: stages, clusters, waits and approvals.",
            discussion: """
                KIND is csur (clusterstagedupdaterun), sur (stagedupdaterun), crp (clusterresourceplacement), rp \
                (resourceplacement), or placement: a ClusterResourcePlacement, or a ResourcePlacement with -n. A run shows \
                a row per stage with its progress bar, its clusters with their state and how long each took, a running \
                wait with its countdown, an approval that blocks with the commands that grant it, and its conditions \
                in one line. With --watch it redraws on every change the hub's watch reports (and every second on a \
                terminal, for the countdown), and stops once the run has succeeded (exit 0) or failed (exit 1). \
                Colours only on a terminal; plain lines otherwise, a block per change.
                """)

        @Argument(help: "csur, sur, crp, rp or placement.")
        var kind: String

        @Argument(help: "The run's or the placement's name.")
        var name: String

        @Option(name: [.short, .long], help: "The namespace of a sur or rp; default when left out.")
        var namespace: String?

        @Flag(name: [.short, .long], help: "Redraw on every change until the run finishes.")
        var watch = false

        @OptionGroup var connection: HubConnection

        func validate() throws {
            _ = try StatusTarget(kind: kind, name: name, namespace: namespace)
        }

        func run() async throws {
            let target = try StatusTarget(kind: kind, name: name, namespace: namespace)
            var screen = Screen(terminal: isatty(STDOUT_FILENO) == 1, command: Flotilla.invokedAs)
            try await connection.withClient(userAgent: "flotilla-status") { try await show(target, $0, &screen) }
        }

        func show(_ target: StatusTarget, _ client: KubeClient, _ screen: inout Screen) async throws {
            // The versions to watch from are taken before the first read, so no change falls between the two.
            let versions = watch ? try await Watches.versions(target, client) : []
            var snapshot = try await target.read(client)
            screen.draw(snapshot, now: Date())
            guard watch else { return }
            if let finished = snapshot.finished { return try Self.exit(finished) }
            for try await change in Watches.changes(target, client, from: versions, tick: screen.terminal) {
                if change == .changed {
                    snapshot = try await target.read(client)
                } else if !snapshot.ticks {
                    continue
                }
                screen.draw(snapshot, now: Date())
                if let finished = snapshot.finished { return try Self.exit(finished) }
            }
        }

        static func exit(_ state: RunState) throws {
            if state == .failed { throw ExitCode.failure }
        }
    }
}

/// Where `flotilla status` draws: the whole view in place on a terminal, a block of plain lines per change
/// otherwise, so a pipe or a file gets no escape codes.
struct Screen {
    let terminal: Bool
    /// How the user runs flotilla, for the commands the view suggests.
    let command: String
    var last: [String]?

    init(terminal: Bool, command: String) {
        self.terminal = terminal
        self.command = command
    }

    mutating func draw(_ snapshot: Snapshot, now: Date) {
        let lines = snapshot.lines(now: now, style: terminal ? .terminal : .plain, command: command)
        guard lines != last else { return }
        // Written straight to the descriptor, not through stdio's buffer, so a pipe sees each block as it is drawn.
        let text =
            terminal
            // Home, each line over the old one and its rest cleared, then the rest of the screen: no flicker.
            ? "\u{1B}[H" + lines.map { $0 + "\u{1B}[K" }.joined(separator: "\n") + "\n\u{1B}[J"
            : (last == nil ? "" : "\n") + lines.joined(separator: "\n") + "\n"
        FileHandle.standardOutput.write(Data(text.utf8))
        last = lines
    }
}

/// The hub's watches behind `--watch`, merged into one stream of changes, with a tick a second on a terminal.
enum Watches {
    enum Change { case changed, tick }

    /// The resourceVersion of each watched collection, as a list narrowed by the same field selector gives it.
    static func versions(_ target: StatusTarget, _ client: KubeClient) async throws -> [String] {
        var versions: [String] = []
        for (type, selector) in target.watches {
            let list = try await client.json(
                "GET", type.path(namespace: target.namespace), query: selector.map { [("fieldSelector", $0)] } ?? [])
            versions.append(list[path: ["metadata", "resourceVersion"]]?.stringValue ?? "")
        }
        return versions
    }

    static func changes(
        _ target: StatusTarget, _ client: KubeClient, from versions: [String], tick: Bool
    ) -> AsyncThrowingStream<Change, any Error> {
        AsyncThrowingStream { continuation in
            let watches = zip(target.watches, versions).map { watch, version in
                Task {
                    do {
                        try await follow(watch.type, watch.fieldSelector, target, client, from: version) { continuation.yield(.changed) }
                    } catch {
                        continuation.finish(throwing: error)
                    }
                }
            }
            let ticker = tick
                ? Task {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(1))
                        continuation.yield(.tick)
                    }
                } : nil
            continuation.onTermination = { _ in
                watches.forEach { $0.cancel() }
                ticker?.cancel()
            }
        }
    }

    /// One collection's watch, resumed from the last version seen when the hub closes it, and from a fresh list
    /// when that version is gone (410).
    static func follow(
        _ type: ResourceType, _ selector: String?, _ target: StatusTarget, _ client: KubeClient, from version: String,
        changed: () -> Void
    ) async throws {
        var version = version
        while !Task.isCancelled {
            do {
                for try await event in client.watch(type, namespace: target.namespace, resourceVersion: version, fieldSelector: selector) {
                    if let seen = event.object[path: ["metadata", "resourceVersion"]]?.stringValue { version = seen }
                    if event.type != "BOOKMARK" { changed() }
                }
            } catch let error as KubeError where error.code == 410 {
                let list = try await client.json(
                    "GET", type.path(namespace: target.namespace), query: selector.map { [("fieldSelector", $0)] } ?? [])
                version = list[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
                changed()
            }
        }
    }
}
