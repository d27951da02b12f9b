import ArgumentParser
import FleetAPI
import Foundation
import Journal
import Rollout

extension Flotilla {
    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show objects as they stood at a past seq or time, replayed from the journal.",
            discussion: "KIND is any name kubectl accepts: plural, singular or short (csur, crp, careq, cm, ...). "
                + "Objects are rendered exactly as the hub served them then; a table's AGE is counted to that moment.")

        @Argument(help: "The kind: plural, singular or short name.")
        var kind: String

        @Argument(help: "One object's name; all of the kind when left out.")
        var name: String?

        @Option(name: [.short, .long], help: "The namespace of a namespaced kind.")
        var namespace: String = "default"

        @Flag(name: [.customShort("A"), .long], help: "Every namespace.")
        var allNamespaces = false

        @Option(name: [.short, .long], help: "yaml or json; a table when left out.")
        var output: OutputFormat?

        @Option(name: .long, help: "A seq (a whole number) or an RFC 3339 time, e.g. 2025-07-22T21:29:00Z.")
        var asOf: AsOf

        @OptionGroup var options: JournalOptions

        func validate() throws {
            if allNamespaces && name != nil {
                throw ValidationError("--all-namespaces: a name cannot be given with --all-namespaces")
            }
        }

        func run() throws {
            let journal = try Flotilla.JournalCommand.open(options)
            defer { journal.close() }
            let (seq, moment) = try asOf.resolve(in: journal)
            let state = try History.state(journal, through: seq, unsealing: try Flotilla.unsealing(journal: options.journal))
            // Custom kinds are served only while their definition stood, so the past state names the kinds.
            guard let kind = state.kinds.named(self.kind) else {
                throw CommandError("KIND: the hub served no kind named \"\(self.kind)\" as of seq \(seq); use a plural, singular or short name such as csur or clusterstagedupdateruns")
            }
            let namespace = kind.namespaced ? (allNamespaces ? nil : self.namespace) : nil
            let at = "as of seq \(seq) (\(KubeTime.format(moment)))"
            let objects: [JSON]
            if let name {
                let key = ObjectKey(kind, namespace: namespace ?? "", name: name)
                guard let object = state.render(key) else {
                    throw CommandError("\(kind.plural) \"\(name)\" not found \(at)")
                }
                objects = [object]
            } else {
                objects = state.render(kind: kind, namespace: namespace)
            }
            switch output {
            case .some(let format):
                print(name != nil ? format.render(objects[0]) : format.render(list: objects), terminator: "")
            case nil where objects.isEmpty:
                print("No resources found\(namespace.map { " in \($0) namespace" } ?? "") \(at).")
            case nil:
                print(TablePrinter.render(kind, objects: objects, now: moment), terminator: "")
            }
        }
    }
}

/// `--as-of`: a seq or an RFC 3339 time.
enum AsOf: ExpressibleByArgument {
    case seq(Int64)
    case time(Date)

    init?(argument: String) {
        if let seq = Int64(argument), seq >= 0 {
            self = .seq(seq)
        } else if let time = KubeTime.parse(argument) {
            self = .time(time)
        } else {
            return nil
        }
    }

    static var defaultValueDescription: String { "SEQ|TIME" }

    /// The seq to replay through and the moment it stands for: the given time, or when the seq was recorded.
    func resolve(in journal: Journal) throws -> (seq: Int64, moment: Date) {
        switch self {
        case .seq(let seq):
            guard seq <= journal.durableSeq else {
                throw CommandError("--as-of: seq \(seq) is past the end of the journal, whose last seq is \(journal.durableSeq)")
            }
            return (seq, try History.time(journal, of: seq) ?? Date(timeIntervalSince1970: 0))
        case .time(let time):
            return (try History.seq(journal, at: time), time)
        }
    }
}
