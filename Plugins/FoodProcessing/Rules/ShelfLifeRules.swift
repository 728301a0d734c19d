import TaktCore

/// A released lot past its use-by instant is expired stock: a finding, and the lot goes on hold. Raised once
/// per lot by the clock's sweep.
struct ExpiredStockRule: EventRule {
    let id: RuleID
    var summary: String { "expired stock (past use-by) is a finding and goes on hold" }

    func evaluate(_ event: SiteEvent, in context: RuleContext) -> [Finding] {
        guard case .tick(let now) = event, let snapshot = context.snapshot else { return [] }
        return snapshot.releasedLots.compactMap { lot in
            guard let expiry = lot.expiresAt, now > expiry else { return nil }
            let useBy = Instant.format(expiry, in: context.timeZone)
            return Finding(
                rule: id, severity: .critical, subject: .init(.lot, lot.id),
                message: "lot \(lot.id) of \(lot.product) passed its use-by \(useBy)",
                actions: [
                    FindingAction(.holdLot, lot.id),
                    FindingAction(.correctiveAction, "Remove and destroy the expired stock"),
                ],
                raisedAt: now, key: "expired:\(lot.id)"
            )
            .translated([
                .spanish: (
                    "el lote \(lot.id) de \(lot.product) pasó su fecha de caducidad \(useBy)",
                    "Retire y destruya el inventario caducado"
                ),
                .malay: (
                    "lot \(lot.id) bagi \(lot.product) telah melepasi tarikh guna sebelum \(useBy)",
                    "Keluarkan dan musnahkan stok yang tamat tempoh"
                ),
            ])
        }
    }
}

/// Stock is issued first-expiry-first-out: issuing a lot while a released lot of the same product expires
/// sooner is a finding; issuing an expired lot is a critical one.
struct FirstExpiryFirstOutRule: EventRule {
    let id: RuleID
    var summary: String { "issue stock first-expiry-first-out; never issue expired stock" }

    func evaluate(_ event: SiteEvent, in context: RuleContext) -> [Finding] {
        guard case .issue(let issue) = event, let lot = context.lot else { return [] }
        if let expiry = lot.expiresAt, issue.at > expiry {
            let useBy = Instant.format(expiry, in: context.timeZone)
            return [
                Finding(
                    rule: id, severity: .critical, subject: .init(.lot, lot.id),
                    message: "lot \(lot.id) was issued after its use-by \(useBy)",
                    actions: [
                        FindingAction(.holdLot, lot.id), FindingAction(.correctiveAction, "Recall the issued stock"),
                    ],
                    raisedAt: issue.at
                )
                .translated([
                    .spanish: (
                        "el lote \(lot.id) salió del inventario después de su fecha de caducidad \(useBy)",
                        "Retire lo que salió"
                    ),
                    .malay: (
                        "lot \(lot.id) dikeluarkan selepas tarikh guna sebelum \(useBy)",
                        "Tarik balik stok yang dikeluarkan"
                    ),
                ])
            ]
        }
        let sooner = context.stock.filter { other in
            guard other.id != lot.id, let otherExpiry = other.expiresAt, otherExpiry > issue.at else { return false }
            return otherExpiry < (lot.expiresAt ?? .distantFuture)
        }.sorted { $0.expiresAt! < $1.expiresAt! }
        guard let first = sooner.first, let firstExpiry = first.expiresAt else { return [] }
        let when = Instant.format(firstExpiry, in: context.timeZone)
        return [
            Finding(
                rule: id, severity: .minor, subject: .init(.lot, lot.id),
                message: "lot \(lot.id) was issued while lot \(first.id) expires sooner "
                    + "(\(when)): issue first-expiry-first-out",
                actions: [FindingAction(.correctiveAction, "Issue \(first.id) next")], raisedAt: issue.at
            )
            .translated([
                .spanish: (
                    "el lote \(lot.id) salió mientras el lote \(first.id) caduca antes (\(when)): saque primero lo que caduca primero",
                    "Saque \(first.id) a continuación"
                ),
                .malay: (
                    "lot \(lot.id) dikeluarkan sedangkan lot \(first.id) tamat tempoh lebih awal (\(when)): keluarkan yang tamat dahulu",
                    "Keluarkan \(first.id) seterusnya"
                ),
            ])
        ]
    }
}
