public import FleetAPI
import Foundation
public import KubeClient
import Logging

/// Applies one Work's manifests to the member cluster and says how each went, as KubeFleet's work applier
/// does: an `AppliedWork` per Work owns what it applied and lists it, so that what a Work drops (or everything,
/// when the Work is deleted) is removed, and only that; objects already applied with the same manifest (by their
/// spec-hash annotation) are not applied again.
public struct WorkApplier: Sendable {
    let member: KubeClient
    let discovery: Discovery
    let appliedWorks: AppliedWorks
    let logger: Logger

    public init(member: KubeClient, discovery: Discovery, appliedWorks: AppliedWorks, logger: Logger) {
        self.member = member
        self.discovery = discovery
        self.appliedWorks = appliedWorks
        self.logger = logger
    }

    /// One pass over a Work: the outcome per manifest, in the Work's order.
    public func reconcile(_ work: JSON) async -> [ManifestOutcome] {
        let name = work["metadata"]?["name"]?.stringValue ?? ""
        let manifests = work["spec"]?["workload"]?["manifests"]?.arrayValue ?? []
        var bundles = await manifests.enumerated().asyncMap { await bundle(ordinal: $0.offset, manifest: $0.element) }
        markDuplicates(&bundles)
        let strategy: ApplyStrategy
        do {
            strategy = try ApplyStrategy(work["spec"]?["applyStrategy"])
        } catch {
            return bundles.map { ManifestOutcome(identifier: $0.identifier, apply: .decodingErred("\(error)")) }
        }
        let record: AppliedWorks.Record
        do {
            record = try await appliedWorks.ensure(work: name, namespace: work["metadata"]?["namespace"]?.stringValue ?? "")
            // Every listed manifest is kept, also one that fails now: only what the Work no longer lists goes.
            let keep = Set(bundles.map(\.identifier.objectKey))
            try await appliedWorks.remove(record.applied.filter { !keep.contains($0.objectKey) }, ownedBy: record.uid)
        } catch {
            return bundles.map { ManifestOutcome(identifier: $0.identifier, apply: .failedToApply("\(error)")) }
        }
        let owner = AgentMarks.ownerReference(appliedWork: name, uid: record.uid)
        var outcomes = bundles.map { ManifestOutcome(identifier: $0.identifier, apply: $0.failure ?? .applied) }
        let plan = ApplyWaves.plan(bundles, group: \.identifier.group, resource: { $0.type?.resource ?? "" })
        for wave in plan {
            let results = await withTaskGroup(of: (Int, ManifestOutcome).self) { group in
                for index in wave where bundles[index].failure == nil {
                    let bundle = bundles[index]
                    group.addTask {
                        (index, await process(bundle, strategy: strategy, owner: owner, appliedWork: record.uid))
                    }
                }
                var results: [(Int, ManifestOutcome)] = []
                for await result in group { results.append(result) }
                return results
            }
            for (index, outcome) in results { outcomes[index] = outcome }
        }
        let applied = outcomes.filter(\.apply.isApplied).map(\.identifier)
        do {
            try await appliedWorks.record(work: name, applied: applied)
        } catch {
            logger.warning("could not record what Work \(name) applied: \(error)")
        }
        return outcomes
    }

    /// A decoded manifest: where it goes, or why it cannot.
    struct Bundle: Sendable {
        var identifier: ManifestIdentifier
        var manifest: JSON
        var type: ResourceType?
        var failure: ApplyResult?
    }

    private func bundle(ordinal: Int, manifest: JSON) async -> Bundle {
        let apiVersion = manifest["apiVersion"]?.stringValue ?? ""
        let kind = manifest["kind"]?.stringValue ?? ""
        let metadata = manifest["metadata"] ?? .emptyObject
        let (group, version) = ResourceType.split(apiVersion: apiVersion)
        let identifier = ManifestIdentifier(
            ordinal: ordinal, group: group, version: version, kind: kind, resource: "",
            namespace: metadata["namespace"]?.stringValue ?? "", name: metadata["name"]?.stringValue ?? "")
        var bundle = Bundle(identifier: identifier, manifest: manifest)
        guard !apiVersion.isEmpty, !kind.isEmpty else {
            bundle.failure = .decodingErred("the manifest has no apiVersion or kind")
            return bundle
        }
        guard !identifier.name.isEmpty else {
            bundle.failure = metadata["generateName"] != nil
                ? .foundGenerateName("objects with generate names are not supported")
                : .decodingErred("the manifest has no metadata.name")
            return bundle
        }
        return await resolve(bundle, waitForDefinition: true)
    }

    /// The bundle with its resource type, or the reason it has none. A kind not served yet may be defined by a CRD
    /// of the same Work: with `waitForDefinition` it is left to be resolved again in its wave, after the CRDs'.
    private func resolve(_ bundle: Bundle, waitForDefinition: Bool) async -> Bundle {
        var bundle = bundle
        do throws(KubeError) {
            let type = try await discovery.resolve(apiVersion: bundle.manifest["apiVersion"]?.stringValue ?? "", kind: bundle.identifier.kind)
            bundle.identifier.resource = type.resource
            if type.namespaced && bundle.identifier.namespace.isEmpty { bundle.identifier.namespace = "default" }
            if !type.namespaced { bundle.identifier.namespace = "" }
            bundle.type = type
        } catch let error where error.isNotFound && waitForDefinition {
            return bundle
        } catch {
            bundle.failure = .decodingErred("failed to find the resource of the manifest: \(error)")
        }
        return bundle
    }

    /// A second manifest for an object already listed is refused, as KubeFleet does.
    private func markDuplicates(_ bundles: inout [Bundle]) {
        var seen: [String: Int] = [:]
        for index in bundles.indices where bundles[index].failure == nil {
            let key = bundles[index].identifier.objectKey
            if let first = seen[key] {
                bundles[index].failure = .duplicated("the manifest is a duplicate of the manifest at ordinal \(first)")
            } else {
                seen[key] = bundles[index].identifier.ordinal
            }
        }
    }

    private func process(_ bundle: Bundle, strategy: ApplyStrategy, owner: JSON, appliedWork uid: String) async -> ManifestOutcome {
        let bundle = bundle.type == nil ? await resolve(bundle, waitForDefinition: false) : bundle
        guard let type = bundle.type else {
            return ManifestOutcome(identifier: bundle.identifier, apply: bundle.failure ?? .decodingErred("no resource type"))
        }
        let id = bundle.identifier
        let namespace = type.namespaced ? id.namespace : nil
        var outcome = ManifestOutcome(identifier: id, apply: .applied)
        let live: JSON?
        do {
            live = try await member.get(type, namespace: namespace, name: id.name)
        } catch {
            outcome.apply = .failedToFindObject(
                "failed to find the corresponding object for the manifest object in the member cluster: \(error)")
            return outcome
        }
        outcome.memberGeneration = live.map { $0["metadata"]?["generation"]?.intValue ?? 0 }
        if strategy.type == .reportDiff {
            guard let live else {
                outcome.apply = .foundDiff
                outcome.diffs = [PatchDetail(path: "/", valueInMember: nil, valueInHub: "(the whole object)")]
                return outcome
            }
            outcome.diffs = ManifestDiff.diff(hub: bundle.manifest, member: live, full: strategy.comparisonOption == .full)
            outcome.apply = outcome.diffs.isEmpty ? .noDiffFound : .foundDiff
            return outcome
        }
        let hash = AgentMarks.hash(bundle.manifest)
        var owners = [owner]
        if let live {
            if AgentMarks.isOwned(live, byAppliedWork: uid) {
                // The same manifest applied before: nothing to do unless the object drifted from it since.
                if live["metadata"]?["annotations"]?[AgentMarks.specHash]?.stringValue == hash {
                    switch Drift.decide(live: live, manifest: bundle.manifest, strategy: strategy) {
                    case .upToDate:
                        outcome.availability = Availability.judge(group: id.group, kind: id.kind, object: live)
                        return outcome
                    case .refuse(let drifts):
                        outcome.apply = .foundDrifts(
                            "cannot apply manifest: drifts are found between the manifest and the object from the member cluster")
                        outcome.drifts = drifts
                        return outcome
                    case .reapply:
                        break
                    }
                }
                owners = AgentMarks.owners(of: live)
            } else {
                switch TakeOver.decide(live: live, manifest: bundle.manifest, strategy: strategy) {
                case .refuse(let result, let diffs):
                    outcome.apply = result
                    outcome.diffs = diffs
                    return outcome
                case .takeOver:
                    owners = AgentMarks.owners(of: live) + [owner]
                }
            }
        }
        var desired = bundle.manifest
        desired[path: ["metadata", "ownerReferences"]] = .array(owners)
        desired[path: ["metadata", "annotations", AgentMarks.specHash]] = .string(hash)
        do {
            let applied: JSON
            if strategy.type == .serverSideApply {
                applied = try await member.apply(
                    type, namespace: namespace, name: id.name, desired, fieldManager: AgentMarks.fieldManager,
                    force: strategy.force)
            } else {
                desired[path: ["metadata", "annotations", AgentMarks.lastApplied]] = .string(bundle.manifest.serializedString())
                if let live {
                    let last = live["metadata"]?["annotations"]?[AgentMarks.lastApplied]?.stringValue.flatMap { try? JSON.parse($0) }
                    applied = try await member.mergePatch(
                        type, namespace: namespace, name: id.name,
                        ThreeWayMerge.patch(lastApplied: last, manifest: desired, live: live),
                        fieldManager: AgentMarks.fieldManager)
                } else {
                    applied = try await member.create(type, namespace: namespace, desired)
                }
            }
            outcome.memberGeneration = applied["metadata"]?["generation"]?.intValue ?? 0
            outcome.availability = Availability.judge(group: id.group, kind: id.kind, object: applied)
        } catch {
            outcome.apply = .failedToApply("failed to apply the manifest: \(error)")
        }
        return outcome
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async -> T) async -> [T] {
        var results: [T] = []
        for element in self { results.append(await transform(element)) }
        return results
    }
}
