import Foundation
import Logging

/// The site's sync agent: sends the outbox to central one batch at a time, in sequence order, until central has
/// everything; retries with capped exponential backoff and full jitter (never giving up on facts); honours
/// `Retry-After`; moves a record central calls malformed to dead letters so it cannot block the rest; and pulls
/// newer configuration, which `apply` validates and installs.
public actor SyncAgent {
    let outbox: any SyncOutbox
    let client: CentralClient
    let policy: SyncPolicy
    let apply: @Sendable (ConfigDocument) async -> String?
    /// Installs extension releases central publishes (verifying their signatures); nil when the site takes none.
    let install: (@Sendable ([ExtensionRelease]) async -> Void)?
    /// Answers central's quote requests (into the outbox); nil when the site answers none.
    let answer: (@Sendable ([QuoteRequest]) async -> Void)?
    /// Requests already answered by this agent, so a request central lists again before the answer reaches it is
    /// not answered twice.
    var answered: Set<String> = []
    let logger: Logger
    var random: SystemRandomNumberGenerator
    var failures = 0
    var nextConfigCheck = Date.distantPast
    /// The next sequence number to send from (central's cursor + 1, as far as the agent knows).
    var cursor: Int64 = 0
    /// The batch format central said it reads when the agent last reconciled.
    var format = BatchBody.Format.quoted

    /// - Parameter apply: validates and installs a configuration document; returns nil on success or why it was
    ///   refused.
    public init(
        outbox: any SyncOutbox, client: CentralClient, policy: SyncPolicy = SyncPolicy(),
        logger: Logger = Logger(label: "takt.sync"), answer: (@Sendable ([QuoteRequest]) async -> Void)? = nil,
        install: (@Sendable ([ExtensionRelease]) async -> Void)? = nil,
        apply: @escaping @Sendable (ConfigDocument) async -> String?
    ) {
        self.install = install
        self.answer = answer
        self.outbox = outbox
        self.client = client
        self.policy = policy
        self.apply = apply
        self.logger = logger
        self.random = SystemRandomNumberGenerator()
    }

    /// Runs until cancelled.
    public func run() async {
        while !Task.isCancelled {
            let delay = await step()
            if delay > 0 { try? await Task.sleep(for: .milliseconds(Int(delay * 1000))) }
        }
    }

    /// Sends until the outbox is empty (or `deadline` passes); for tests and for draining before shutdown.
    /// Returns whether everything was acknowledged.
    public func drain(until deadline: Date) async -> Bool {
        while Date() < deadline {
            let delay = await step()
            if let last = try? outbox.lastSequence(), let acked = try? outbox.acknowledged(), acked >= last {
                return true
            }
            if delay > 0 { try? await Task.sleep(for: .milliseconds(Int(min(delay, 0.5) * 1000))) }
        }
        return false
    }

    /// One round: reconcile on start, check configuration when due, send one batch. Returns how long to wait.
    public func step() async -> Double {
        do {
            if cursor == 0 {
                if let recovery = try outbox.pendingRecovery() {
                    try await recover(epoch: recovery.epoch, through: recovery.through)
                }
                try await reconcile()
            }
            if Date() >= nextConfigCheck {
                nextConfigCheck = Date().addingTimeInterval(policy.configInterval)
                try await pullConfiguration()
                await answerQuotes()
                await installExtensions()
            }
            let sent = try await sendBatch()
            failures = 0
            try? outbox.recordAttempt(error: nil, at: Date())
            return sent ? 0 : policy.idleDelay
        } catch let error as SyncError {
            try? outbox.recordAttempt(error: error.description, at: Date())
            switch error {
            case .busy(let retryAfter):
                return max(retryAfter, backoff())
            case .gap(let expected):
                logger.info("central expects \(expected); resending from there")
                cursor = expected
                return 0
            default:
                logger.warning("sync failed: \(error)")
                return backoff()
            }
        } catch {
            try? outbox.recordAttempt(error: "\(error)", at: Date())
            return backoff()
        }
    }

    /// Full jitter: a random delay up to the capped exponential.
    func backoff() -> Double {
        failures += 1
        let cap = min(policy.maximumDelay, policy.baseDelay * pow(2, Double(min(failures, 30))))
        return Double.random(in: 0...cap, using: &random)
    }

    /// Settles a restored database's backup epoch with central before anything new is sent: the backup's
    /// records central never got are sent under their own epoch and sequence numbers (central keeps each once);
    /// the records central has from after the backup are kept in the site's recovered history. Safe to repeat:
    /// it starts again from central's cursor if it is interrupted.
    func recover(epoch: String, through: Int64) async throws {
        let settled = try await client.cursor(epoch: epoch)
        format = BatchBody.Format(advertised: settled.batchFormat)
        var acknowledged = settled.acknowledged
        while acknowledged < through {
            // The range ends at the last record sent: one past the byte budget is sent in the next batch.
            let records = Self.withinBytes(
                try outbox.restoredRecords(
                    after: acknowledged, limit: max(1, min(policy.batchSize, Batch.maximumRange))))
            guard let last = records.last else { break }
            let batch = Batch(
                site: outbox.siteID, epoch: epoch, first: acknowledged + 1, last: last.seq,
                records: records, configVersion: try outbox.configVersion(), sentAt: Date())
            let reply = try await client.send(batch, format: format)
            guard reply.acknowledged > acknowledged else { break }
            acknowledged = reply.acknowledged
        }
        var after = through
        while after < acknowledged {
            let reply = try await client.records(epoch: epoch, after: after, limit: 500)
            try outbox.keepRecovered(reply.records, epoch: epoch, at: Date())
            guard let last = reply.records.last?.seq, last > after else { break }
            after = last
        }
        try outbox.finishRecovery()
        logger.info("recovered after a restore: epoch \(epoch) settled through \(acknowledged)")
    }

    /// Asks central what it has, and marks those records acknowledged here.
    func reconcile() async throws {
        let reply = try await client.cursor(epoch: outbox.epoch)
        format = BatchBody.Format(advertised: reply.batchFormat)
        let local = try outbox.acknowledged()
        if reply.acknowledged > local { try outbox.acknowledge(through: reply.acknowledged, at: Date()) }
        cursor = reply.acknowledged + 1
    }

    func pullConfiguration() async throws {
        let current = try outbox.configVersion()
        guard let document = try await client.config(since: current), document.version > current else { return }
        if let refusal = await apply(document) {
            logger.error("configuration version \(document.version) refused: \(refusal)")
            try? outbox.recordAttempt(
                error: "configuration version \(document.version) refused: \(refusal)", at: Date())
        } else {
            logger.info("configuration version \(document.version) applied")
        }
    }

    /// Answers the quote requests central is waiting for from this site, each once. Never holds up the outbox: a
    /// central that does not know quote requests (an older version), or one that cannot answer now, is noted and
    /// asked again at the next configuration check.
    func answerQuotes() async {
        guard let answer else { return }
        let requests: [QuoteRequest]
        do { requests = try await client.quoteRequests().filter { !answered.contains($0.id) } } catch {
            logger.debug("quote requests not read: \(error)")
            return
        }
        guard !requests.isEmpty else { return }
        await answer(requests)
        answered.formUnion(requests.map(\.id))
    }

    /// Hands the extension releases central publishes to the installer, which verifies and keeps what is newer.
    /// Like quotes, never holds up the outbox.
    func installExtensions() async {
        guard let install else { return }
        do {
            let releases = try await client.extensionReleases()
            if !releases.isEmpty { await install(releases) }
        } catch {
            logger.debug("extension releases not read: \(error)")
        }
    }

    /// Sends the next batch; false when there was nothing to send.
    func sendBatch() async throws -> Bool {
        // The range a batch claims comes from the records read, never from a separate read of the last
        // sequence number: a write committed between two reads would make the batch claim records it does not
        // carry, and central would acknowledge what it never received.
        let records = Self.withinBytes(
            try outbox.records(after: cursor - 1, limit: max(1, min(policy.batchSize, Batch.maximumRange))))
        guard let upper = records.last?.seq, upper >= cursor else { return false }
        let dead = try outbox.deadLetters()
        if let only = records.first, records.count == 1, only.payload.utf8.count > Batch.maximumRecordBytes,
            !dead.contains(only.seq)
        {
            let reason =
                "the record is \(only.payload.utf8.count) bytes; central takes at most \(Batch.maximumRecordBytes)"
            logger.error("record \(only.seq) moved to dead letters: \(reason)")
            try outbox.deadLetter(seq: only.seq, reason: reason, at: Date())
            return true
        }
        let batch = Batch(
            site: outbox.siteID, epoch: outbox.epoch, first: cursor, last: upper,
            records: Self.compacted(records.filter { !dead.contains($0.seq) }),
            configVersion: try outbox.configVersion(),
            sentAt: client.now())
        do {
            let reply = try await client.send(batch, format: format)
            try outbox.acknowledge(through: reply.acknowledged, at: Date())
            cursor = reply.acknowledged + 1
            return true
        } catch SyncError.malformed(let reason) {
            try await isolate(batch, reason: reason)
            return true
        }
    }

    /// Finds the malformed record(s) of a rejected batch by sending halves, and moves them to dead letters.
    func isolate(_ batch: Batch, reason: String) async throws {
        guard batch.records.count > 1 else {
            if let record = batch.records.first {
                logger.error("record \(record.seq) moved to dead letters: \(reason)")
                try outbox.deadLetter(seq: record.seq, reason: reason, at: Date())
            } else {
                throw SyncError.malformed(reason)
            }
            return
        }
        let half = batch.records.count / 2
        var head = batch
        head.records = Array(batch.records.prefix(half))
        head.last = head.records.last!.seq
        do {
            let reply = try await client.send(head, format: format)
            try outbox.acknowledge(through: reply.acknowledged, at: Date())
            cursor = reply.acknowledged + 1
        } catch SyncError.malformed(let why) {
            try await isolate(head, reason: why)
        }
    }

    /// The longest prefix of `records` whose payloads fit one batch's byte budget (at least one record).
    static func withinBytes(_ records: [WireRecord]) -> [WireRecord] {
        var bytes = 0
        for (index, record) in records.enumerated() {
            bytes += record.payload.utf8.count + 256
            if bytes > Batch.targetBytes && index > 0 { return Array(records.prefix(index)) }
        }
        return records
    }

    /// Leaves out state records that a later record of the same kind and key replaces; facts are never left out.
    static func compacted(_ records: [WireRecord]) -> [WireRecord] {
        var latest: [String: Int64] = [:]
        for record in records where record.class == "state" { latest["\(record.kind)/\(record.key)"] = record.seq }
        return records.filter { $0.class != "state" || latest["\($0.kind)/\($0.key)"] == $0.seq }
    }
}
