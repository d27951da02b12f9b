import Testing
@testable import Rollout

/// A batch stamps a touched object once its touch falls out of `DeferredTouches`: only the least recent of the two.
struct DeferredTouchesTests {
    @Test func aTouchFallsOutOnlyOnceTwoOtherObjectsWereTouchedAfterIt() {
        var touches = DeferredTouches()
        let run = ObjectKey(kind: "ClusterStagedUpdateRun", name: "run")
        let placement = ObjectKey(kind: "ClusterResourcePlacement", name: "placement")
        let config = ObjectKey(kind: "ConfigMap", namespace: "app", name: "config")
        #expect(touches.note(run, at: 1) == nil)
        #expect(touches.note(placement, at: 2) == nil)
        #expect(touches.note(run, at: 3) == nil)
        let pushedOut = touches.note(config, at: 4)
        #expect(pushedOut?.key == placement)
        #expect(pushedOut?.seq == 2)
        #expect(touches.pending.map(\.key) == [config, run])
        #expect(touches.pending.map(\.seq) == [4, 3])
    }

    @Test func aBatchsEndHandsOverItsTouchesAndKeepsTheObjectsToShow() {
        var touches = DeferredTouches()
        let run = ObjectKey(kind: "ClusterStagedUpdateRun", name: "run")
        let placement = ObjectKey(kind: "ClusterResourcePlacement", name: "placement")
        _ = touches.note(run, at: 1)
        _ = touches.note(placement, at: 2)
        touches.versionChanged(run)
        #expect(touches.takePending().map(\.key) == [placement, run])
        #expect(touches.pending.isEmpty)
        #expect(touches.note(placement, at: 3) == nil)
        #expect(touches.pending.map(\.key) == [placement])
        #expect(touches.unshown == [run])
    }
}
