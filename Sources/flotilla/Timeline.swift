import ArgumentParser
import Console
import Foundation

extension Flotilla {
    struct Timeline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw a staged update run as a Gantt chart of its stages and clusters, for reports.",
            discussion: """
                Reads the run from the hub (a ClusterStagedUpdateRun, or a StagedUpdateRun with -n) and who approved \
                its approval requests from the hub's audit, and writes an SVG: a bar per stage and cluster from its \
                Started to its Succeeded time, each wait as a hatched gate from when the stage turned Waiting to when \
                it elapsed, each approval from its request to its acceptance with who approved it and when. Steps \
                still running are drawn to now with a dashed edge. FILE - writes to standard output.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case svg
        }

        @Argument(help: "The run's name.")
        var run: String

        @Argument(help: "Where to write the picture; - for standard output.")
        var file: String

        @Option(name: [.short, .long], help: "The namespace of a StagedUpdateRun; a ClusterStagedUpdateRun when left out.")
        var namespace: String?

        @Option(name: [.short, .long], help: "The picture's format.")
        var output: Format = .svg

        @OptionGroup var connection: HubConnection

        func run() async throws {
            let target = try StatusTarget(kind: namespace == nil ? "csur" : "sur", name: run, namespace: namespace)
            let view = try await connection.withClient(userAgent: "flotilla-timeline") { try await target.readRun($0) }
            let svg = TimelineSVG.render(view, now: Date())
            if file == "-" {
                print(svg, terminator: "")
            } else {
                do {
                    try svg.write(toFile: file, atomically: true, encoding: .utf8)
                } catch {
                    throw CommandError("FILE: cannot write \(file): \(error.localizedDescription)")
                }
                print("wrote \(file): \(view.stages.count) stages, \(view.stages.map(\.clusters.count).reduce(0, +)) clusters")
            }
        }
    }
}
