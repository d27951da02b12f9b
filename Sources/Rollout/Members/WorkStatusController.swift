import FleetAPI
import Foundation

/// Reads what a member's agent reported on a Work into the member's state, as KubeFleet's binding status
/// reads it: applied and available (or, under ReportDiff, diff reported) at the Work's generation completes the
/// cluster; a manifest not applied fails it with the member API server's message.
public enum WorkStatusController {
    public static func reconcile(_ key: ObjectKey, in state: HubState) -> (actor: String, events: [FleetEvent])? {
        guard let work = state.objects[key], let (cluster, placement, index) = WorkWriter.owner(of: work) else { return nil }
        let conditions = (work.status?["conditions"]?.arrayValue ?? []).filter {
            $0["observedGeneration"]?.intValue == work.generation
        }
        func status(_ type: String) -> String? { conditions.first { $0["type"]?.stringValue == type }?["status"]?.stringValue }
        func reason(_ type: String) -> String? { conditions.first { $0["type"]?.stringValue == type }?["reason"]?.stringValue }
        let member = state.members[cluster]
        let manifests = work.json[path: ["spec", "workload", "manifests"]]?.arrayValue ?? []
        let perManifest = work.status?["manifestConditions"]?.arrayValue ?? []
        let event: FleetEvent?
        if status("DiffReported") == "True" {
            let differences = perManifest.filter { manifest in
                manifest["conditions"]?.arrayValue?.contains { $0["type"] == "DiffReported" && $0["reason"] == "FoundDiff" } == true
            }.map { identity($0["identifier"] ?? .emptyObject) }.sorted()
            event = member?.reported[placement]?.resourceIndex == index && member?.reported[placement]?.differences == differences
                ? nil
                : .memberDiffReported(MemberDiffReported(cluster: cluster, placement: placement, resourceIndex: index, differences: differences))
        } else if status("Applied") == "True" && status("Available") == "True" {
            event = member?.applied[placement]?.resourceIndex == index
                ? nil
                : .memberApplied(
                    MemberApplied(
                        cluster: cluster, placement: placement, resourceIndex: index, objects: manifests,
                        untrackable: reason("Available") == "WorkNotTrackable" ? true : nil))
        } else if status("Applied") == "False" {
            let failed = perManifest.first { manifest in
                manifest["conditions"]?.arrayValue?.contains { $0["type"] == "Applied" && $0["status"] == "False" } == true
            }
            let reason = failed?["conditions"]?.arrayValue?.first { $0["type"] == "Applied" }?["message"]?.stringValue
            let message = [failed.map { identity($0["identifier"] ?? .emptyObject) }, reason].compactMap { $0 }.joined(separator: ": ")
            let text = message.isEmpty ? conditions.first { $0["type"] == "Applied" }?["message"]?.stringValue ?? "not applied" : message
            let last = member?.failures[placement]
            let failure = MemberApplyFailed(
                cluster: cluster, placement: placement, resourceIndex: index, message: text, resource: failed?["identifier"].map(resourceIdentifier))
            event = last == failure ? nil : .memberApplyFailed(failure)
        } else {
            event = nil
        }
        return event.map { ("member/\(cluster)", [$0]) }
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
