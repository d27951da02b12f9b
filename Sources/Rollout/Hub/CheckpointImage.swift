import FleetAPI

/// The bytes of a checkpoint: the hub's projections at one seq, as `magic` followed by the state's
/// `BinaryValueEncoder` form (loading it builds no JSON tree, which was nearly all of start-up).
///
/// The magic names `HubState.projectionsVersion`: an image of other projections (an older build's, or one written
/// before images named theirs) may well decode, yet hold what that build's folding gave, not what this build's
/// replay gives. Start-up never loads one; it replays past it and writes its own.
enum CheckpointImage {
    /// Opens every image this build writes and loads.
    static let magic: [UInt8] = Array("flotilla-checkpoint/3 projections/\(HubState.projectionsVersion)\n".utf8)

    /// An image of other projections than this build's: not damaged, but not this build's to load.
    struct OtherProjections: Error, CustomStringConvertible {
        var description: String { "the image holds another build's projections (this build's are version \(HubState.projectionsVersion))" }
    }

    static func isLoadable(_ image: [UInt8]) -> Bool {
        image.starts(with: magic)
    }

    static func encode(_ state: HubState) throws -> [UInt8] {
        magic + (try BinaryValueEncoder().encode(state))
    }

    static func decode(_ image: [UInt8]) throws -> HubState {
        guard isLoadable(image) else { throw OtherProjections() }
        return try BinaryValueDecoder().decodeFields(from: image[magic.count...]) { try HubState(fields: $0) }
    }
}
