import FleetAPI
import Foundation

/// Flotilla's `ScheduleWindow` before-stage task: the stage starts only inside the cron-scheduled window, or with
/// `deny: true` only outside it. The verdict is recorded each time it changes, with when it changes next, so the
/// run says why it waits and until when, and its deadline wakes it then.
extension UpdateRunController {
    /// The event a window task needs now, if its verdict changed, and whether it lets the stage start.
    static func scheduleWindow(
        _ window: ScheduleWindow, task: Int, stage index: Int, of run: UpdateRunState, now: Date
    ) -> (event: FleetEvent?, open: Bool) {
        let gate = window.gate(at: now)
        let verdict = ScheduleWindowGate(run: run.key, stage: index, task: task, until: gate.until.map(KubeTime.format))
        let event: FleetEvent = gate.open ? .scheduleWindowOpened(verdict) : .scheduleWindowClosed(verdict)
        var probe = run
        probe.evolve(event, at: now)
        return (probe.status == run.status ? nil : event, gate.open)
    }

    /// When the not yet started stage's windows next change their verdict.
    static func scheduleWindowDeadlines(stage index: Int, of run: UpdateRunState, now: Date) -> [Date] {
        guard !run.stageIsStarted(index) else { return [] }
        return (run.strategyStages[index].beforeStageTasks ?? []).compactMap { task in
            guard let until = task.scheduleWindow?.gate(at: now).until, until > now else { return nil }
            return until
        }
    }
}

extension UpdateRunState {
    /// The task's `WindowOpen` condition; a closed window also says, on the stage and the run, what it waits for.
    mutating func scheduleWindow(_ e: ScheduleWindowGate, open: Bool, at time: Date) {
        let generation = self.generation
        guard e.stage < strategyStages.count, let tasks = strategyStages[e.stage].beforeStageTasks, e.task < tasks.count,
            let window = tasks[e.task].scheduleWindow
        else { return }
        let zone = window.timeZone ?? "UTC"
        let described = "`\(window.schedule)` (\(window.duration), \(zone))"
        let until = e.until ?? "never"
        let (reason, message): (String, String) =
            switch (window.denies, open) {
            case (false, true): ("InsideScheduleWindow", "The stage may start: its schedule window \(described) is open until \(until)")
            case (false, false): ("OutsideScheduleWindow", "The stage waits for its schedule window \(described), which opens at \(until)")
            case (true, true): ("OutsideDenyWindow", "The stage may start: its deny window \(described) next opens at \(until)")
            case (true, false): ("InsideDenyWindow", "The stage waits for its deny window \(described) to close at \(until)")
            }
        mutateTask(e.taskRef) { $0.set("WindowOpen", open ? .true : .false, reason, message, time, generation) }
        let name = stageName(e.stage)
        if !open {
            mutateStage(e.stage) { $0.set("Progressing", .false, "StageUpdatingWaiting", message, time, generation) }
            let waiting = window.denies
                ? "for the deny window of stage \(name) to close at \(until)"
                : "for the schedule window of stage \(name), which opens at \(until)"
            setRun("Progressing", .false, "UpdateRunWaiting", "The updateRun is waiting \(waiting)", time)
        } else if let stage = e.stage < stages.count ? stages[e.stage] : nil, UpdateRunController.isWaiting(stage) {
            // Other before-stage tasks may still hold the stage: it waits as KubeFleet says it does for them.
            evolve(.stageWaiting(StageRef(run: key, stage: e.stage)), at: time)
        }
    }
}
