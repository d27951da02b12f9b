import FleetAPI
import Foundation

/// Reads what a member's agent reported on a placement's Works into the member's state, as KubeFleet's binding
/// status reads them: all the Works (the main one and one per envelope) applied and available (or, under
/// ReportDiff, diff reported) at their generation completes the cluster; a manifest not applied fails it with the
/// member API server's message.
public enum WorkStatusController {
    public static func reconcile(_ key: ObjectKey, in state: HubState) -> (actor: String, events: [FleetEvent])? {
        guard let work = state.objects[key], let (cluster, placement, index) = WorkWriter.owner(of: work) else { return nil }
        let main = WorkWriter.workKey(cluster: cluster, placement: placement)
        let works = ([main] + WorkWriter.envelopeWorkKeys(of: main, in: state)).compactMap { state.objects[$0] }
        // Until every Work says the same snapshot, what they report is not about one snapshot.
        guard works.first?.key == main, works.allSatisfy({ WorkWriter.owner(of: $0)?.index == index }) else { return nil }
        let reports = works.map(Report.init)
        let member = state.members[cluster]
        let event: FleetEvent?
        if reports.allSatisfy({ $0.status("DiffReported") == "True" }) {
            let differences = reports.flatMap { report in
                report.perManifest.filter { manifest in
                    manifest["conditions"]?.arrayValue?.contains { $0["type"] == "DiffReported" && $0["reason"] == "FoundDiff" } == true
                }.map { identity($0["identifier"] ?? .emptyObject) }
            }.sorted()
            event = member?.reported[placement]?.resourceIndex == index && member?.reported[placement]?.differences == differences
                ? nil
                : .memberDiffReported(MemberDiffReported(cluster: cluster, placement: placement, resourceIndex: index, differences: differences))
        } else if reports.allSatisfy({ $0.status("Applied") == "True" && $0.status("Available") == "True" }) {
            let manifests = works.flatMap { $0.json[path: ["spec", "workload", "manifests"]]?.arrayValue ?? [] }
            let untrackable = reports.contains { $0.reason("Available") == "WorkNotTrackable" }
            event = member?.applied[placement]?.resourceIndex == index
                ? nil
                : .memberApplied(
                    MemberApplied(
                        cluster: cluster, placement: placement, resourceIndex: index, objects: manifests,
                        untrackable: untrackable ? true : nil))
        } else if let report = reports.first(where: { $0.status("Applied") == "False" }) {
            let failed = report.perManifest.first { manifest in
                manifest["conditions"]?.arrayValue?.contains { $0["type"] == "Applied" && $0["status"] == "False" } == true
            }
            let reason = failed?["conditions"]?.arrayValue?.first { $0["type"] == "Applied" }?["message"]?.stringValue
            let message = [failed.map { identity($0["identifier"] ?? .emptyObject) }, reason].compactMap { $0 }.joined(separator: ": ")
            let text = message.isEmpty ? report.conditions.first { $0["type"] == "Applied" }?["message"]?.stringValue ?? "not applied" : message
            let last = member?.failures[placement]
            let failure = MemberApplyFailed(
                cluster: cluster, placement: placement, resourceIndex: index, message: text, resource: failed?["identifier"].map(resourceIdentifier))
            event = last == failure ? nil : .memberApplyFailed(failure)
        } else {
            event = nil
        }
        return event.map { ("member/\(cluster)", [$0]) }
    }

    /// What an agent reported on one Work for the Work's current generation.
    struct Report {
        var conditions: [JSON]
        var perManifest: [JSON]

        init(_ work: StoredObject) {
            conditions = (work.status?["conditions"]?.arrayValue ?? []).filter { $0["observedGeneration"]?.intValue == work.generation }
            perManifest = work.status?["manifestConditions"]?.arrayValue ?? []
        }

        func condition(_ type: String) -> JSON? { conditions.first { $0["type"]?.stringValue == type } }
        func status(_ type: String) -> String? { condition(type)?["status"]?.stringValue }
        func reason(_ type: String) -> String? { condition(type)?["reason"]?.stringValue }
    }

    /// A Work's manifest identifier as KubeFleet's resource identifier: without the manifest's ordinal and resource.
    private static func resourceIdentifier(_ identifier: JSON) -> JSON {
        var resource = identifier
        resource["ordinal"] = nil
        resource["resource"] = nil
        if resource["group"] == nil { resource["group"] = "" }
        return resource
    }

    /// `Kind namespace/name`, as simulated members name a difference.
    private static func identity(_ identifier: JSON) -> String {
        let namespace = identifier["namespace"]?.stringValue.map { $0.isEmpty ? "" : "\($0)/" } ?? ""
        return "\(identifier["kind"]?.stringValue ?? "") \(namespace)\(identifier["name"]?.stringValue ?? "")"
    }
}
