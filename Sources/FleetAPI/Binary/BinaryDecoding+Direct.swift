import Foundation

/// Direct reads of the values a checkpoint holds by the hundred thousand, bypassing `init(from:)`, and shared reads
/// of those it holds many equal copies of.
///
/// Every cluster of every run carries a `ClusterUpdatingStatus` and its conditions, and every member the objects a
/// placement applied there. Through `Codable` each of those costs a keyed container, a search per field and generic
/// metadata; that was most of loading a checkpoint. Read here they cost their bytes, and equal `JSON` elements
/// (the same objects applied on every member) are built once and shared.
///
/// The values are those `init(from:)` gives: absent or null optionals are nil, and a missing required field throws.
/// A field a reader does not know throws too, as `BinaryValue`'s readers do: skipped, it would be lost without a
/// word; refused, its image is replayed past instead.
extension BinaryDecoding {
    /// The value at `offset` when `T` is one of the types read directly; nil to take the `Codable` path.
    func decodeDirectly<T>(_ type: T.Type, at offset: Int) throws -> T? {
        if T.self == [Condition].self { return unsafeBitCast(try array(at: offset, condition), to: T.self) }
        if T.self == [StageUpdatingStatus].self { return unsafeBitCast(try array(at: offset, stageStatus), to: T.self) }
        if T.self == [ClusterUpdatingStatus].self { return unsafeBitCast(try array(at: offset, clusterStatus), to: T.self) }
        if T.self == [JSON].self { return unsafeBitCast(try array(at: offset, sharedJSON), to: T.self) }
        if T.self == StagedUpdateStrategySpec.self {
            let strategy = try shared(at: offset, in: strategies) { try standing(at: offset) { try StagedUpdateStrategySpec(from: self) } }
            return unsafeBitCast(strategy, to: T.self)
        }
        return nil
    }

    /// The elements of the unkeyed container at `offset` (those at the positions in `range`, when given), each read
    /// by `element` from where it starts.
    func array<Element>(at offset: Int, in range: Range<Int>? = nil, _ element: (Int) throws -> Element) throws -> [Element] {
        var reader = self.reader
        reader.position = offset
        guard try reader.tag() == .unkeyed else { throw BinaryReader.corrupt("expected an unkeyed container") }
        let (end, count) = try reader.compositeHeader()
        let range = range ?? 0..<count
        guard range.upperBound <= count else { throw BinaryReader.corrupt("elements past the container's count") }
        var elements: [Element] = []
        elements.reserveCapacity(range.count)
        for index in 0..<range.upperBound {
            let start = reader.position
            reader.position = try reader.skip(at: start)
            guard reader.position <= end else { throw BinaryReader.corrupt("an element past its container") }
            if index >= range.lowerBound { elements.append(try element(start)) }
        }
        return elements
    }

    /// Calls `body` with each entry of the keyed container at `offset`: its key, and where its value starts.
    func forEachEntry(at offset: Int, _ body: (String, Int) throws -> Void) throws {
        var reader = self.reader
        reader.position = offset
        guard try reader.tag() == .keyed else { throw BinaryReader.corrupt("expected a keyed container") }
        let (end, count) = try reader.compositeHeader()
        for _ in 0..<count {
            let (key, value) = try entryKey(at: reader.position)
            reader.position = try reader.skip(at: value)
            guard reader.position <= end else { throw BinaryReader.corrupt("an entry past its container") }
            try body(key, value)
        }
    }

    private func condition(at offset: Int) throws -> Condition {
        var type: String?
        var status: Condition.Status?
        var observedGeneration: Int64?
        var lastTransitionTime: Date?
        var reason: String?
        var message: String?
        try forEachEntry(at: offset) { key, value in
            switch key {
            case "type": type = try decodeString(at: value)
            case "status":
                guard let known = Condition.Status(rawValue: try decodeString(at: value)) else {
                    throw BinaryReader.corrupt("an unknown condition status")
                }
                status = known
            case "observedGeneration": observedGeneration = try optional(at: value) { try decodeInteger(Int64.self, at: $0) }
            case "lastTransitionTime": lastTransitionTime = try date(at: value)
            case "reason": reason = try decodeString(at: value)
            case "message": message = try decodeString(at: value)
            default: throw BinaryValue.unknownField(key, of: Condition.self)
            }
        }
        guard let type, let status, let lastTransitionTime, let reason, let message else {
            throw BinaryReader.corrupt("a condition without one of its fields")
        }
        return Condition(
            type: type, status: status, reason: reason, message: message, observedGeneration: observedGeneration,
            lastTransitionTime: lastTransitionTime)
    }

    /// The value at `offset` read by `read`, or nil when it is null (an optional encoded as present).
    private func optional<T>(at offset: Int, _ read: (Int) throws -> T) throws -> T? {
        try isNil(at: offset) ? nil : try read(offset)
    }

    func date(at offset: Int) throws -> Date {
        Date(timeIntervalSince1970: try decodeDouble(at: offset, tag: .date))
    }

    private func stageStatus(at offset: Int) throws -> StageUpdatingStatus {
        var stageName: String?
        var clusters: [ClusterUpdatingStatus]?
        var before: [StageTaskStatus]?
        var after: [StageTaskStatus]?
        var conditions: [Condition]?
        var startTime: Date?
        var endTime: Date?
        try forEachEntry(at: offset) { key, value in
            switch key {
            case "stageName": stageName = try optional(at: value, decodeString(at:))
            case "clusters": clusters = try optional(at: value) { try array(at: $0, clusterStatus) }
            case "beforeStageTaskStatus": before = try optional(at: value) { try decodeValue([StageTaskStatus].self, at: $0) }
            case "afterStageTaskStatus": after = try optional(at: value) { try decodeValue([StageTaskStatus].self, at: $0) }
            case "conditions": conditions = try optional(at: value) { try array(at: $0, condition) }
            case "startTime": startTime = try optional(at: value, date(at:))
            case "endTime": endTime = try optional(at: value, date(at:))
            default: throw BinaryValue.unknownField(key, of: StageUpdatingStatus.self)
            }
        }
        guard let stageName, let clusters else { throw BinaryReader.corrupt("a stage status without its name or clusters") }
        var status = StageUpdatingStatus(stageName: stageName, clusters: clusters)
        status.beforeStageTaskStatus = before
        status.afterStageTaskStatus = after
        status.conditions = conditions
        status.startTime = startTime
        status.endTime = endTime
        return status
    }

    private func clusterStatus(at offset: Int) throws -> ClusterUpdatingStatus {
        var clusterName: String?
        var clusterScoped: [String]?
        var namespaced: [ClusterUpdatingStatus.NamespacedName]?
        var conditions: [Condition]?
        try forEachEntry(at: offset) { key, value in
            switch key {
            case "clusterName": clusterName = try decodeString(at: value)
            case "clusterResourceOverrideSnapshots": clusterScoped = try optional(at: value) { try decodeValue([String].self, at: $0) }
            case "resourceOverrideSnapshots":
                namespaced = try optional(at: value) { try decodeValue([ClusterUpdatingStatus.NamespacedName].self, at: $0) }
            case "conditions": conditions = try optional(at: value) { try array(at: $0, condition) }
            default: throw BinaryValue.unknownField(key, of: ClusterUpdatingStatus.self)
            }
        }
        guard let clusterName else { throw BinaryReader.corrupt("a cluster status without its name") }
        var status = ClusterUpdatingStatus(clusterName: clusterName)
        status.clusterResourceOverrideSnapshots = clusterScoped
        status.resourceOverrideSnapshots = namespaced
        status.conditions = conditions
        return status
    }

    /// The value at `offset` that `read` gives, or the one it gave before for the same bytes.
    func shared<T>(at offset: Int, in cache: SharedByBytes<T>, _ read: () throws -> T) throws -> T {
        let end = try reader.skip(at: offset)
        return try cache.value(for: UnsafeBufferPointer(rebasing: reader.buffer[offset..<end]), read: read)
    }

    /// The tree at `offset`, shared with an equal one read before from the same bytes.
    func sharedJSON(at offset: Int) throws -> JSON {
        try shared(at: offset, in: trees) { try decodeJSON(at: offset) }
    }
}
