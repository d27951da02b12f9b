import ArgumentParser
import FleetAPI
import Foundation

extension Flotilla {
    /// KubeFleet's `kubectl fleet draincluster`: cordon the member with a taint no placement tolerates, so no
    /// scheduler picks it again, then evict every ClusterResourcePlacement from it, each as far as its disruption
    /// budget allows, twice over to catch a placement that landed meanwhile.
    struct Drain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take a member cluster out of rotation: cordon it and evict every placement from it.",
            discussion: "Adds the cordon taint (cordon-key=cordon-value:NoSchedule) to the MemberCluster, then creates a "
                + "ClusterResourcePlacementEviction for each ClusterResourcePlacement on the cluster and waits for each to be "
                + "executed or refused. An eviction a disruption budget blocks leaves that placement in place; run drain "
                + "again later. `flotilla uncordon` removes the taint.")

        @Argument(help: "The member cluster's name.")
        var cluster: String

        @Option(name: .long, help: "How long to wait for every eviction, as a Go duration (default 5m).")
        var timeout: String = "5m"

        @OptionGroup var connection: HubConnection

        func validate() throws {
            guard GoDuration(parsing: timeout) != nil else {
                throw ValidationError("--timeout \"\(timeout)\" is not a duration such as 90s or 5m")
            }
        }

        func run() async throws {
            let hub = HubClient(try connection.resolve())
            let seconds = Double(GoDuration(parsing: timeout)!.milliseconds) / 1000
            let deadline = Date().addingTimeInterval(seconds)
            let drained = try await drain(hub, deadline: deadline)
            print("drain was \(drained ? "" : "not ")successful for cluster \(cluster)")
            print("retrying drain to ensure all resources propagated from hub cluster are evicted")
            let retried = try await drain(hub, deadline: deadline)
            print("drain retry was \(retried ? "" : "not ")successful for cluster \(cluster)")
            print("reminder: uncordon the cluster \(cluster) to remove cordon taint if needed")
        }

        private func drain(_ hub: HubClient, deadline: Date) async throws -> Bool {
            try await Cordon.setTaint(true, on: cluster, hub: hub)
            print("Successfully cordoned member cluster \(cluster) by adding cordon taint")
            let placements = try await placementsOnCluster(hub)
            if placements.isEmpty {
                print("There are currently no resources propagated to \(cluster) from fleet using ClusterResourcePlacement resources")
                return true
            }
            var successful = true
            for placement in placements {
                let name = "drain-eviction-\(placement)-\(cluster)-\(UUID().uuidString.lowercased().prefix(8))"
                let eviction: JSON = [
                    "apiVersion": "placement.kubernetes-fleet.io/v1beta1", "kind": "ClusterResourcePlacementEviction",
                    "metadata": ["name": .string(name)],
                    "spec": ["placementName": .string(placement), "clusterName": .string(cluster)],
                ]
                let (created, code) = try await hub.request("POST", Self.evictions, body: Data(eviction.serialized()))
                guard code == 201 || code == 200 else { throw HubClient.failure(created, code) }
                print("Created eviction \(name) for CRP \(placement) targeting member cluster \(cluster)")
                let conditions = try await terminalConditions(of: name, hub: hub, deadline: deadline, placement: placement)
                let valid = conditions.first { $0["type"] == "Valid" }
                if valid?["status"] == "False" {
                    print("eviction \(name) is invalid for CRP \(placement) targeting member cluster \(cluster): "
                        + "\(valid?["message"]?.stringValue ?? ""), but drain will succeed")
                    continue
                }
                let executed = conditions.first { $0["type"] == "Executed" }
                guard executed?["status"] == "True" else {
                    successful = false
                    print("eviction \(name) was not executed successfully for CRP \(placement) targeting member cluster \(cluster): "
                        + (executed?["message"]?.stringValue ?? ""))
                    continue
                }
                print("eviction \(name) was executed successfully for CRP \(placement) targeting member cluster \(cluster)")
            }
            return successful
        }

        static let evictions = "/apis/placement.kubernetes-fleet.io/v1beta1/clusterresourceplacementevictions"

        /// The placements whose status places them on the cluster.
        private func placementsOnCluster(_ hub: HubClient) async throws -> [String] {
            let (body, code) = try await hub.request("GET", "/apis/placement.kubernetes-fleet.io/v1beta1/clusterresourceplacements")
            guard code == 200 else { throw HubClient.failure(body, code) }
            let list = try JSON.parse(Array(body))
            return (list["items"]?.arrayValue ?? []).filter { placement in
                (placement[path: ["status", "placementStatuses"]]?.arrayValue ?? []).contains { $0["clusterName"]?.stringValue == cluster }
            }.compactMap { $0[path: ["metadata", "name"]]?.stringValue }.sorted()
        }

        /// Polls, as KubeFleet's tool does, until the eviction is refused or executed.
        private func terminalConditions(of name: String, hub: HubClient, deadline: Date, placement: String) async throws -> [JSON] {
            while true {
                let (body, code) = try await hub.request("GET", Self.evictions + "/\(name)")
                guard code == 200 else { throw HubClient.failure(body, code) }
                let conditions = try JSON.parse(Array(body))[path: ["status", "conditions"]]?.arrayValue ?? []
                if conditions.contains(where: { $0["type"] == "Executed" || ($0["type"] == "Valid" && $0["status"] == "False") }) {
                    return conditions
                }
                guard Date() < deadline else {
                    throw CommandError(
                        "failed to wait for eviction \(name) for CRP \(placement) targeting member cluster \(cluster) to reach terminal state")
                }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// KubeFleet's `kubectl fleet uncordoncluster`: the cordon taint comes off, so schedulers may pick the cluster
    /// again.
    struct Uncordon: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put a drained member cluster back into rotation by removing its cordon taint.")

        @Argument(help: "The member cluster's name.")
        var cluster: String

        @OptionGroup var connection: HubConnection

        func run() async throws {
            try await Cordon.setTaint(false, on: cluster, hub: HubClient(try connection.resolve()))
            print("uncordoned member cluster \(cluster)")
        }
    }

    /// The taint `draincluster` adds and `uncordoncluster` removes.
    enum Cordon {
        static let taint: JSON = ["key": "cordon-key", "value": "cordon-value", "effect": "NoSchedule"]

        /// Adds or removes the cordon taint, retrying when someone else changed the member meanwhile.
        static func setTaint(_ present: Bool, on cluster: String, hub: HubClient) async throws {
            let path = "/apis/cluster.kubernetes-fleet.io/v1beta1/memberclusters/\(cluster)"
            for _ in 0..<10 {
                let (body, code) = try await hub.request("GET", path)
                guard code == 200 else { throw HubClient.failure(body, code) }
                var member = try JSON.parse(Array(body))
                let taints = member[path: ["spec", "taints"]]?.arrayValue ?? []
                guard taints.contains(taint) != present else { return }
                member[path: ["spec", "taints"]] = .array(present ? taints + [taint] : taints.filter { $0 != taint })
                let (updated, status) = try await hub.request("PUT", path, body: Data(member.serialized()))
                if status == 200 { return }
                guard status == 409 else { throw HubClient.failure(updated, status) }
            }
            throw CommandError("could not update member cluster \(cluster): it kept changing")
        }
    }
}
