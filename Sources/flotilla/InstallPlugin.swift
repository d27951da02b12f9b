import ArgumentParser
import Foundation

extension Flotilla {
    struct InstallPlugin: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "install-plugin",
            abstract: "Make flotilla a kubectl plugin: a kubectl-flotilla link to this binary.",
            discussion: """
                kubectl runs any kubectl-NAME on PATH as `kubectl NAME`, so with the link in a directory on PATH, \
                `kubectl flotilla status csur example-run`, `kubectl flotilla approve ...` and `kubectl flotilla audit ...` \
                run flotilla against the current kubeconfig context, as KubeFleet's `kubectl fleet` does. Running it \
                again replaces a link it made; it never replaces a file that is not a link.
                """)

        @Option(name: .long, help: "Where to make the link; beside this binary when left out.")
        var dir: String?

        func run() throws {
            let binary = Flotilla.executablePath
            let directory = dir ?? (binary as NSString).deletingLastPathComponent
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw CommandError("--dir: \(directory) is not a directory")
            }
            let link = (directory as NSString).appendingPathComponent("kubectl-flotilla")
            if let attributes = try? FileManager.default.attributesOfItem(atPath: link) {
                guard attributes[.type] as? FileAttributeType == .typeSymbolicLink else {
                    throw CommandError("\(link) exists and is not a link; remove it to install the plugin there")
                }
                try FileManager.default.removeItem(atPath: link)
            }
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: binary)
            print("\(link) -> \(binary)")
            let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
            let resolved = (directory as NSString).standardizingPath
            if !path.contains(where: { ($0 as NSString).standardizingPath == resolved }) {
                print("\(directory) is not on PATH: add it (export PATH=\"\(resolved):$PATH\") for kubectl to find the plugin")
            }
        }
    }
}
