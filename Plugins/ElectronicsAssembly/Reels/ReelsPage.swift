import Foundation
import TaktCore

/// The reels page of the site app: scan or type a reel id, see its floor life left, and open, store, bake or
/// use it — the same commands as `takt reels`, in the operator's language.
enum ReelsPage {
    static let page = ModulePage(
        id: "reels", title: ModuleText("Reels", es: "Carretes", ms: "Gulungan"), view: find,
        actions: [ReelsCommand.record],
        labels: [
            "id": ModuleText("Reel", es: "Carrete", ms: "Gulungan"),
            "work-centre": ModuleText("Work centre", es: "Centro de trabajo", ms: "Pusat kerja"),
            "event": ModuleText("What happened", es: "Qué pasó", ms: "Apa berlaku"),
            "open": ModuleText("Open", es: "Abrir", ms: "Buka"),
            "store": ModuleText("Back to dry storage", es: "Al almacén seco", ms: "Simpan kering"),
            "bake": ModuleText("Baked", es: "Horneado", ms: "Dibakar"),
            "use": ModuleText("Use", es: "Usar", ms: "Guna"),
            "record": ModuleText("Record", es: "Registrar", ms: "Rekod"),
            "find": ModuleText("Find", es: "Buscar", ms: "Cari"),
            "temperature": ModuleText(
                "Bake temperature (°C)", es: "Temperatura del horneado (°C)", ms: "Suhu bakar (°C)"),
            "duration": ModuleText("Bake time (9h)", es: "Tiempo de horneado (9h)", ms: "Masa bakar (9h)"),
            "humidity": ModuleText(
                "Humidity % (oven, the card on opening, or the cabinet)",
                es: "Humedad % (horno, la tarjeta al abrir, o el gabinete)",
                ms: "Kelembapan % (ketuhar, kad semasa buka, atau kabinet)"),
            "sealed": ModuleText("Bag seal date", es: "Fecha de sellado de la bolsa", ms: "Tarikh beg dimeterai"),
            "per-label": ModuleText(
                "Baked as the label says", es: "Horneado según la etiqueta", ms: "Dibakar mengikut label"),
        ])

    /// One reel (or all) with the floor life left, where it is, and whether it is blocked.
    static let find = ModuleCommand(
        "find", abstract: "A reel's floor life left; every reel when no id is given.",
        arguments: [.option("id", help: "The reel id (scanned).")]
    ) { input, site in
        let now = site.now()
        let blocked = Set(try site.activeBlocks().filter { $0.kind == .blockReel }.map(\.target))
        let reels: [Reel]
        if let id = input.string("id"), !id.isEmpty {
            guard let reel = try site.latest(Reel.records, key: id) else {
                throw CoreError.invalidInput(text(.unknown, input.locale).replacingOccurrences(of: "{id}", with: id))
            }
            reels = [reel]
        } else {
            reels = try site.all(Reel.records)
        }
        let lines = reels.map { reel in
            let left = reel.remainingFloorLife(at: now).map { CriticalLimits.format(($0 / 36).rounded() / 100) } ?? "∞"
            return text(.line, input.locale).replacingOccurrences(of: "{id}", with: reel.id)
                .replacingOccurrences(of: "{part}", with: reel.part)
                .replacingOccurrences(of: "{level}", with: reel.level.rawValue)
                .replacingOccurrences(of: "{left}", with: left)
                .replacingOccurrences(
                    of: "{where}",
                    with: text(reel.storedHumid ? .humid : reel.openedAt == nil ? .dry : .floor, input.locale))
                + (blocked.contains(reel.id) ? " — " + text(.blocked, input.locale) : "")
        }
        return CommandOutput(json: reels, lines: lines.isEmpty ? [text(.none, input.locale)] : lines)
    }

    enum Key { case line, dry, floor, humid, blocked, none, unknown }

    static func text(_ key: Key, _ locale: SiteLocale) -> String {
        let texts: [Key: ModuleText] = [
            .line: ModuleText(
                "{id} ({part}, MSL {level}): {left} h of floor life left, {where}",
                es: "{id} ({part}, MSL {level}): quedan {left} h de vida en piso, {where}",
                ms: "{id} ({part}, MSL {level}): baki hayat lantai {left} j, {where}"),
            .dry: ModuleText("in dry storage", es: "en almacenamiento seco", ms: "dalam simpanan kering"),
            .floor: ModuleText("on the floor", es: "en el piso", ms: "di lantai"),
            .humid: ModuleText(
                "in a cabinet too humid to stop the clock", es: "en un gabinete demasiado húmedo para detener el reloj",
                ms: "dalam kabinet terlalu lembap untuk menghentikan jam"),
            .blocked: ModuleText(
                "BLOCKED until baked", es: "BLOQUEADO hasta hornearlo", ms: "DISEKAT sehingga dibakar"),
            .none: ModuleText("No reels yet.", es: "Todavía no hay carretes.", ms: "Belum ada gulungan."),
            .unknown: ModuleText("No reel {id}.", es: "No existe el carrete {id}.", ms: "Tiada gulungan {id}."),
        ]
        return texts[key]?.text(locale) ?? ""
    }
}
