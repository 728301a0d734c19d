import Foundation

/// The site database as the sync agent sees it. The site store implements it; tests use an in-memory one.
///
/// ## Implementation requirements
///
/// Every method is one transaction. `pending` returns records in sequence order, never ones moved to dead
/// letters; `acknowledge` marks every record up to `through` in one transaction.
public protocol SyncOutbox: Sendable {
    var siteID: String { get }
    var epoch: String { get }
    /// Records after `after`, oldest first, at most `limit`, including those already acknowledged when central
    /// asks for them again.
    func records(after: Int64, limit: Int) throws -> [WireRecord]
    /// The highest sequence number written so far.
    func lastSequence() throws -> Int64
    /// The highest sequence number central has acknowledged.
    func acknowledged() throws -> Int64
    func acknowledge(through seq: Int64, at: Date) throws
    /// Moves one record out of the way, with the reason central gave.
    func deadLetter(seq: Int64, reason: String, at: Date) throws
    /// Sequence numbers in dead letters (left out of batches, covered by their range).
    func deadLetters() throws -> Set<Int64>
    /// Records how the last attempt went, for `takt site sync-status`.
    func recordAttempt(error: String?, at: Date) throws
    /// The configuration version the site runs.
    func configVersion() throws -> Int
    /// A restored database's backup epoch and the newest record its backup had, until recovery ends.
    func pendingRecovery() throws -> (epoch: String, through: Int64)?
    /// The backup's records after `after`, oldest first (their own epoch and sequence numbers).
    func restoredRecords(after: Int64, limit: Int) throws -> [WireRecord]
    /// Keeps records central had of the backup's epoch from after the backup.
    func keepRecovered(_ records: [WireRecord], epoch: String, at: Date) throws
    func finishRecovery() throws
}

extension SyncOutbox {
    /// A database that was never restored has nothing to recover.
    public func pendingRecovery() throws -> (epoch: String, through: Int64)? { nil }
    public func restoredRecords(after: Int64, limit: Int) throws -> [WireRecord] { [] }
    public func keepRecovered(_ records: [WireRecord], epoch: String, at: Date) throws {}
    public func finishRecovery() throws {}
}

/// How the agent paces itself.
public struct SyncPolicy: Sendable {
    /// Records per batch at most, unless a site says otherwise. A site that has been offline catches up in
    /// batches this size; central stores one in a single transaction, so fewer, larger batches are cheaper for it
    /// (about 115,000 records/s at 2,000 against 93,000 at 500, `takt bench ingest`). The byte budget
    /// (`Batch.targetBytes`) still cuts a batch of large records short.
    public static let defaultBatchSize = 2_000

    /// Records per batch at most.
    public var batchSize: Int
    /// First retry delay; doubles each failure up to `maximumDelay`, with full jitter.
    public var baseDelay: Double
    public var maximumDelay: Double
    /// How long to wait when there is nothing to send.
    public var idleDelay: Double
    /// How often to ask for new configuration.
    public var configInterval: Double

    public init(
        batchSize: Int = SyncPolicy.defaultBatchSize, baseDelay: Double = 0.5, maximumDelay: Double = 60,
        idleDelay: Double = 1,
        configInterval: Double = 30
    ) {
        self.batchSize = batchSize
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
        self.idleDelay = idleDelay
        self.configInterval = configInterval
    }
}
