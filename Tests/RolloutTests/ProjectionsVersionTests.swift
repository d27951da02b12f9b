import Foundation
import Testing
@testable import Rollout

/// A checkpoint names the projections it holds (`HubState.projectionsVersion`), so a build whose folding gives
/// something else replays past an older build's images. This holds the seed walkthrough's image to its digest: when
/// the image changes, bump the version and record the new digest here.
struct ProjectionsVersionTests {
    static let seedImage = (version: 1, digest: "1e93753ef388224793a108b1fd964c725128088ef29f7817d3cac84bc96f6d9f")

    @Test func theSeedsImageChangesOnlyWithTheProjectionsVersion() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(UUID().uuidString).journal").path
        let hub = try Hub(path: path, clock: ManualClock(SeedWalkthrough.virtualStart), checkpointInterval: 1_000_000)
        defer { hub.journal.close() }
        try await SeedWalkthrough(hub: hub, pace: .virtual, out: { _ in }).play()
        let digest = ResourceHash.sha256Hex(try Hub.encodeCheckpoint(await hub.state))
        #expect(
            (HubState.projectionsVersion, digest) == Self.seedImage,
            "the seed's checkpoint image changed: bump HubState.projectionsVersion and record (version, digest) here")
    }
}
