import FleetAPI
import Foundation
@testable import Rollout

extension Hub {
    /// Applies the seed fleet (members, namespace, config map, placement, strategy) and the seed run, then passes
    /// 20 s: the run's first stage has finished and its staging wait, started at +15 s, runs until +75 s.
    func startSeedRunIntoItsWait() async throws {
        for member in SeedManifests.members {
            try await send(.apply(YAML.parse(SeedManifests.memberCluster(member.name, labels: member.labels))), actor: "test")
        }
        for manifest in [SeedManifests.namespace, SeedManifests.configMap(value: "value1"), SeedManifests.placement, SeedManifests.strategy] {
            try await send(.apply(YAML.parse(manifest)), actor: "test")
        }
        try await send(.apply(YAML.parse(Fixtures.runManifest(index: "0"))), actor: "test")
        try await advance(by: 20)
    }
}
