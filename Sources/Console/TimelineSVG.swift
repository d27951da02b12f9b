import FleetAPI
public import Foundation

/// `flotilla timeline RUN -o svg`: a Gantt chart of the run on a time axis. A row per stage, and under it a row
/// per cluster and per gate; a wait is a hatched bar from when the stage turned Waiting to when it elapsed, an
/// approval a bar from its request to its acceptance ending in a gate mark, with who approved and when.
///
/// Every bar carries `data-start` and `data-end` (RFC 3339), the status times it is drawn from, so a test or a
/// script can check the picture against the run.
public enum TimelineSVG {
    static let width = 960.0
    static let labelWidth = 190.0
    static let rowHeight = 26.0
    static let top = 64.0
    static let right = 20.0

    /// The chart as an SVG document; a running step is drawn up to `now`.
    public static func render(_ view: RunView, now: Date) -> String {
        let rows = self.rows(view, now: now)
        let start = view.start ?? rows.compactMap(\.start).min() ?? now
        let end = max(view.end ?? now, rows.compactMap(\.end).max() ?? start)
        let axis = Axis(start: start, end: end, left: labelWidth, right: width - right)
        let height = top + Double(rows.count) * rowHeight + 24
        var svg = [
            ##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(n(width))" height="\##(n(height))" viewBox="0 0 \##(n(width)) \##(n(height))" font-family="sans-serif" font-size="12">"##,
            ##"<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#bbdefb"/><line x1="0" y1="0" x2="0" y2="6" stroke="#1e88e5" stroke-width="2"/></pattern></defs>"##,
            ##"<rect width="100%" height="100%" fill="#ffffff"/>"##,
            ##"<text x="10" y="20" font-size="15" font-weight="bold">\##(escape("\(view.kind) \(view.namespace.map { "\($0)/" } ?? "")\(view.name): \(view.state.rawValue)"))</text>"##,
            ##"<text x="10" y="38" fill="#555555">\##(escape("placement \(view.placement), resource snapshot \(view.resourceSnapshotIndex), from \(KubeTime.format(start)) to \(KubeTime.format(end))"))</text>"##,
        ]
        svg += axis.ticks(top: top - 8, bottom: top + Double(rows.count) * rowHeight)
        for (index, row) in rows.enumerated() {
            svg += row.svg(y: top + Double(index) * rowHeight, axis: axis)
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    static func rows(_ view: RunView, now: Date) -> [TimelineRow] {
        var rows: [TimelineRow] = []
        for stage in view.stages + (view.deletion.map { [$0] } ?? []) {
            rows.append(TimelineRow(
                label: stage.name, kind: .stage, state: stage.state.rawValue, start: stage.start,
                end: stage.end ?? stage.start.map { _ in now }, open: stage.end == nil))
            rows += stage.before.map { gateRow($0, prefix: "before", now: now) }
            rows += stage.clusters.map { cluster in
                TimelineRow(
                    label: cluster.name, kind: .cluster, state: cluster.state.rawValue, start: cluster.start,
                    end: cluster.end ?? cluster.start.map { _ in now }, open: cluster.end == nil)
            }
            rows += stage.after.map { gateRow($0, prefix: "after", now: now) }
        }
        return rows
    }

    static func gateRow(_ gate: GateView, prefix: String, now: Date) -> TimelineRow {
        switch gate.kind {
        case .timedWait(let wait):
            // A running wait is drawn to its deadline, the part still to come left open.
            return TimelineRow(
                label: "\(prefix): wait \(wait)", kind: .wait, state: gate.passed != nil ? "Elapsed" : "Waiting",
                start: gate.opened, end: gate.passed ?? gate.deadline, open: gate.passed == nil)
        case .approval(let request):
            var note = gate.passed == nil ? (gate.opened == nil ? "" : "waiting for approval") : "approved"
            if let approval = gate.approval {
                note = "approved by \(approval.by) at \(KubeTime.format(approval.at))"
            } else if let passed = gate.passed {
                note += " at \(KubeTime.format(passed))"
            }
            return TimelineRow(
                label: "\(prefix): approval", kind: .approval(request: request ?? "", note: note),
                state: gate.passed != nil ? "Approved" : "Waiting", start: gate.opened,
                end: gate.passed ?? gate.opened.map { _ in now }, open: gate.passed == nil)
        case .flotilla(let type, _, let failed):
            // Drawn as a wait that has no end until it passes.
            return TimelineRow(
                label: "\(prefix): \(type)", kind: .wait, state: failed ? "Failed" : gate.passed != nil ? "Passed" : "Waiting",
                start: gate.opened, end: gate.passed ?? gate.opened.map { _ in now }, open: gate.passed == nil)
        }
    }

    /// Coordinates with one decimal, so the same run always gives the same bytes.
    static func n(_ value: Double) -> String { String(format: "%.1f", value) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

/// One row of the chart: a stage, a cluster or a gate, and the span it covers.
struct TimelineRow {
    enum Kind: Equatable {
        case stage, cluster, wait
        case approval(request: String, note: String)
    }

    var label: String
    var kind: Kind
    var state: String
    var start: Date?
    var end: Date?
    /// Still running: drawn to now (or a wait to its deadline) with a dashed edge.
    var open: Bool

    func svg(y: Double, axis: Axis) -> [String] {
        let n = TimelineSVG.n
        let indent = kind == .stage ? 10.0 : 26.0
        var out = [
            ##"<text x="\##(n(indent))" y="\##(n(y + 17))"\##(kind == .stage ? ##" font-weight="bold""## : "")>\##(TimelineSVG.escape(label))</text>"##
        ]
        guard let start, let end else { return out }
        let x0 = axis.x(start)
        let x1 = max(axis.x(end), x0 + 2)
        let times = ##"data-start="\##(KubeTime.format(start))" data-end="\##(KubeTime.format(end))" data-state="\##(state)""##
        let title = "<title>\(TimelineSVG.escape("\(label): \(state), \(KubeTime.format(start)) to \(KubeTime.format(end))"))</title>"
        let dash = open ? ##" stroke="#333333" stroke-dasharray="4 3""## : ""
        switch kind {
        case .stage, .cluster:
            let height = kind == .stage ? 18.0 : 14.0
            out.append(
                ##"<rect class="\##(kind == .stage ? "stage" : "cluster")" x="\##(n(x0))" y="\##(n(y + 13 - height / 2))" width="\##(n(x1 - x0))" height="\##(n(height))" rx="3" fill="\##(Self.colour(state))"\##(dash) \##(times)>\##(title)</rect>"##)
        case .wait:
            out.append(
                ##"<rect class="wait" x="\##(n(x0))" y="\##(n(y + 6))" width="\##(n(x1 - x0))" height="14" fill="url(#hatch)"\##(dash) \##(times)>\##(title)</rect>"##)
            out.append(Self.gate(x: x1, y: y + 13, colour: "#1e88e5", open: open))
        case .approval(let request, let note):
            out.append(
                ##"<rect class="approval" x="\##(n(x0))" y="\##(n(y + 16))" width="\##(n(x1 - x0))" height="6" fill="#8e24aa"\##(dash) \##(times) data-request="\##(TimelineSVG.escape(request))">\##(title)</rect>"##)
            out.append(Self.gate(x: x1, y: y + 19, colour: "#8e24aa", open: open))
            // Above the bar from its start, pulled left as far as the chart's edge needs (about 6.2 px a character).
            let label = "\(request): \(note)"
            let textX = max(axis.left, min(x0, TimelineSVG.width - 4 - 6.2 * Double(label.count)))
            out.append(##"<text x="\##(n(textX))" y="\##(n(y + 12))" font-size="11" fill="#4a148c">\##(TimelineSVG.escape(label))</text>"##)
        }
        return out
    }

    /// A gate where a wait or an approval let the run through: a diamond, hollow while it still holds.
    static func gate(x: Double, y: Double, colour: String, open: Bool) -> String {
        let n = TimelineSVG.n
        return ##"<path class="gate" d="M\##(n(x)) \##(n(y - 7)) L\##(n(x + 7)) \##(n(y)) L\##(n(x)) \##(n(y + 7)) L\##(n(x - 7)) \##(n(y)) Z" fill="\##(open ? "#ffffff" : colour)" stroke="\##(colour)" stroke-width="2"/>"##
    }

    static func colour(_ state: String) -> String {
        switch state {
        case "Succeeded", "Skipped": "#43a047"
        case "Failed": "#e53935"
        case "Waiting", "Stopped": "#fb8c00"
        case "Updating": "#fdd835"
        default: "#bdbdbd"
        }
    }
}

/// The time axis: maps times to x, and draws ticks at a round step with their wall-clock times.
struct Axis {
    var start: Date
    var end: Date
    var left: Double
    var right: Double

    var seconds: Double { max(1, end.timeIntervalSince(start)) }

    func x(_ time: Date) -> Double {
        left + (right - left) * min(max(0, time.timeIntervalSince(start)), seconds) / seconds
    }

    /// The smallest round step that leaves at most ten ticks.
    var step: Double {
        let steps: [Double] = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400]
        return steps.first { seconds / $0 <= 10 } ?? (seconds / 10).rounded(.up)
    }

    func ticks(top: Double, bottom: Double) -> [String] {
        let n = TimelineSVG.n
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "HH:mm:ss"
        var out: [String] = []
        var offset = 0.0
        while offset <= seconds + 0.001 {
            let x = left + (right - left) * offset / seconds
            out.append(##"<line class="tick" x1="\##(n(x))" y1="\##(n(top))" x2="\##(n(x))" y2="\##(n(bottom))" stroke="#e0e0e0"/>"##)
            out.append(##"<text x="\##(n(x))" y="\##(n(top - 4))" text-anchor="middle" fill="#555555" font-size="10">\##(formatter.string(from: start.addingTimeInterval(offset)))</text>"##)
            offset += step
        }
        return out
    }
}
