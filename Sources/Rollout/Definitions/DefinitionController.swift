import FleetAPI
import Foundation

/// The API server's naming and establishing controllers for CustomResourceDefinitions: a definition whose
/// names no other kind in its group uses is accepted and established at once, and its kinds are served from
/// then on (`HubState.kinds`).
public enum DefinitionController {
    public static let actor = "controller/apiextensions"

    public static func reconcile(_ key: ObjectKey, in state: HubState, now: Date) -> [FleetEvent] {
        guard let object = state.objects[key] else { return [] }
        let desired = status(object.json, in: state, now: now)
        return desired == object.status ? [] : [.objectStatusUpdated(ObjectStatusUpdated(key: key, status: desired))]
    }

    /// The status the definition should have now: accepted names, conditions and stored versions.
    static func status(_ json: JSON, in state: HubState, now: Date) -> JSON {
        let current = json["status"] ?? .emptyObject
        let group = json[path: ["spec", "group"]]?.stringValue ?? ""
        let name = json[path: ["metadata", "name"]]?.stringValue ?? ""
        let conflict = CustomResourceDefinition.conflict(json, taken: state.kinds.kinds(inGroup: group, except: name))
        let wasEstablished = CustomResourceDefinition.condition(json, "Established") == "True"
        var conditions = current["conditions"]?.arrayValue ?? []
        func set(_ type: String, _ status: String, _ reason: String, _ message: String) {
            let existing = conditions.firstIndex { $0["type"]?.stringValue == type }
            var condition: JSON = [
                "type": .string(type), "status": .string(status), "reason": .string(reason), "message": .string(message),
                "lastTransitionTime": .string(KubeTime.format(now)),
            ]
            if let existing {
                if conditions[existing]["status"]?.stringValue == status {
                    condition["lastTransitionTime"] = conditions[existing]["lastTransitionTime"]
                }
                conditions[existing] = condition
            } else {
                conditions.append(condition)
            }
        }
        var status = current
        if let conflict {
            set("NamesAccepted", "False", conflict.reason, conflict.message)
            if !wasEstablished { set("Established", "False", "NotAccepted", "not all names are accepted") }
            if status["acceptedNames"] == nil { status["acceptedNames"] = ["plural": "", "kind": ""] }
        } else {
            set("NamesAccepted", "True", "NoConflicts", "no conflicts found")
            set("Established", "True", "InitialNamesAccepted", "the initial names have been accepted")
            status["acceptedNames"] = CustomResourceDefinition.requestedNames(json)
        }
        status["conditions"] = .array(conditions)
        var stored = current["storedVersions"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let storage = json[path: ["spec", "versions"]]?.arrayValue?.first { $0["storage"]?.boolValue == true }?["name"]?.stringValue
        if let storage, !stored.contains(storage) { stored.append(storage) }
        status["storedVersions"] = .array(stored.map(JSON.string))
        return status
    }
}
