import Foundation
import Testing

@testable import Agent
@testable import FleetAPI

func json(_ text: String) -> JSON {
    try! JSON.parse(text)
}

let t0 = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

func identifier(_ ordinal: Int, _ kind: String = "ConfigMap", name: String = "cm", group: String = "", resource: String = "configmaps")
    -> ManifestIdentifier
{
    ManifestIdentifier(ordinal: ordinal, group: group, version: "v1", kind: kind, resource: resource, namespace: "app", name: name)
}
