import Agent
import ArgumentParser
import Foundation
import KubeClient
import Logging

extension Flotilla {
    struct AgentCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "agent",
            abstract: "Join a member cluster to a hub and apply the hub's Works to it, as KubeFleet's member agent.",
            discussion: "Heartbeats into the MemberCluster's status on the hub, watches the Works in the hub namespace "
                + "fleet-member-<member>, applies them to the member cluster through its Kubernetes API (field manager "
                + "flotilla-agent) and reports each Work's status back. The member is reached with --kubeconfig, else "
                + "the pod's service account when run in a cluster, else $KUBECONFIG or ~/.kube/config.")

        @Option(name: .long, help: "The member cluster's name: its MemberCluster on the hub.")
        var member: String

        @Option(name: .customLong("hub-kubeconfig"), help: "The kubeconfig reaching the hub.")
        var hubKubeconfig: String

        @Option(name: .customLong("hub-context"), help: "The context of --hub-kubeconfig to use; its current context when left out.")
        var hubContext: String?

        @Option(name: .long, help: "The kubeconfig reaching the member cluster.")
        var kubeconfig: String?

        @Option(name: .long, help: "The context of the member's kubeconfig to use; its current context when left out.")
        var context: String?

        @Option(name: .customLong("heartbeat-seconds"), help: "Heartbeat this often instead of the MemberCluster's spec.heartbeatPeriodSeconds.")
        var heartbeatSeconds: Int?

        @Option(name: .customLong("request-timeout"), help: "Seconds one request to the hub or the member may take (watches excepted).")
        var requestTimeout = 30

        @Flag(name: .long, help: "Log every pass over every Work.")
        var verbose = false

        func validate() throws {
            // A MemberCluster name is a DNS label, and it names the hub namespace fleet-member-<name>.
            let label = /[a-z0-9]([-a-z0-9]*[a-z0-9])?/
            guard member.count <= 50, (try? label.wholeMatch(in: member)) != nil else {
                throw ValidationError("--member must be a DNS label of at most 50 characters (lower-case letters, digits, '-'), got \"\(member)\"")
            }
            if let heartbeatSeconds, !(1...600).contains(heartbeatSeconds) {
                throw ValidationError("--heartbeat-seconds must be between 1 and 600, got \(heartbeatSeconds)")
            }
            guard (1...600).contains(requestTimeout) else {
                throw ValidationError("--request-timeout must be between 1 and 600 seconds, got \(requestTimeout)")
            }
        }

        func run() async throws {
            var logger = Logger(label: "flotilla-agent")
            logger.logLevel = verbose ? .debug : .info
            let hub = try endpoint(Kubeconfig.load(explicit: hubKubeconfig, flag: "--hub-kubeconfig"), context: hubContext, flag: "--hub-kubeconfig")
            let memberEndpoint: KubeEndpoint
            if kubeconfig == nil, let inCluster = try KubeEndpoint.inCluster() {
                memberEndpoint = inCluster
            } else {
                memberEndpoint = try endpoint(Kubeconfig.load(explicit: kubeconfig), context: context, flag: "--kubeconfig")
            }
            let agent = try MemberAgent(
                .init(memberName: member, hub: hub, member: memberEndpoint, heartbeatPeriod: heartbeatSeconds.map { .seconds($0) },
                    requestTimeout: .seconds(requestTimeout)),
                logger: logger)
            await agent.run()
        }

        private func endpoint(_ config: Kubeconfig, context: String?, flag: String) throws -> KubeEndpoint {
            let endpoint = try config.endpoint(context: context)
            guard let url = URL(string: endpoint.server), url.host != nil else {
                throw CommandError("\(flag): the kubeconfig's context names no server")
            }
            return endpoint
        }
    }
}
