import FleetAPI
import Foundation

/// `meta.k8s.io/v1` Tables: the seed's columns with server-computed ages, and each row's metadata so
/// `--show-labels` and `-A` work.
enum Tables {
    static func columnDefinitions(_ kind: ResourceKind) -> JSON {
        .array(
            kind.printerColumns.map { column in
                let name = column.name.split(separator: "-").map { $0.prefix(1) + $0.dropFirst().lowercased() }.joined(separator: "-")
                return [
                    "name": .string(name), "type": .string(column.type),
                    "format": column.name == "NAME" ? "name" : "", "description": "", "priority": 0,
                ]
            })
    }

    static func row(_ columns: [PrinterColumn], _ object: JSON, now: Date) -> JSON {
        let cells = columns.map { JSON.string($0.cell(object, now)) }
        var metadata = object["metadata"] ?? .emptyObject
        if metadata["managedFields"] != nil {
            metadata["managedFields"] = nil
        }
        return [
            "cells": .array(cells),
            "object": ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": metadata],
        ]
    }

    /// The columns are built once per table, not once per row: a page holds hundreds of rows.
    static func table(_ kind: ResourceKind, _ objects: [JSON], resourceVersion: Int64, now: Date) -> JSON {
        let columns = kind.printerColumns
        return [
            "kind": "Table", "apiVersion": "meta.k8s.io/v1",
            "metadata": ["resourceVersion": .string(String(resourceVersion))],
            "columnDefinitions": columnDefinitions(kind),
            "rows": .array(objects.map { row(columns, $0, now: now) }),
        ]
    }
}
