import Foundation
import TaktCore

/// A bake that does not qualify under J-STD-033 table 4-1 (too short, too cool, not dry, no row for the package,
/// past the supplier's or the standard's bake limits, or not recorded) raises a finding saying what the table
/// needs; the reel's floor life is not restarted and any block on it stays.
struct BakeRule: EventRule {
    let id: RuleID
    var reads: [RecordRead] { [.latest(Reel.records)] }
    var summary: String {
        "MSD bake: temperature and time against J-STD-033 table 4-1 by thickness and level; a bake that does not "
            + "qualify does not restart the floor life"
    }

    func evaluate(_ event: SiteEvent, in context: RuleContext) -> [Finding] {
        guard case .record(let record) = event, let bake = record.value(as: ReelEvent.records), bake.kind == .bake,
            let reel = context.records.latest(Reel.records, key: bake.reel)
        else { return [] }
        let verdict = BakeTable.judge(reel, bake)
        guard let text = Self.text(verdict, reel: reel) else { return [] }
        return [
            Finding(
                rule: id, severity: .major, subject: .init(.reel, reel.id), message: text.en,
                actions: [FindingAction(.correctiveAction, text.action.en)], raisedAt: bake.at,
                key: "bake:\(reel.id):\(Instant.iso(bake.at))"
            )
            .translated([.spanish: (text.es, text.action.es), .malay: (text.ms, text.action.ms)])
        ]
    }

    typealias Texts = (en: String, es: String, ms: String, action: (en: String, es: String, ms: String))

    /// The finding's message and corrective action in each language; nil when the bake qualifies.
    static func text(_ verdict: BakeTable.Verdict, reel: Reel) -> Texts? {
        let (r, f) = (reel.id, { (value: Double) in CriticalLimits.format((value * 100).rounded() / 100) })
        let source = "(IPC/JEDEC J-STD-033)"
        let again: (en: String, es: String, ms: String) = (
            "Bake again as J-STD-033 table 4-1 or the label says, and record temperature and time",
            "Hornee de nuevo según la tabla 4-1 de J-STD-033 o la etiqueta, registrando temperatura y tiempo",
            "Bakar semula mengikut jadual 4-1 J-STD-033 atau label, rekod suhu dan masa"
        )
        let supplier: (en: String, es: String, ms: String) = (
            "Ask the supplier before any further bake; scrap the reel if they do not allow it",
            "Consulte al proveedor antes de otro horneado; deseche el carrete si no lo permite",
            "Rujuk pembekal sebelum bakar lagi; buang gulungan jika tidak dibenarkan"
        )
        let head = (
            en: "bake of reel \(r) does not restart its floor life: ",
            es: "el horneado del carrete \(r) no reinicia su vida en piso: ",
            ms: "bakar gulungan \(r) tidak memulakan semula hayat lantai: "
        )
        switch verdict {
        case .qualifies: return nil
        case .notRecorded:
            return (
                head.en + "record the oven temperature and the bake time \(source)",
                head.es + "registre la temperatura del horno y el tiempo \(source)",
                head.ms + "rekod suhu ketuhar dan masa bakar \(source)", again
            )
        case .tooManyBakes(let allowed):
            return (
                head.en + "the supplier allows \(allowed) bake(s) and it has had them",
                head.es + "el proveedor permite \(allowed) horneado(s) y ya los tuvo",
                head.ms + "pembekal membenarkan \(allowed) kali bakar dan sudah cukup", supplier
            )
        case .hotBakeLimit(let total, let limit):
            return (
                head.en
                    + "baking above 90 °C would total \(f(total)) h, over the \(f(limit)) h J-STD-033 allows for solderability",
                head.es
                    + "el horneado sobre 90 °C sumaría \(f(total)) h, más de las \(f(limit)) h que J-STD-033 permite por soldabilidad",
                head.ms
                    + "jumlah bakar melebihi 90 °C menjadi \(f(total)) j, lebih daripada \(f(limit)) j yang dibenarkan J-STD-033",
                supplier
            )
        case .noRow(let why):
            return (
                head.en + "\(why); or bake as the label or supplier says and record it so (per label) \(source)",
                head.es + "\(why); o hornee según la etiqueta o el proveedor y regístrelo así \(source)",
                head.ms + "\(why); atau bakar mengikut label atau pembekal dan rekod begitu \(source)", again
            )
        case .notDry(let temperature):
            return (
                head.en
                    + "a bake at \(f(temperature)) °C counts only at ≤ 5 % RH; record the oven's humidity \(source)",
                head.es
                    + "un horneado a \(f(temperature)) °C solo cuenta a ≤ 5 % HR; registre la humedad del horno \(source)",
                head.ms
                    + "bakar pada \(f(temperature)) °C hanya dikira pada ≤ 5 % RH; rekod kelembapan ketuhar \(source)",
                again
            )
        case .tooCool(let temperature):
            return (
                head.en + "\(f(temperature)) °C is below the table's coolest bake (40 °C at ≤ 5 % RH) \(source)",
                head.es
                    + "\(f(temperature)) °C está por debajo del horneado más frío de la tabla (40 °C a ≤ 5 % HR) \(source)",
                head.ms + "\(f(temperature)) °C di bawah bakar paling rendah jadual (40 °C pada ≤ 5 % RH) \(source)",
                again
            )
        case .tooShort(let needed, let temperature, let baked, let row):
            return (
                head.en + "\(f(baked)) h at \(f(temperature)) °C, table 4-1 needs \(f(needed)) h (\(row)) \(source)",
                head.es + "\(f(baked)) h a \(f(temperature)) °C, la tabla 4-1 pide \(f(needed)) h (\(row)) \(source)",
                head.ms + "\(f(baked)) j pada \(f(temperature)) °C, jadual 4-1 perlu \(f(needed)) j (\(row)) \(source)",
                again
            )
        }
    }
}

/// Opening a reel's dry bag: a humidity indicator card at or above its spot (10 % for levels 2a–5a, 60 % for
/// level 2), or a bag past its shelf life whose card was not read, means the parts took up moisture: the reel is
/// blocked until a bake from table 4-1's long column.
struct DryPackRule: EventRule {
    let id: RuleID
    var reads: [RecordRead] { [.latest(Reel.records)] }
    var summary: String {
        "MSD dry pack: on opening, the humidity indicator card (10 % spot, 60 % for level 2) and the bag's shelf "
            + "life; a wet bag blocks the reel until baked"
    }

    func evaluate(_ event: SiteEvent, in context: RuleContext) -> [Finding] {
        guard case .record(let record) = event, let open = record.value(as: ReelEvent.records),
            let reel = context.records.latest(Reel.records, key: open.reel)
        else { return [] }
        if open.kind == .store { return humidStorage(reel, open) }
        guard open.kind == .open else { return [] }
        let check = reel.bagCheck(open, zone: context.timeZone)
        guard check.wet, let reason = check.reason else { return [] }
        let source = "(IPC/JEDEC J-STD-033)"
        return [
            Finding(
                rule: id, severity: .critical, subject: .init(.reel, reel.id),
                message:
                    "reel \(reel.id) (\(reel.part), MSL \(reel.level.rawValue)) must be baked before use: \(reason) \(source)",
                actions: [
                    FindingAction(.blockReel, reel.id),
                    FindingAction(.correctiveAction, "Bake per J-STD-033 table 4-1 (the column for wet parts)"),
                ], raisedAt: open.at, key: "dry_pack:\(reel.id)"
            )
            .translated([
                .spanish: (
                    "el carrete \(reel.id) (\(reel.part), MSL \(reel.level.rawValue)) debe hornearse antes de usarse: la bolsa seca indica humedad \(source)",
                    "Hornee según la tabla 4-1 de J-STD-033 (columna de piezas húmedas)"
                ),
                .malay: (
                    "gulungan \(reel.id) (\(reel.part), MSL \(reel.level.rawValue)) mesti dibakar sebelum digunakan: beg kering menunjukkan lembapan \(source)",
                    "Bakar mengikut jadual 4-1 J-STD-033 (lajur bahagian lembap)"
                ),
            ])
        ]
    }

    /// A reel put back in a cabinet above its humidity limit: its floor life keeps running (minor: the floor-life
    /// rule blocks it if it runs out).
    private func humidStorage(_ reel: Reel, _ store: ReelEvent) -> [Finding] {
        let cabinet = reel.cabinetPauses(at: store.humidity)
        guard !cabinet.pauses, let humidity = store.humidity, let limit = cabinet.limit else { return [] }
        let (h, l) = (CriticalLimits.format(humidity), CriticalLimits.format(limit))
        let source = "(IPC/JEDEC J-STD-033)"
        return [
            Finding(
                rule: id, severity: .minor, subject: .init(.reel, reel.id),
                message:
                    "reel \(reel.id) (MSL \(reel.level.rawValue)) stored at \(h) % RH, above the \(l) % that pauses its floor life: the clock keeps running \(source)",
                actions: [
                    FindingAction(.correctiveAction, "Dry the cabinet or move the reel to one at or below \(l) % RH")
                ],
                raisedAt: store.at, key: "humid_storage:\(reel.id):\(Instant.iso(store.at))"
            )
            .translated([
                .spanish: (
                    "carrete \(reel.id) (MSL \(reel.level.rawValue)) guardado a \(h) % HR, más del \(l) % que detiene su vida en piso: el reloj sigue \(source)",
                    "Seque el gabinete o mueva el carrete a uno con \(l) % HR o menos"
                ),
                .malay: (
                    "gulungan \(reel.id) (MSL \(reel.level.rawValue)) disimpan pada \(h) % RH, melebihi \(l) % yang menghentikan hayat lantai: jam terus berjalan \(source)",
                    "Keringkan kabinet atau pindahkan gulungan ke kabinet ≤ \(l) % RH"
                ),
            ])
        ]
    }
}
