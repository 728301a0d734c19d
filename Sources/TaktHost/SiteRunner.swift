import Foundation
import Logging
import TaktCore
import TaktStore
import TaktSync

/// `takt site run`: the site's long-running services — the sync agent, and the timer that raises findings for
/// overdue checks, expired lots and reels past floor life — until cancelled.
public struct SiteRunner: Sendable {
    public let sitePath: String
    public let host: SiteHost
    public let client: CentralClient
    public let policy: SyncPolicy
    public let registry: ModuleRegistry
    /// How often the clock sweep runs.
    public let sweepInterval: Double
    let logger: Logger

    public init(
        sitePath: String, host: SiteHost, client: CentralClient, registry: ModuleRegistry,
        policy: SyncPolicy = SyncPolicy(),
        sweepInterval: Double = 60, logger: Logger = Logger(label: "takt.site")
    ) {
        self.sitePath = sitePath
        self.host = host
        self.client = client
        self.policy = policy
        self.registry = registry
        self.sweepInterval = sweepInterval
        self.logger = logger
    }

    public func agent() -> SyncAgent {
        let pushed = PushedConfiguration(sitePath: sitePath, store: host.store, registry: registry)
        let host = self.host
        return SyncAgent(
            outbox: SiteOutbox(store: host.store), client: client, policy: policy, logger: logger,
            answer: { requests in host.answer(requests, at: Date()) },
            install: { [logger] releases in
                for line in PublishedExtensions(sitePath: sitePath, registry: registry).install(releases)
                where !line.contains("versions never go backwards") {
                    logger.info("\(line)")
                }
            }
        ) { document in
            pushed.apply(document)
        }
    }

    /// Runs the agent and the sweep until the task is cancelled.
    public func run() async {
        let agent = agent()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await agent.run() }
            group.addTask {
                while !Task.isCancelled {
                    do {
                        // Rules may have changed through pushed configuration: load them afresh.
                        let definition = try SiteLoader(registry: registry).load(path: sitePath)
                        let current = SiteHost(definition: definition, store: host.store)
                        let found = try current.sweep(at: Date())
                        if !found.isEmpty { logger.info("sweep raised \(found.count) finding(s)") }
                        // Alerts go out from the site itself, so they reach people while central is unreachable.
                        let delivered = try await current.deliverAlerts(at: Date(), through: NetworkAlertChannels())
                        if delivered.failed > 0 {
                            logger.warning("\(delivered.failed) alert(s) not delivered; retrying")
                        }
                    } catch {
                        logger.error("sweep failed: \(error)")
                    }
                    try? await Task.sleep(for: .milliseconds(Int(sweepInterval * 1000)))
                }
            }
        }
    }
}
