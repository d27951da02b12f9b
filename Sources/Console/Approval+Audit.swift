public import FleetAPI
import Foundation

extension Approval {
    /// Who approved each approval request, by request name, from the lines of the hub's audit
    /// (`GET /flotilla/v1/audit?run=`): `flotilla status`, `flotilla timeline` and the web console read the same.
    public static func byRequest(auditLines lines: [JSON]) -> [String: Approval] {
        var approvals: [String: Approval] = [:]
        for line in lines where line["action"]?.stringValue == "Approved" {
            guard let object = line["object"]?.stringValue, let actor = line["actor"]?.stringValue,
                let time = line["time"]?.stringValue.flatMap(KubeTime.parse)
            else { continue }
            // The audit names the request by its journal stream, `Kind/name` or `Kind/namespace/name`.
            let request = String(object.split(separator: "/").last ?? "")
            approvals[request] = Approval(by: actor, at: time, message: line["message"]?.stringValue ?? "")
        }
        return approvals
    }
}
