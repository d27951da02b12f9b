import FleetAPI
import Foundation
import Testing
@testable import Rollout

/// A stage finds the cluster an event names wherever it lies: the search starts at the first unfinished cluster,
/// and clusters finish out of order.
struct StageClustersTests {
    @Test func eachClusterIsFoundBeforeAndPastTheFirstUnfinished() {
        let time = Date(timeIntervalSince1970: 1_753_219_688)
        var stage = StageUpdatingStatus(stageName: "canary", clusters: (1...6).map { ClusterUpdatingStatus(clusterName: "m\($0)") })
        func mark(_ index: Int, _ types: [String]) {
            stage.clusters[index].conditions = types.map {
                Condition(type: $0, status: .true, reason: "r", message: "m", observedGeneration: 1, lastTransitionTime: time)
            }
        }
        // m1, m2 and m4 finished, m3 started, m5 and m6 not started: the first unfinished is m3.
        mark(0, ["Started", "Succeeded"])
        mark(1, ["Started", "Succeeded"])
        mark(2, ["Started"])
        mark(3, ["Started", "Succeeded"])
        for name in ["m1", "m6", "m4", "m3", "m2", "m5", "elsewhere"] {
            stage.mutateCluster(name) { $0.clusterResourceOverrideSnapshots = ($0.clusterResourceOverrideSnapshots ?? []) + [name] }
        }
        // Each cluster changed once, by its own name; a name the stage does not hold changed none.
        #expect(stage.clusters.map { $0.clusterResourceOverrideSnapshots ?? [] } == (1...6).map { ["m\($0)"] })
    }
}
