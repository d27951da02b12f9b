import Foundation

/// The columns kubectl shows for the built-in workload kinds, as the API server's table printers make them.
extension ResourceKind {
    func workloadColumns(name: PrinterColumn, age: PrinterColumn) -> [PrinterColumn]? {
        func field(_ header: String, _ path: [String], or fallback: String = "") -> PrinterColumn {
            PrinterColumn(header) { object, _ in
                let value = Self.text(object[path: path])
                return value.isEmpty ? fallback : value
            }
        }
        switch self {
        case .deployment:
            return [
                name,
                PrinterColumn("READY") { object, _ in "\(Self.number(object, ["status", "readyReplicas"]))/\(Self.number(object, ["spec", "replicas"], default: 1))" },
                PrinterColumn("UP-TO-DATE") { object, _ in String(Self.number(object, ["status", "updatedReplicas"])) },
                PrinterColumn("AVAILABLE") { object, _ in String(Self.number(object, ["status", "availableReplicas"])) },
                age,
            ]
        case .statefulSet:
            return [
                name,
                PrinterColumn("READY") { object, _ in "\(Self.number(object, ["status", "readyReplicas"]))/\(Self.number(object, ["spec", "replicas"], default: 1))" },
                age,
            ]
        case .daemonSet:
            return [
                name,
                PrinterColumn("DESIRED") { object, _ in String(Self.number(object, ["status", "desiredNumberScheduled"])) },
                PrinterColumn("CURRENT") { object, _ in String(Self.number(object, ["status", "currentNumberScheduled"])) },
                PrinterColumn("READY") { object, _ in String(Self.number(object, ["status", "numberReady"])) },
                PrinterColumn("UP-TO-DATE") { object, _ in String(Self.number(object, ["status", "updatedNumberScheduled"])) },
                PrinterColumn("AVAILABLE") { object, _ in String(Self.number(object, ["status", "numberAvailable"])) },
                PrinterColumn("NODE SELECTOR") { object, _ in Self.labels(object[path: ["spec", "template", "spec", "nodeSelector"]]) },
                age,
            ]
        case .job:
            return [
                name,
                PrinterColumn("STATUS") { object, _ in Self.jobStatus(object) },
                PrinterColumn("COMPLETIONS") { object, _ in "\(Self.number(object, ["status", "succeeded"]))/\(Self.number(object, ["spec", "completions"], default: 1))" },
                PrinterColumn("DURATION") { object, now in Self.jobDuration(object, now: now) },
                age,
            ]
        case .cronJob:
            return [
                name, field("SCHEDULE", ["spec", "schedule"]), field("TIMEZONE", ["spec", "timeZone"], or: "<none>"),
                PrinterColumn("SUSPEND") { object, _ in object[path: ["spec", "suspend"]]?.boolValue == true ? "True" : "False" },
                PrinterColumn("ACTIVE") { object, _ in String(object[path: ["status", "active"]]?.arrayValue?.count ?? 0) },
                PrinterColumn("LAST SCHEDULE") { object, now in
                    guard let text = object[path: ["status", "lastScheduleTime"]]?.stringValue, let time = KubeTime.parse(text) else { return "<none>" }
                    return KubeTime.age(from: time, to: now)
                },
                age,
            ]
        case .persistentVolumeClaim:
            return [
                name, field("STATUS", ["status", "phase"]), field("VOLUME", ["spec", "volumeName"]),
                field("CAPACITY", ["status", "capacity", "storage"]),
                PrinterColumn("ACCESS MODES") { object, _ in Self.accessModes(object[path: ["status", "accessModes"]]) },
                field("STORAGECLASS", ["spec", "storageClassName"]), field("VOLUMEATTRIBUTESCLASS", ["spec", "volumeAttributesClassName"], or: "<unset>"),
                age,
            ]
        case .limitRange:
            return [name, PrinterColumn("CREATED AT") { object, _ in Self.text(object[path: ["metadata", "creationTimestamp"]]) }]
        case .resourceQuota:
            return [
                name, age,
                PrinterColumn("REQUEST") { object, _ in Self.quota(object, limits: false) },
                PrinterColumn("LIMIT") { object, _ in Self.quota(object, limits: true) },
            ]
        case .ingress:
            return [
                name, field("CLASS", ["spec", "ingressClassName"], or: "<none>"),
                PrinterColumn("HOSTS") { object, _ in
                    let hosts = (object[path: ["spec", "rules"]]?.arrayValue ?? []).compactMap { $0["host"]?.stringValue }
                    return hosts.isEmpty ? "*" : hosts.joined(separator: ",")
                },
                PrinterColumn("ADDRESS") { object, _ in
                    (object[path: ["status", "loadBalancer", "ingress"]]?.arrayValue ?? [])
                        .compactMap { $0["ip"]?.stringValue ?? $0["hostname"]?.stringValue }.joined(separator: ",")
                },
                PrinterColumn("PORTS") { object, _ in object[path: ["spec", "tls"]]?.arrayValue?.isEmpty == false ? "80, 443" : "80" },
                age,
            ]
        case .networkPolicy:
            return [
                name,
                PrinterColumn("POD-SELECTOR") { object, _ in
                    let labels = Self.labels(object[path: ["spec", "podSelector", "matchLabels"]])
                    return labels == "<none>" ? "<none>" : labels
                },
                age,
            ]
        case .podDisruptionBudget:
            return [
                name, field("MIN AVAILABLE", ["spec", "minAvailable"], or: "N/A"), field("MAX UNAVAILABLE", ["spec", "maxUnavailable"], or: "N/A"),
                PrinterColumn("ALLOWED DISRUPTIONS") { object, _ in String(Self.number(object, ["status", "disruptionsAllowed"])) },
                age,
            ]
        case .horizontalPodAutoscaler:
            return [
                name,
                PrinterColumn("REFERENCE") { object, _ in
                    "\(Self.text(object[path: ["spec", "scaleTargetRef", "kind"]]))/\(Self.text(object[path: ["spec", "scaleTargetRef", "name"]]))"
                },
                PrinterColumn("TARGETS") { object, _ in
                    let metrics = object[path: ["spec", "metrics"]]?.arrayValue?.count ?? 0
                    return metrics == 0 ? "<none>" : Array(repeating: "<unknown>", count: metrics).joined(separator: ", ")
                },
                field("MINPODS", ["spec", "minReplicas"], or: "1"), field("MAXPODS", ["spec", "maxReplicas"]),
                PrinterColumn("REPLICAS") { object, _ in String(Self.number(object, ["status", "currentReplicas"])) },
                age,
            ]
        default:
            return nil
        }
    }

    static func number(_ object: JSON, _ path: [String], default fallback: Int64 = 0) -> Int64 {
        object[path: path]?.intValue ?? fallback
    }

    /// `key=value` pairs joined with commas, or `<none>`.
    static func labels(_ value: JSON?) -> String {
        let labels = value?.objectValue ?? [:]
        guard !labels.isEmpty else { return "<none>" }
        return labels.keys.sorted().map { "\($0)=\(labels[$0]?.stringValue ?? "")" }.joined(separator: ",")
    }

    static func accessModes(_ value: JSON?) -> String {
        let short = ["ReadWriteOnce": "RWO", "ReadOnlyMany": "ROX", "ReadWriteMany": "RWX", "ReadWriteOncePod": "RWOP"]
        return (value?.arrayValue ?? []).compactMap { $0.stringValue.map { short[$0] ?? $0 } }.joined(separator: ",")
    }

    static func jobStatus(_ object: JSON) -> String {
        let conditions = (object[path: ["status", "conditions"]]?.arrayValue ?? []).filter { $0["status"] == "True" }
        for (type, shown) in [("Complete", "Complete"), ("Failed", "Failed"), ("SuccessCriteriaMet", "SuccessCriteriaMet"), ("FailureTarget", "FailureTarget"), ("Suspended", "Suspended")]
        where conditions.contains(where: { $0["type"]?.stringValue == type }) {
            return shown
        }
        return "Running"
    }

    static func jobDuration(_ object: JSON, now: Date) -> String {
        guard let text = object[path: ["status", "startTime"]]?.stringValue, let start = KubeTime.parse(text) else { return "" }
        let end = object[path: ["status", "completionTime"]]?.stringValue.flatMap(KubeTime.parse) ?? now
        return KubeTime.age(from: start, to: end)
    }

    /// `resource: used/hard` for each hard limit, those named `limits.` apart.
    static func quota(_ object: JSON, limits: Bool) -> String {
        let hard = object[path: ["status", "hard"]]?.objectValue ?? object[path: ["spec", "hard"]]?.objectValue ?? [:]
        let used = object[path: ["status", "used"]]?.objectValue ?? [:]
        return hard.keys.sorted().filter { $0.hasPrefix("limits.") == limits }
            .map { "\($0): \(text(used[$0]).isEmpty ? "0" : text(used[$0]))/\(text(hard[$0]))" }.joined(separator: ", ")
    }
}
