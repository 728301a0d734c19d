import TaktCentralStore
import TaktSync

extension CentralStore.StoredRecord {
    /// The record as `SyncVerification` compares it.
    public var verifiable: VerifiableRecord {
        VerifiableRecord(seq: seq, kind: kind, recordClass: recordClass, key: key, payload: payload)
    }
}
