import FleetAPI
import Foundation
import Testing

@testable import Console

/// Given a run's status, then the bars of its timeline, at the x its recorded times map to.
@Suite struct TimelineSVGTests {
    let t = SeedRun.time

    func elements(_ svg: String, _ prefix: String) -> [String] {
        svg.split(separator: "\n").map(String.init).filter { $0.hasPrefix(prefix) }
    }

    /// 123 s from 21:28:08 to 21:30:11 over the 750 px from x 190 to 940; rows 26 px apart from y 64.
    @Test func aFinishedRunDrawsEachClusterWaitAndApprovalAtItsTimes() throws {
        let approvals = ["example-run-canary": Approval(by: "alice", at: t("2025-07-22T21:30:10Z"), message: "lgtm")]
        let svg = TimelineSVG.render(try RunView(run: SeedRun.succeeded, approvals: approvals), now: t("2025-07-22T22:00:00Z"))
        #expect(elements(svg, "<rect class=\"cluster\"") == [
            ##"<rect class="cluster" x="190.0" y="96.0" width="91.5" height="14.0" rx="3" fill="#43a047" data-start="2025-07-22T21:28:08Z" data-end="2025-07-22T21:28:23Z" data-state="Succeeded"><title>member2: Succeeded, 2025-07-22T21:28:08Z to 2025-07-22T21:28:23Z</title></rect>"##,
            ##"<rect class="cluster" x="647.3" y="174.0" width="91.5" height="14.0" rx="3" fill="#43a047" data-start="2025-07-22T21:29:23Z" data-end="2025-07-22T21:29:38Z" data-state="Succeeded"><title>member3: Succeeded, 2025-07-22T21:29:23Z to 2025-07-22T21:29:38Z</title></rect>"##,
            ##"<rect class="cluster" x="738.8" y="200.0" width="91.5" height="14.0" rx="3" fill="#43a047" data-start="2025-07-22T21:29:38Z" data-end="2025-07-22T21:29:53Z" data-state="Succeeded"><title>member1: Succeeded, 2025-07-22T21:29:38Z to 2025-07-22T21:29:53Z</title></rect>"##,
        ])
        #expect(elements(svg, "<rect class=\"wait\"") == [
            ##"<rect class="wait" x="281.5" y="122.0" width="365.9" height="14" fill="url(#hatch)" data-start="2025-07-22T21:28:23Z" data-end="2025-07-22T21:29:23Z" data-state="Elapsed"><title>after: wait 1m0s: Elapsed, 2025-07-22T21:28:23Z to 2025-07-22T21:29:23Z</title></rect>"##
        ])
        #expect(elements(svg, "<rect class=\"approval\"") == [
            ##"<rect class="approval" x="830.2" y="236.0" width="109.8" height="6" fill="#8e24aa" data-start="2025-07-22T21:29:53Z" data-end="2025-07-22T21:30:11Z" data-state="Approved" data-request="example-run-canary"><title>after: approval: Approved, 2025-07-22T21:29:53Z to 2025-07-22T21:30:11Z</title></rect>"##
        ])
        // A gate where each let the run through; the note above the approval, pulled left to fit.
        #expect(elements(svg, "<path class=\"gate\"") == [
            ##"<path class="gate" d="M647.3 122.0 L654.3 129.0 L647.3 136.0 L640.3 129.0 Z" fill="#1e88e5" stroke="#1e88e5" stroke-width="2"/>"##,
            ##"<path class="gate" d="M940.0 232.0 L947.0 239.0 L940.0 246.0 L933.0 239.0 Z" fill="#8e24aa" stroke="#8e24aa" stroke-width="2"/>"##,
        ])
        #expect(elements(svg, "<text x=\"577.8\"") == [
            ##"<text x="577.8" y="232.0" font-size="11" fill="#4a148c">example-run-canary: approved by alice at 2025-07-22T21:30:10Z</text>"##
        ])
        // A tick every 15 s: 21:28:08 to 21:30:08.
        let ticks = elements(svg, "<text").filter { $0.contains("font-size=\"10\"") }
        #expect(ticks.count == 9)
        #expect(ticks.first == ##"<text x="190.0" y="52.0" text-anchor="middle" fill="#555555" font-size="10">21:28:08</text>"##)
        #expect(ticks.last == ##"<text x="921.7" y="52.0" text-anchor="middle" fill="#555555" font-size="10">21:30:08</text>"##)
    }

    /// At 21:28:40 the axis runs to the wait's deadline, 21:29:23: 75 s over 750 px.
    @Test func aRunningStepIsDrawnToNowAndARunningWaitToItsDeadlineDashed() throws {
        let svg = TimelineSVG.render(try RunView(run: SeedRun.duringWait), now: t("2025-07-22T21:28:40Z"))
        #expect(elements(svg, "<rect class=\"stage\"") == [
            ##"<rect class="stage" x="190.0" y="68.0" width="320.0" height="18.0" rx="3" fill="#fb8c00" stroke="#333333" stroke-dasharray="4 3" data-start="2025-07-22T21:28:08Z" data-end="2025-07-22T21:28:40Z" data-state="Waiting"><title>staging: Waiting, 2025-07-22T21:28:08Z to 2025-07-22T21:28:40Z</title></rect>"##
        ])
        #expect(elements(svg, "<rect class=\"wait\"") == [
            ##"<rect class="wait" x="340.0" y="122.0" width="600.0" height="14" fill="url(#hatch)" stroke="#333333" stroke-dasharray="4 3" data-start="2025-07-22T21:28:23Z" data-end="2025-07-22T21:29:23Z" data-state="Waiting"><title>after: wait 1m0s: Waiting, 2025-07-22T21:28:23Z to 2025-07-22T21:29:23Z</title></rect>"##
        ])
        #expect(elements(svg, "<path class=\"gate\"") == [
            ##"<path class="gate" d="M940.0 122.0 L947.0 129.0 L940.0 136.0 L933.0 129.0 Z" fill="#ffffff" stroke="#1e88e5" stroke-width="2"/>"##
        ])
        // canary has not started: its rows are labels without bars.
        #expect(elements(svg, "<rect class=\"cluster\"").count == 1)
        #expect(elements(svg, "<text x=\"26.0\"").map { $0.components(separatedBy: ">")[1].components(separatedBy: "<")[0] }
            == ["member2", "after: wait 1m0s", "member3", "member1", "after: approval"])
    }

    @Test func namesAreEscaped() throws {
        var run = SeedRun.succeeded
        run[path: ["spec", "placementName"]] = "a<b&c"
        let svg = TimelineSVG.render(try RunView(run: run), now: t("2025-07-22T22:00:00Z"))
        #expect(elements(svg, "<text x=\"10\" y=\"38\"") == [
            ##"<text x="10" y="38" fill="#555555">placement a&lt;b&amp;c, resource snapshot 1, from 2025-07-22T21:28:08Z to 2025-07-22T21:30:11Z</text>"##
        ])
    }
}
