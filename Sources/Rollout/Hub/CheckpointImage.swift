import FleetAPI

/// The bytes of a checkpoint: the hub's projections at one seq.
///
/// Version 2, written now, is `magic` followed by the state's `BinaryValueEncoder` form: loading it builds no
/// JSON tree, which was nearly all of start-up. Version 1, the canonical JSON of the state, is still read, so a
/// journal's older checkpoints keep serving until newer ones replace them.
enum CheckpointImage {
    enum Format: Equatable {
        case json
        case binary
    }

    /// Opens every version 2 image; a version 1 image is JSON, so starts with `{`.
    static let magic: [UInt8] = Array("flotilla-checkpoint/2\n".utf8)

    static func format(of image: [UInt8]) -> Format {
        image.starts(with: magic) ? .binary : .json
    }

    static func encode(_ state: HubState, as format: Format = .binary) throws -> [UInt8] {
        switch format {
        case .binary: magic + (try BinaryValueEncoder().encode(state))
        case .json: try JSONValueEncoder().encode(state).serialized()
        }
    }

    static func decode(_ image: [UInt8]) throws -> HubState {
        switch format(of: image) {
        case .binary: try BinaryValueDecoder().decodeFields(from: image[magic.count...]) { try HubState(fields: $0) }
        case .json: try JSONValueDecoder().decode(HubState.self, from: try JSON.parse(image))
        }
    }
}
