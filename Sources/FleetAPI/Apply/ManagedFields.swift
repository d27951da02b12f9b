/// `metadata.managedFields`: who set which fields of an object, one entry per manager, operation and subresource
/// (and, for updates, API version), as the API server keeps them.
public struct ManagedFields: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public enum Operation: String, Sendable {
            case apply = "Apply"
            case update = "Update"
        }

        public var manager: String
        public var operation: Operation
        public var apiVersion: String
        /// RFC 3339, whole seconds: when this manager last changed the object.
        public var time: String?
        public var subresource: String?
        public var fields: FieldSet

        public init(
            manager: String, operation: Operation, apiVersion: String, time: String?, subresource: String? = nil, fields: FieldSet
        ) {
            self.manager = manager
            self.operation = operation
            self.apiVersion = apiVersion
            self.time = time
            self.subresource = subresource
            self.fields = fields
        }

        /// How a conflict names the manager: `"kubectl"`, `"kube-controller-manager" using apps/v1`,
        /// `"x" with subresource "status" using v1`.
        public var label: String {
            let name = GoQuote.quote(manager)
            guard operation == .update else { return name }
            let subresource = self.subresource.map { " with subresource \(GoQuote.quote($0))" } ?? ""
            return "\(name)\(subresource) using \(apiVersion)"
        }

        /// The API server's manager identifier, which orders the managers in a conflict message: the entry as Go
        /// marshals it (fields in declaration order) without its time and fields, an apply's without its version.
        var identifier: String {
            let quote = { (text: String) in JSON.string(text).serializedString() }
            var id = "{\"manager\":\(quote(manager)),\"operation\":\(quote(operation.rawValue))"
            if operation == .update { id += ",\"apiVersion\":\(quote(apiVersion))" }
            if let subresource { id += ",\"subresource\":\(quote(subresource))" }
            return id + "}"
        }

        var json: JSON {
            var entry: JSON = [
                "manager": .string(manager), "operation": .string(operation.rawValue), "apiVersion": .string(apiVersion),
                "fieldsType": "FieldsV1", "fieldsV1": fields.fieldsV1,
            ]
            if let time { entry["time"] = .string(time) }
            if let subresource { entry["subresource"] = .string(subresource) }
            return entry
        }

        init?(json: JSON) {
            guard let manager = json["manager"]?.stringValue,
                let operation = json["operation"]?.stringValue.flatMap(Operation.init(rawValue:))
            else { return nil }
            self.init(
                manager: manager, operation: operation, apiVersion: json["apiVersion"]?.stringValue ?? "",
                time: json["time"]?.stringValue, subresource: json["subresource"]?.stringValue,
                fields: FieldSet(fieldsV1: json["fieldsV1"] ?? .emptyObject))
        }
    }

    public var entries: [Entry]

    public init(_ entries: [Entry] = []) {
        self.entries = entries
    }

    /// The managed fields `object` carries; an object written before they were kept has none.
    public init(of object: JSON?) {
        self.init(object?[path: ["metadata", "managedFields"]]?.arrayValue?.compactMap(Entry.init(json:)) ?? [])
    }

    /// The entries in the API server's order: applies before updates, then by time, manager, version, subresource.
    public var json: JSON {
        .array(entries.sorted { a, b in
            (a.operation.rawValue, a.time ?? "", a.manager, a.apiVersion, a.subresource ?? "")
                < (b.operation.rawValue, b.time ?? "", b.manager, b.apiVersion, b.subresource ?? "")
        }.map(\.json))
    }

    /// `object` as kubectl prints it unless asked for `--show-managed-fields`: without them.
    public static func hidden(from object: JSON) -> JSON {
        var object = object
        object[path: ["metadata", "managedFields"]] = nil
        return object
    }

    /// `object` carrying these managed fields (none when empty).
    public func stamped(on object: JSON) -> JSON {
        var object = object
        // Spelt out: JSON is a nil literal too, and `nil` here must remove the field, not store `null`.
        object[path: ["metadata", "managedFields"]] = entries.isEmpty ? JSON?.none : json
        return object
    }

    /// The index of the entry a write by this writer and operation records into.
    func index(of writer: FieldWriter, _ operation: Entry.Operation) -> Int? {
        entries.firstIndex {
            $0.manager == writer.manager && $0.operation == operation && $0.subresource == writer.subresource
                && (operation == .apply || $0.apiVersion == writer.apiVersion)
        }
    }

    /// The API server keeps at most this many update entries; older ones merge into `ancient-changes`.
    static let maxUpdateEntries = 10

    /// Merges the oldest update entries, per API version, into `ancient-changes` until at most ten remain.
    mutating func capUpdates() {
        let updates = entries.indices.filter { entries[$0].operation == .update }
        guard updates.count > Self.maxUpdateEntries else { return }
        var excess = updates.count - Self.maxUpdateEntries
        let oldest = updates.filter { entries[$0].manager != "ancient-changes" || entries[$0].subresource != nil }
            .sorted { (entries[$0].time ?? "", $0) < (entries[$1].time ?? "", $1) }
        var merged: [Int] = []
        for index in oldest where excess > 0 {
            let entry = entries[index]
            let bucket = entries.firstIndex {
                $0.manager == "ancient-changes" && $0.operation == .update && $0.subresource == nil && $0.apiVersion == entry.apiVersion
            }
            if let bucket {
                entries[bucket].fields = entries[bucket].fields.union(entry.fields)
                entries[bucket].time = max(entries[bucket].time ?? "", entry.time ?? "")
                excess -= 1
            } else {
                entries.append(Entry(manager: "ancient-changes", operation: .update, apiVersion: entry.apiVersion, time: entry.time, fields: entry.fields))
            }
            merged.append(index)
        }
        for index in merged.sorted(by: >) { entries.remove(at: index) }
    }
}

/// Who writes, as server-side apply records it: the field manager, the API version the request used, the
/// subresource written (`status`, or nil for the object itself), and the time (the hub sets it from its clock).
public struct FieldWriter: Sendable, Equatable {
    public var manager: String
    public var apiVersion: String
    public var subresource: String?
    public var time: String

    public init(manager: String, apiVersion: String, subresource: String? = nil, time: String = "") {
        self.manager = manager
        self.apiVersion = apiVersion
        self.subresource = subresource
        self.time = time
    }
}
