import TaktStore
import TaktSync

extension OutboxEntry {
    /// The entry as `SyncVerification` compares it.
    public var verifiable: VerifiableRecord {
        VerifiableRecord(seq: seq, kind: kind, recordClass: self.class.rawValue, key: key, payload: payload)
    }
}
