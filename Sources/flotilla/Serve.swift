import Access
import ArgumentParser
import Foundation
import HubServer
import KubeClient
import Logging
import NIOSSL
import Rollout

extension Character {
    fileprivate var isLetterOrDigitASCII: Bool { ("a"..."z").contains(self) || ("0"..."9").contains(self) }
}

extension Flotilla {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the hub's Kubernetes API over HTTPS, resuming from the journal file.",
            discussion: """
                On first start it creates, in the .pki directory beside the journal, a CA, a serving certificate \
                (localhost, 127.0.0.1, --host and every --tls-san) and an admin client certificate (group \
                system:masters). Clients authenticate with a client certificate signed by the CA (or --client-ca-file), \
                a token from --token-auth-file, or a ServiceAccount token (`kubectl create token`); RBAC decides what \
                each may do. Point kubectl at it with the kubeconfig `flotilla kubeconfig --db FILE` writes.
                """)

        @Option(
            name: .long,
            help: "The journal: a file, or a PostgreSQL URL (postgres://USER@HOST:PORT/DB); created when missing, resumed when present.")
        var db: String = "flotilla.journal"

        @Option(name: .long, help: "The address to listen on.")
        var host: String = "127.0.0.1"

        @Option(name: .long, help: "The port to listen on; 0 picks a free one and prints it.")
        var port: Int = Flotilla.defaultPort

        @Option(name: .long, help: "Seconds each simulated member takes to apply a snapshot.")
        var memberLatency: Double = 15

        @Option(name: .long, help: "simulated: members in process, so the tutorial needs nothing else; agents: real clusters, each joined by a `flotilla agent` that applies the Works the hub writes into fleet-member-<name>.")
        var members: MembersMode = .simulated

        @Option(name: .long, help: "With --members agents: seconds without a heartbeat after which a member turns Joined=Unknown and leaves scheduling.")
        var memberHeartbeatTimeout: Double = AgentMembers().heartbeatTimeout

        @Option(name: .long, help: "Watches served at once; more get 429 Too Many Requests.")
        var maxWatches: Int = WatchLimits().maxWatches

        @Option(name: .long, help: "Requests other than watches one user may have in flight at once; more get 429 (system:masters is exempt).")
        var maxRequestsPerUser: Int = RequestLimiter.Limits().requests

        @Option(name: .long, help: "Watches one user may hold open at once; more get 429 (system:masters is exempt).")
        var maxWatchesPerUser: Int = RequestLimiter.Limits().watches

        @Option(name: .customLong("tls-san"), help: "Another DNS name or IP address for the generated serving certificate; repeatable.")
        var tlsSANs: [String] = []

        @Option(name: .customLong("tls-cert-file"), help: "Serve this PEM certificate (chain) instead of the generated one.")
        var tlsCertFile: String?

        @Option(name: .customLong("tls-private-key-file"), help: "The PEM private key of --tls-cert-file.")
        var tlsPrivateKeyFile: String?

        @Option(name: .customLong("client-ca-file"), help: "Trust client certificates signed by these PEM CAs instead of the hub's own CA.")
        var clientCAFile: String?

        @Option(name: .customLong("token-auth-file"), help: "A static token file, the API server's CSV: token,user,uid[,\"group1,group2\"].")
        var tokenAuthFile: String?

        @Option(name: .customLong("encrypt-kinds"), help: "The kinds the journal and its checkpoints hold encrypted (AES-GCM, a data key per object, wrapped by the key in the .pki directory); comma-separated resource names, \"\" for none.")
        var encryptKinds: [String] = Flotilla.encryptedByDefault

        @Flag(name: .customLong("insecure-http"), help: "Serve plain HTTP with no authentication or authorization, for local experiments; loopback addresses only.")
        var insecureHTTP = false

        @Flag(name: .long, help: "Serve the Kubernetes API alone, with none of Fleet's controllers or simulated members: a stand-in for a member cluster's API server.")
        var plain = false

        @Option(name: .customLong("simulate-workloads"), help: ArgumentHelp("With --plain: Deployments, StatefulSets, DaemonSets and Jobs report rolled out this many seconds after their spec last changed.", valueName: "seconds"))
        var simulateWorkloads: Double?

        @Option(name: .customLong("fail-workload"), help: ArgumentHelp("With --simulate-workloads: this workload never becomes available; NAME (any namespace) or NAMESPACE/NAME; repeatable.", valueName: "name"))
        var failWorkloads: [String] = []

        @Option(name: .customLong("fail-member"), help: ArgumentHelp("With simulated members: this member reports every apply as failed with MESSAGE, to try failure budgets; repeatable.", valueName: "name=message"))
        var failMembers: [String] = []

        @Option(name: .customLong("advertise-url"), help: ArgumentHelp("With a PostgreSQL --db: where the other hubs and clients reach this one, to pass writes to it while it leads; the scheme, --host and the bound port by default.", valueName: "URL"))
        var advertiseURL: String?

        @Option(name: .long, help: "With a PostgreSQL --db: seconds a leader's lease lasts; it renews it every third of that, and a follower takes over within about 4/3 of it once the leader is gone.")
        var lease: Double = 6

        @Flag(name: .long, help: "Log every request.")
        var verbose = false

        @Flag(name: .long, help: "Serve the journal for inspection only: refuse every write, and start even on a broken hash chain (showing the state before the break).")
        var readOnly = false

        func validate() throws {
            _ = try JournalDB(db)
            guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
            guard memberLatency >= 0 else { throw ValidationError("--member-latency must be 0 or more seconds") }
            guard maxWatches >= 1 else { throw ValidationError("--max-watches must be at least 1") }
            guard memberHeartbeatTimeout > 0 else { throw ValidationError("--member-heartbeat-timeout must be more than 0 seconds") }
            if plain && members == .agents {
                throw ValidationError("--members agents needs a Fleet hub: a --plain server has no members")
            }
            guard lease >= 1, lease <= 600 else { throw ValidationError("--lease must be from 1 to 600 seconds, not \(lease)") }
            if let advertiseURL {
                guard let url = URL(string: advertiseURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                    throw ValidationError("--advertise-url must be an http(s) URL such as https://hub-2.example:8443, not \"\(advertiseURL)\"")
                }
            }
            guard maxRequestsPerUser >= 1 else { throw ValidationError("--max-requests-per-user must be at least 1") }
            guard maxWatchesPerUser >= 1 else { throw ValidationError("--max-watches-per-user must be at least 1") }
            _ = try Flotilla.kinds(encryptKinds)
            if let simulateWorkloads {
                guard plain else { throw ValidationError("--simulate-workloads needs --plain: a Fleet hub's workloads are not run, only placed") }
                guard simulateWorkloads >= 0, simulateWorkloads.isFinite else {
                    throw ValidationError("--simulate-workloads must be 0 or more seconds, not \(simulateWorkloads)")
                }
            }
            if !failWorkloads.isEmpty && simulateWorkloads == nil {
                throw ValidationError("--fail-workload needs --simulate-workloads: only simulated workloads can be made to fail")
            }
            for name in failWorkloads where !Self.isWorkloadName(name) {
                throw ValidationError("--fail-workload takes NAME or NAMESPACE/NAME (lowercase letters, digits, '-' and '.'), not \"\(name)\"")
            }
            if !failMembers.isEmpty && (plain || members != .simulated) {
                throw ValidationError("--fail-member needs simulated members: only they can be made to fail")
            }
            for entry in failMembers where !entry.contains("=") || entry.hasPrefix("=") {
                throw ValidationError("--fail-member takes NAME=MESSAGE, not \"\(entry)\"")
            }
            if (tlsCertFile == nil) != (tlsPrivateKeyFile == nil) {
                throw ValidationError("--tls-cert-file and --tls-private-key-file go together: give both or neither")
            }
            if insecureHTTP {
                guard Self.isLoopback(host) else {
                    throw ValidationError("--insecure-http serves without authentication, so only on a loopback address (127.0.0.1, ::1, localhost), not --host \(host)")
                }
                let tlsFlags = [tlsCertFile, tlsPrivateKeyFile, clientCAFile, tokenAuthFile].contains { $0 != nil } || !tlsSANs.isEmpty
                if tlsFlags {
                    throw ValidationError("--insecure-http takes no TLS or authentication flags (--tls-*, --client-ca-file, --token-auth-file)")
                }
            }
        }

        enum MembersMode: String, ExpressibleByArgument, CaseIterable {
            case simulated, agents
        }

        var memberAdapter: any MemberAdapter {
            switch members {
            case .simulated: SimulatedMembers(latency: memberLatency, failing: failing)
            case .agents: AgentMembers(heartbeatTimeout: memberHeartbeatTimeout)
            }
        }

        /// Each `--fail-member NAME=MESSAGE`, the last one for a name winning.
        var failing: [String: String] {
            Dictionary(failMembers.map { entry in
                let parts = entry.split(separator: "=", maxSplits: 1)
                return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
            }, uniquingKeysWith: { _, last in last })
        }

        /// `NAME` or `NAMESPACE/NAME`, each a DNS subdomain as object names are.
        static func isWorkloadName(_ text: String) -> Bool {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            return (1...2).contains(parts.count) && parts.allSatisfy { part in
                !part.isEmpty && part.count <= 253 && part.first!.isLetterOrDigitASCII && part.last!.isLetterOrDigitASCII
                    && part.allSatisfy { $0.isLetterOrDigitASCII || $0 == "-" || $0 == "." }
            }
        }

        /// Fleet's controllers, or a plain API server's with the workloads it simulates.
        var controllers: ControllerSet {
            guard plain else { return .hub }
            return .plain(workloads: simulateWorkloads.map { WorkloadSimulation(delay: $0, failing: failWorkloads) })
        }

        static func isLoopback(_ host: String) -> Bool {
            host == "localhost" || host == "::1" || host.hasPrefix("127.")
        }

        func run() async throws {
            var logger = Logger(label: "flotilla")
            logger.logLevel = verbose ? .debug : .info
            let hub: Hub
            let journalDB = try JournalDB(db)
            if !readOnly, case .file(let db) = journalDB.location, FileManager.default.fileExists(atPath: db),
                !FileManager.default.isWritableFile(atPath: db)
            {
                throw Failure("cannot serve \(db): the journal file is not writable (a read-only file or file system); "
                    + "serve it with --read-only to inspect it")
            }
            let security = try insecureHTTP ? ServerSecurity.insecure : secure()
            do {
                let journal = try journalDB.open(readOnly: readOnly)
                hub = try Hub(
                    journal: journal, clock: SystemClock(), members: memberAdapter,
                    controllers: controllers, limits: WatchLimits(maxWatches: maxWatches), readOnly: readOnly, sealing: try sealing(), logger: logger)
            } catch {
                throw Failure("cannot serve \(journalDB): \(error)")
            }
            defer { hub.journal.close() }
            let shared = !readOnly && journalDB.isShared
            // A hub on a shared journal writes only once it wins the lease; until then it follows.
            if shared {
                await hub.demote(reason: "this hub has not won the journal's lease yet")
            } else {
                try await hub.resume()
                try await prepareToLead(hub)
            }
            await hub.startNotifications(transport: SinkTransport())
            let events = await hub.state.lastSeq
            let kind = plain ? ", plain" : ""
            let mode = shared ? ", shared: this hub writes while it holds the journal's lease" : await hub.refusal.map { " READ-ONLY: \($0)" } ?? ""
            var server = HubServer(hub: hub, host: host, port: port, security: security, logger: logger)
            if shared { server.leadership = try leadership(hub, credentials: journalDB.credentialsBase, logger: logger) }
            let host = self.host
            let db = journalDB.description
            let scheme = insecureHTTP ? "http" : "https"
            if insecureHTTP {
                FileHandle.standardError.write(Data(
                    "flotilla: WARNING: --insecure-http: plain HTTP, no authentication, no authorization: anyone who can reach \(host) may do anything\n".utf8))
            }
            let (advertised, leadership) = (advertiseURL, server.leadership?.service)
            try await server.run { bound in
                leadership?.listening(at: advertised ?? "\(scheme)://\(host):\(bound)")
                // Written unbuffered: scripts wait for this line to learn the port.
                FileHandle.standardOutput.write(Data("flotilla: serving \(scheme)://\(host):\(bound) (journal \(db), \(events) events\(kind))\(mode)\n".utf8))
            }
        }

        /// What a hub does before it first serves as the writer: the default RBAC, a plain server's namespaces, and
        /// its clock.
        func prepareToLead(_ hub: Hub) async throws {
            if !insecureHTTP, await hub.refusal == nil {
                try await BootstrapReconciler.reconcile(hub)
            }
            if plain, await hub.refusal == nil {
                try await SystemNamespaces.ensure(hub)
            }
            await hub.startRealTime()
        }

        /// Campaigns for a shared journal's lease, and passes writes to the leader over the hubs' proxy
        /// certificate (the credentials every hub of the journal shares).
        func leadership(_ hub: Hub, credentials base: String, logger: Logger) throws -> (service: HubLeadership, forwarding: LeaderForwarding) {
            let holder = "\(ProcessInfo.processInfo.hostName)-\(getpid())-\(UUID().uuidString.prefix(8).lowercased())"
            let service = HubLeadership(hub: hub, holder: holder, lease: .milliseconds(Int64(lease * 1000)), logger: logger) { hub in
                try await prepareToLead(hub)
                await hub.startNotifications(transport: SinkTransport())
            }
            var proxy = KubeEndpoint(server: "")
            if !insecureHTTP {
                let credentials = try HubCredentials.load(journal: base)
                proxy.certificateAuthority = try String(contentsOfFile: credentials.caFile, encoding: .utf8)
                proxy.clientCertificate = try String(contentsOfFile: credentials.proxyCertificateFile, encoding: .utf8)
                proxy.clientKey = try String(contentsOfFile: credentials.proxyKeyFile, encoding: .utf8)
            }
            return (service, LeaderForwarding(proxy: proxy, leader: { service.leaderAddress() }, role: { service.role() }))
        }

        /// What the journal holds encrypted: the keys beside it, made on first start. Objects sealed before
        /// are opened whatever the flag says now, so changing it never makes a past value unreadable.
        func sealing() throws -> Sealing? {
            let kinds = try Flotilla.kinds(encryptKinds)
            let journalDB = try JournalDB(db)
            let directory = HubCredentials.directory(forJournal: journalDB.credentialsBase)
            // A hub that only shows the journal writes nothing, keys included.
            if readOnly { return try Flotilla.unsealing(journal: journalDB) }
            guard !kinds.isEmpty || DataKeys.exist(in: directory) else { return nil }
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            return Sealing(keys: try DataKeys(directory: directory, create: true), kinds: kinds)
        }

        /// TLS with the generated or given certificates, and every authenticator the flags turn on.
        func secure() throws -> ServerSecurity {
            do {
                let credentials = try HubCredentials.prepare(journal: JournalDB(db).credentialsBase, hosts: [host] + tlsSANs)
                let chain = try NIOSSLCertificate.fromPEMFile(tlsCertFile ?? credentials.serverCertificateFile)
                let key = try NIOSSLPrivateKey(file: tlsPrivateKeyFile ?? credentials.serverKeyFile, format: .pem)
                let authorities = try HubCredentials.certificates(clientCAFile ?? credentials.caFile)
                let tokens = try tokenAuthFile.map { try TokenFile(path: $0) }
                let authenticator = Authenticator(
                    certificates: ClientCertificates(authorities: authorities), tokenFile: tokens,
                    serviceAccounts: ServiceAccountTokens(key: credentials.serviceAccountKey), frontProxy: credentials.frontProxy)
                return ServerSecurity(
                    tls: ServerSecurity.tls(certificateChain: chain, privateKey: key), authenticator: authenticator,
                    userLimits: RequestLimiter.Limits(requests: maxRequestsPerUser, watches: maxWatchesPerUser))
            } catch let error as NIOSSLError {
                throw Failure("cannot load the TLS certificate or key: \(error)")
            } catch let error as BoringSSLError {
                throw Failure("cannot load the TLS certificate or key: \(error)")
            }
        }
    }
}
