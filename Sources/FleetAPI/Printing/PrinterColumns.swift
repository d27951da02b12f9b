import Foundation

/// The columns `kubectl get` shows for each kind: the seed's for the fleet kinds, Kubernetes' own for the
/// core ones. Pure functions of the rendered object, shared by the demo and the API's Table responses.
public struct PrinterColumn: Sendable {
    public var name: String
    /// The Table column's type: `date` for ages, `string` unless a CRD's column says otherwise.
    public var type: String
    public var cell: @Sendable (JSON, Date) -> String

    public init(_ name: String, type: String? = nil, cell: @escaping @Sendable (JSON, Date) -> String) {
        self.name = name
        self.type = type ?? (name == "AGE" ? "date" : "string")
        self.cell = cell
    }
}

extension ResourceKind {
    public var printerColumns: [PrinterColumn] {
        let name = PrinterColumn("NAME") { object, _ in object[path: ["metadata", "name"]]?.stringValue ?? "" }
        let age = PrinterColumn("AGE") { object, now in
            guard let text = object[path: ["metadata", "creationTimestamp"]]?.stringValue,
                let created = KubeTime.parse(text)
            else { return "<unknown>" }
            return KubeTime.age(from: created, to: now)
        }
        let gen = PrinterColumn("GEN") { object, _ in Self.text(object[path: ["metadata", "generation"]]) }
        switch self {
        case .clusterResourcePlacement, .resourcePlacement:
            let prefix = self == .clusterResourcePlacement ? "ClusterResourcePlacement" : "ResourcePlacement"
            return [
                name, gen,
                PrinterColumn("SCHEDULED") { object, _ in Self.condition(object, "\(prefix)Scheduled", "status") },
                PrinterColumn("SCHEDULED-GEN") { object, _ in Self.condition(object, "\(prefix)Scheduled", "observedGeneration") },
                PrinterColumn("AVAILABLE") { object, _ in Self.condition(object, "\(prefix)Available", "status") },
                PrinterColumn("AVAILABLE-GEN") { object, _ in Self.condition(object, "\(prefix)Available", "observedGeneration") },
                age,
            ]
        case .clusterResourceSnapshot, .resourceSnapshot, .clusterSchedulingPolicySnapshot, .schedulingPolicySnapshot:
            return [name, gen, age]
        case .clusterStagedUpdateRun, .stagedUpdateRun:
            return [
                name,
                PrinterColumn("PLACEMENT") { object, _ in Self.text(object[path: ["spec", "placementName"]]) },
                PrinterColumn("RESOURCE-SNAPSHOT-INDEX") { object, _ in Self.text(object[path: ["spec", "resourceSnapshotIndex"]]) },
                PrinterColumn("POLICY-SNAPSHOT-INDEX") { object, _ in Self.text(object[path: ["status", "policySnapshotIndexUsed"]]) },
                PrinterColumn("INITIALIZED") { object, _ in Self.condition(object, "Initialized", "status") },
                PrinterColumn("SUCCEEDED") { object, _ in Self.condition(object, "Succeeded", "status") },
                age,
            ]
        case .notificationSink:
            return [
                name,
                PrinterColumn("URL") { object, _ in Self.text(object[path: ["spec", "url"]]) },
                PrinterColumn("DELIVERED") { object, _ in Self.text(object[path: ["status", "deliveredCount"]]) },
                PrinterColumn("LAST-SEQ") { object, _ in Self.text(object[path: ["status", "lastDeliveredSeq"]]) },
                PrinterColumn("FAILING") { object, _ in Self.text(object[path: ["status", "failedAttempts"]]) },
                age,
            ]
        case .clusterResourcePlacementEviction:
            return [
                name,
                PrinterColumn("VALID") { object, _ in Self.condition(object, "Valid", "status") },
                PrinterColumn("EXECUTED") { object, _ in Self.condition(object, "Executed", "status") },
            ]
        case .clusterApprovalRequest, .approvalRequest:
            return [
                name,
                PrinterColumn("UPDATE-RUN") { object, _ in Self.text(object[path: ["spec", "parentStageRollout"]]) },
                PrinterColumn("STAGE") { object, _ in Self.text(object[path: ["spec", "targetStage"]]) },
                PrinterColumn("APPROVED") { object, _ in Self.condition(object, "Approved", "status") },
                PrinterColumn("APPROVALACCEPTED") { object, _ in Self.condition(object, "ApprovalAccepted", "status") },
                age,
            ]
        case .namespace:
            return [name, PrinterColumn("STATUS") { _, _ in "Active" }, age]
        case .role, .clusterRole, .customResourceDefinition:
            return [name, PrinterColumn("CREATED AT") { object, _ in Self.text(object[path: ["metadata", "creationTimestamp"]]) }]
        case .roleBinding, .clusterRoleBinding:
            return [
                name,
                PrinterColumn("ROLE") { object, _ in
                    "\(Self.text(object[path: ["roleRef", "kind"]]))/\(Self.text(object[path: ["roleRef", "name"]]))"
                },
                age,
            ]
        case .configMap, .secret:
            return [
                name,
                PrinterColumn("DATA") { object, _ in String(object["data"]?.objectValue?.count ?? 0) },
                age,
            ]
        default:
            if isCustom {
                // A CRD that lists columns gets exactly those; one that lists none gets an age.
                let custom = customColumns.filter { $0.priority == 0 }
                return custom.isEmpty ? [name, age] : [name] + custom.map(\.printerColumn)
            }
            return workloadColumns(name: name, age: age) ?? [name, age]
        }
    }

    static func text(_ value: JSON?) -> String {
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .bool(let flag): return String(flag)
        default: return ""
        }
    }

    static func condition(_ object: JSON, _ type: String, _ field: String) -> String {
        let conditions = object[path: ["status", "conditions"]]?.arrayValue ?? []
        return text(conditions.first { $0["type"]?.stringValue == type }?[field])
    }
}

/// Renders rows the way kubectl's tab writer does: left-aligned, three spaces between columns.
public enum TablePrinter {
    public static func render(_ kind: ResourceKind, objects: [JSON], now: Date, showLabels: Bool = false) -> String {
        var header = kind.printerColumns.map(\.name)
        if showLabels { header.append("LABELS") }
        var rows = [header]
        for object in objects {
            var row = kind.printerColumns.map { $0.cell(object, now) }
            if showLabels {
                let labels = object[path: ["metadata", "labels"]]?.objectValue ?? [:]
                let text = labels.keys.sorted().map { "\($0)=\(labels[$0]?.stringValue ?? "")" }.joined(separator: ",")
                row.append(text.isEmpty ? "<none>" : text)
            }
            rows.append(row)
        }
        return format(rows)
    }

    public static func format(_ rows: [[String]]) -> String {
        guard let columns = rows.first?.count else { return "" }
        var widths = Array(repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == columns - 1 ? cell : cell.padding(toLength: widths[index] + 3, withPad: " ", startingAt: 0)
            }.joined()
        }.joined(separator: "\n") + "\n"
    }
}
