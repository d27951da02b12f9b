import FleetAPI
public import Foundation

/// `flotilla status` for a run: a header, the run's conditions in one line, a row per stage with its progress
/// bar, a row per cluster and gate under it, and, when an approval blocks the run, the commands that grant it.
public enum StatusLines {
    /// Plain text for a pipe or a file; terminal text adds colours (ANSI SGR codes), nothing else.
    public enum Style: Sendable { case plain, terminal }

    /// The view's lines, measured against `now`; `command` is how the user runs flotilla (`flotilla` or
    /// `kubectl flotilla`), for the approval hint.
    public static func render(_ view: RunView, now: Date, style: Style, command: String = "flotilla") -> [String] {
        var lines = [
            "\(view.kind) \(view.namespace.map { "\($0)/" } ?? "")\(view.name): \(paint(view.state.rawValue, style))",
            "placement \(view.placement), resource snapshot \(view.resourceSnapshotIndex)"
                + (view.policySnapshotIndex.map { ", policy snapshot \($0)" } ?? "") + started(view, now: now),
            "conditions: " + conditionLine(view.conditions),
            "",
        ]
        var rows: [Row] = []
        for stage in view.stages { rows += self.rows(stage, now: now) }
        if let deletion = view.deletion { rows += self.rows(deletion, now: now) }
        lines += Row.table(rows, header: Row(name: "STAGE", state: "STATE", took: "TOOK", detail: "PROGRESS", level: 0), style: style)
        if view.stages.isEmpty { lines.append("(no stages yet: the run is not initialized)") }
        for (stage, gate) in blocking(view) {
            guard case .approval(let request?) = gate.kind else { continue }
            lines += [""] + approvalHint(view, stage: stage, request: request, opened: gate.opened, now: now, command: command)
        }
        return lines
    }

    /// `, started T, took D` for a finished run; `, started T, D ago` while it runs.
    static func started(_ view: RunView, now: Date) -> String {
        guard let start = view.start else { return "" }
        if let end = view.end { return ", started \(Moments.stamp(start)), took \(Moments.took(end.timeIntervalSince(start)))" }
        return ", started \(Moments.stamp(start)), \(Moments.took(now.timeIntervalSince(start))) ago"
    }

    /// The conditions as `Type=Status (Reason)`, and the message of the newest.
    static func conditionLine(_ conditions: [ConditionView]) -> String {
        guard !conditions.isEmpty else { return "none yet" }
        let newest = conditions.enumerated().max { ($0.element.time ?? .distantPast, $0.offset) < ($1.element.time ?? .distantPast, $1.offset) }!.element
        return conditions.map { "\($0.type)=\($0.status)" + ($0.reason.isEmpty ? "" : " (\($0.reason))") }.joined(separator: ", ")
            + (newest.message.isEmpty ? "" : ": \(newest.message)")
    }

    /// The approvals requested and not yet granted, with their stage.
    static func blocking(_ view: RunView) -> [(StageView, GateView)] {
        view.stages.flatMap { stage in
            (stage.before + stage.after).filter { if case .approval = $0.kind { $0.opened != nil && $0.passed == nil } else { false } }
                .map { (stage, $0) }
        }
    }

    static func approvalHint(_ view: RunView, stage: StageView, request: String, opened: Date?, now: Date, command: String) -> [String] {
        let kind = view.isNamespaced ? "approvalrequest" : "clusterapprovalrequest"
        let namespace = view.namespace.map { " -n \($0)" } ?? ""
        return [
            "Waiting for approval \(request) (stage \(stage.name))" + (opened.map { ", requested \(Moments.took(now.timeIntervalSince($0))) ago" } ?? "")
                + ". Grant it with:",
            "  \(command) approve \(kind) --name \(request)\(namespace)",
            "  kubectl patch \(kind)s \(request)\(namespace) --type='merge' --subresource=status --patch-file approval.json",
        ]
    }

    static func rows(_ stage: StageView, now: Date) -> [Row] {
        let (done, total) = stage.progress
        var rows = [Row(
            name: stage.name, state: stage.state.rawValue, took: Moments.span(stage.start, stage.end, now: now),
            detail: bar(done, total), level: 0)]
        rows += stage.before.map { gate(prefix: "before", $0, now: now) }
        rows += stage.clusters.map { cluster in
            Row(name: cluster.name, state: cluster.state.rawValue, took: Moments.span(cluster.start, cluster.end, now: now), detail: cluster.message ?? "", level: 1)
        }
        rows += stage.after.map { gate(prefix: "after", $0, now: now) }
        return rows
    }

    static func gate(prefix: String, _ gate: GateView, now: Date) -> Row {
        let took = Moments.span(gate.opened, gate.passed, now: now)
        switch gate.kind {
        case .timedWait(let wait):
            let name = "\(prefix): wait \(wait)"
            if gate.passed != nil { return Row(name: name, state: "Elapsed", took: took, detail: "", level: 1) }
            guard let deadline = gate.deadline else { return Row(name: name, state: "Pending", took: "", detail: "", level: 1) }
            let left = max(0, deadline.timeIntervalSince(now))
            return Row(name: name, state: "Waiting", took: took, detail: "\(Moments.took(left)) left, until \(Moments.stamp(deadline))", level: 1)
        case .approval(let request):
            let name = "\(prefix): approval" + (request.map { " \($0)" } ?? "")
            if gate.passed != nil {
                let detail = gate.approval.map { "by \($0.by) at \(Moments.stamp($0.at))" + ($0.message.isEmpty ? "" : ": \"\($0.message)\"") } ?? ""
                return Row(name: name, state: "Approved", took: took, detail: detail, level: 1)
            }
            return Row(name: name, state: gate.opened == nil ? "Pending" : "Waiting", took: took, detail: "", level: 1)
        case .flotilla(let type, let message, let failed):
            let state = failed ? "Failed" : gate.passed != nil ? "Passed" : gate.opened == nil ? "Pending" : "Waiting"
            return Row(name: "\(prefix): \(type)", state: state, took: took, detail: message ?? "", level: 1)
        }
    }

    /// `[#######---] 3/4`: ten cells, filled in proportion to the steps done.
    static func bar(_ done: Int, _ total: Int) -> String {
        let filled = total == 0 ? 10 : done * 10 / total
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: 10 - filled) + "] \(done)/\(total)"
    }

    /// A state word in its colour: green for done, yellow for under way, red for failed.
    static func paint(_ word: String, _ style: Style) -> String {
        guard style == .terminal else { return word }
        let code =
            switch word {
            case "Succeeded", "Approved", "Elapsed", "Skipped", "True": "32"
            case "Updating", "Waiting", "Progressing", "Stopped": "33"
            case "Failed", "Stuck": "31"
            default: "2"
            }
        return "\u{1B}[\(code)m\(word)\u{1B}[0m"
    }
}

/// One line of the stage table.
struct Row {
    var name: String
    var state: String
    var took: String
    var detail: String
    /// 0 for a stage, 1 for a cluster or gate under it.
    var level: Int

    /// The rows in aligned columns; colour goes on after padding, so escape codes never shift a column.
    static func table(_ rows: [Row], header: Row, style: StatusLines.Style) -> [String] {
        let all = [header] + rows
        let nameWidth = all.map { $0.level * 2 + $0.name.count }.max()!
        let stateWidth = all.map(\.state.count).max()!
        let tookWidth = all.map(\.took.count).max()!
        return all.enumerated().map { index, row in
            let name = String(repeating: " ", count: row.level * 2) + row.name
            let paddedName = name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            let state = (index == 0 ? row.state : StatusLines.paint(row.state, style))
                + String(repeating: " ", count: stateWidth - row.state.count)
            let took = row.took.padding(toLength: tookWidth, withPad: " ", startingAt: 0)
            let line = [
                style == .terminal && row.level == 0 && index > 0 ? "\u{1B}[1m\(paddedName)\u{1B}[0m" : paddedName,
                state, took, row.detail,
            ].joined(separator: "  ")
            return String(line.reversed().drop { $0 == " " }.reversed())
        }
    }
}

/// Times and durations as the views print them.
enum Moments {
    /// `2025-07-22T21:28:08Z`.
    static func stamp(_ date: Date) -> String { KubeTime.format(date) }

    /// Whole seconds in Go's style: `15s`, `1m15s`, `2h0m3s`.
    static func took(_ seconds: TimeInterval) -> String {
        let whole = Int64(max(0, seconds).rounded(.down))
        return GoDuration(milliseconds: whole * 1000).description
    }

    /// How long from start to end, or to now while it runs; empty before it starts.
    static func span(_ start: Date?, _ end: Date?, now: Date) -> String {
        guard let start else { return "" }
        return took((end ?? now).timeIntervalSince(start))
    }
}
