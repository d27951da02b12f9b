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
                still running are drawn to now with a dashed edge. FILE - writes to standard output. -o png turns the \
                SVG into a PNG with rsvg-convert (Debian's librsvg2-bin), which must be on PATH.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case svg, png
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
            let picture = output == .svg ? Data(svg.utf8) : try Self.png(fromSVG: Data(svg.utf8))
            if file == "-" {
                FileHandle.standardOutput.write(picture)
            } else {
                do {
                    try picture.write(to: URL(fileURLWithPath: file), options: .atomic)
                } catch {
                    throw CommandError("FILE: cannot write \(file): \(error.localizedDescription)")
                }
                print("wrote \(file): \(view.stages.count) stages, \(view.stages.map(\.clusters.count).reduce(0, +)) clusters")
            }
        }

        /// The SVG as a PNG, rasterized by rsvg-convert: drawing text well is a font engine's work, not ours.
        static func png(fromSVG svg: Data) throws -> Data {
            let converter = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
                .map { "\($0)/rsvg-convert" }.first { FileManager.default.isExecutableFile(atPath: $0) }
            guard let converter else {
                throw CommandError("-o png: rsvg-convert is not on PATH (Debian: apt-get install librsvg2-bin); -o svg needs nothing")
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: converter)
            process.arguments = ["--format", "png"]
            let input = Pipe()
            let result = Pipe()
            let errors = Pipe()
            process.standardInput = input
            process.standardOutput = result
            process.standardError = errors
            try process.run()
            // Written from another thread, so a picture larger than the pipe's buffer cannot stall both sides.
            let writer = Thread { input.fileHandleForWriting.write(svg); try? input.fileHandleForWriting.close() }
            writer.start()
            let png = result.fileHandleForReading.readDataToEndOfFile()
            let message = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw CommandError("-o png: rsvg-convert failed: \(String(decoding: message, as: UTF8.self))")
            }
            return png
        }
    }
}
