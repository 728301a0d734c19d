/// One outbox record as the verification compares it, from the site's outbox or from central's store.
public struct VerifiableRecord: Hashable, Sendable {
    public var seq: Int64
    public var kind: String
    /// `fact` or `state`.
    public var recordClass: String
    public var key: String
    public var payload: String

    public init(seq: Int64, kind: String, recordClass: String, key: String, payload: String) {
        self.seq = seq
        self.kind = kind
        self.recordClass = recordClass
        self.key = key
        self.payload = payload
    }
}

/// Compares a site's outbox with what central stored for the same database (`epoch`): every fact exactly once
/// with the same kind and content, the newest record of every state key present with the same content, and
/// nothing at central that the site never wrote. The demo, the fault test and `takt central verify` rely on it.
public struct SyncVerification: Hashable, Sendable, Codable {
    public var facts: Int
    public var states: Int
    public var centralRecords: Int
    public var problems: [String] = []
    public var summary: String

    /// - Parameter requireFacts: a site that wrote no fact is itself a problem (a test that wrote nothing proves
    ///   nothing).
    public init(local: [VerifiableRecord], central: [VerifiableRecord], epoch: String, requireFacts: Bool = false) {
        var bySeq: [Int64: [VerifiableRecord]] = [:]
        for record in central { bySeq[record.seq, default: []].append(record) }
        facts = 0
        for entry in local where entry.recordClass == "fact" {
            facts += 1
            let copies = bySeq[entry.seq] ?? []
            if copies.isEmpty { problems.append("fact \(entry.seq) (\(entry.kind)) is missing at central") }
            if copies.count > 1 { problems.append("fact \(entry.seq) is at central \(copies.count) times") }
            if let copy = copies.first, copy.payload != entry.payload || copy.kind != entry.kind {
                problems.append("fact \(entry.seq) differs at central")
            }
        }
        var newest: [String: VerifiableRecord] = [:]
        for entry in local where entry.recordClass == "state" {
            let id = "\(entry.kind)/\(entry.key)"
            if (newest[id]?.seq ?? 0) < entry.seq { newest[id] = entry }
        }
        states = newest.count
        for (id, entry) in newest.sorted(by: { $0.value.seq < $1.value.seq }) {
            let copies = bySeq[entry.seq] ?? []
            if copies.isEmpty {
                problems.append("state \(id) (newest, \(entry.seq)) is missing at central")
            } else if copies.count > 1 {
                problems.append("state \(id) is at central \(copies.count) times")
            } else if copies[0].payload != entry.payload || copies[0].kind != entry.kind {
                problems.append("state \(id) differs at central")
            }
        }
        let localSeqs = Set(local.map(\.seq))
        for record in central where !localSeqs.contains(record.seq) {
            problems.append("central has \(record.seq), the site does not")
        }
        if requireFacts && facts == 0 { problems.append("the site wrote no facts, so nothing was verified") }
        centralRecords = central.count
        summary =
            "\(facts) facts and \(states) state keys at the site, \(central.count) records at central for epoch \(epoch): "
            + (problems.isEmpty
                ? "every fact exactly once, newest state present, same content" : "\(problems.count) problem(s)")
    }
}
