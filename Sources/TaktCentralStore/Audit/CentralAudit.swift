import Foundation
import TaktStore

/// Proves that the records central holds are the ones the sites wrote: each record's audit-chain hash, sent by
/// the site, is recomputed from the record as stored and from the hash it chains from; and where two consecutive
/// records of an epoch are both held, the later one must chain from the earlier. A record edited in central's
/// database is named, and so is a chain re-linked where two held records are consecutive. A record removed from
/// central cannot be told from a superseded state the site never sent (both leave a gap), so gaps are not judged:
/// `takt audit verify` at the site proves the whole chain there.
public enum CentralAudit {
    /// What one check found.
    public struct Report: Sendable, Codable {
        public var records: Int
        /// Records from sites that predate the chain (no hash sent): not checkable.
        public var withoutHash: Int
        public var problems: [Problem]
    }

    public struct Problem: Hashable, Sendable, Codable, CustomStringConvertible {
        public var site: String
        public var epoch: String
        public var seq: Int64
        public var kind: String
        public var key: String
        public var message: String
        public var description: String { "\(site) record \(seq) (\(kind) \(key), epoch \(epoch)): \(message)" }
    }

    /// Checks one site's records (any order).
    public static func verify(_ records: [CentralStore.StoredRecord]) -> Report {
        var problems: [Problem] = []
        var withoutHash = 0
        for (_, epochRecords) in Dictionary(grouping: records, by: \.epoch) {
            let ordered = epochRecords.sorted { $0.seq < $1.seq }
            var before: CentralStore.StoredRecord?
            for record in ordered {
                defer { before = record }
                guard let hash = record.hash, let previous = record.previousHash else {
                    withoutHash += 1
                    continue
                }
                func problem(_ message: String) -> Problem {
                    Problem(
                        site: record.site, epoch: record.epoch, seq: record.seq, kind: record.kind, key: record.key,
                        message: message)
                }
                let computed = AuditChain.hash(
                    previous: previous, seq: record.seq, epoch: record.epoch, kind: record.kind,
                    recordClass: record.recordClass, key: record.key, createdAt: record.createdAt,
                    payload: record.payload)
                if computed != hash {
                    problems.append(problem("was changed after it arrived (its contents do not match its hash)"))
                }
                if record.seq == 1, previous != AuditChain.genesis(epoch: record.epoch) {
                    problems.append(problem("does not chain from the start of its epoch"))
                }
                if let before, before.seq == record.seq - 1, let earlier = before.hash, earlier != previous {
                    problems.append(problem("does not chain from record \(before.seq): the chain was altered here"))
                }
            }
        }
        return Report(
            records: records.count, withoutHash: withoutHash,
            problems: problems.sorted { ($0.site, $0.epoch, $0.seq) < ($1.site, $1.epoch, $1.seq) })
    }
}
