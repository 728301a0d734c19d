// Penang SMT: solder paste life from the paste maker's data sheet (a no-clean SAC305 type 4 paste):
// - thaw: a jar from the fridge stands sealed at room temperature at least `thaw_hours` (4 h) before it is
//   opened, or moisture condenses into the paste (solder balls, voids);
// - stencil: paste on the stencil is good for `stencil_hours` (8 h) of work life; a warning at 80 %;
// - opened: a jar once opened and put back in the fridge is used within `opened_days` (7 days).
// Each is a check the site records (hours or days as the reading's value); settings come from site.yaml.

let manifest: StaticString = """
    {"id":"penang.solder_paste","version":"1.0.0","abi":1,"slots":["check"],
    "checks":["site.paste.thaw_hours","site.paste.stencil_hours","site.paste.opened_days"],
    "config":{"opened_days":7,"stencil_hours":8,"thaw_hours":4},
    "messages":[
    {"en":"Paste jar opened after {0} h of thawing; the data sheet asks for at least {1} h","es":"Tarro de pasta abierto tras {0} h de atemperado; la ficha técnica pide al menos {1} h","ms":"Balang pes dibuka selepas {0} jam dicairkan; lembaran data memerlukan sekurang-kurangnya {1} jam","action":"Close the jar, let it stand sealed, and do not print with it until it has thawed {1} h","action_es":"Cierre el tarro y no imprima con él hasta {1} h de atemperado","action_ms":"Tutup balang dan jangan cetak sehingga {1} jam dicairkan"},
    {"en":"Paste on the stencil for {0} h: past its {1} h work life","es":"Pasta en el esténcil {0} h: supera su vida de trabajo de {1} h","ms":"Pes pada stensil selama {0} jam: melebihi hayat kerja {1} jam","action":"Scrape the stencil, discard the paste, and re-inspect the boards printed since {1} h","action_es":"Limpie el esténcil, deseche la pasta y reinspeccione las placas","action_ms":"Kikis stensil, buang pes dan periksa semula papan"},
    {"en":"Paste on the stencil for {0} h: {1} h work life, replace it soon","es":"Pasta en el esténcil {0} h: vida de trabajo de {1} h, cámbiela pronto","ms":"Pes pada stensil selama {0} jam: hayat kerja {1} jam, ganti segera"},
    {"en":"Paste jar opened {0} days ago: past the {1} days allowed after opening","es":"Tarro abierto hace {0} días: supera los {1} días permitidos","ms":"Balang dibuka {0} hari lalu: melebihi {1} hari yang dibenarkan","action":"Discard the jar; open a new one","action_es":"Deseche el tarro y abra uno nuevo","action_ms":"Buang balang dan buka yang baharu"}],
    "tests":[
    {"check":"site.paste.thaw_hours","value":2.5,"expect":[{"message":0,"severity":"major"}]},
    {"check":"site.paste.thaw_hours","value":4,"expect":[]},
    {"check":"site.paste.stencil_hours","value":7,"expect":[{"message":2,"severity":"minor"}]},
    {"check":"site.paste.stencil_hours","value":9,"expect":[{"message":1,"severity":"major"}]},
    {"check":"site.paste.stencil_hours","value":9,"config":{"stencil_hours":12},"expect":[]},
    {"check":"site.paste.opened_days","value":8,"expect":[{"message":3,"severity":"major"}]},
    {"check":"site.paste.opened_days","value":3,"expect":[]}]}
    """

/// Settings by sorted name: 0 opened_days, 1 stencil_hours, 2 thaw_hours.
func judge(check: Int, value: Double, minute: Int, weekday: Int) {
    switch check {
    case 0:
        let thaw = setting(2)
        if value < thaw { raise(0, .major, [.holdLot], value, thaw) }
    case 1:
        let life = setting(1)
        if value > life {
            raise(1, .major, [.holdLot], value, life)
        } else if value >= life * 0.8 {
            raise(2, .minor, [], value, life)
        }
    case 2:
        let days = setting(0)
        if value > days { raise(3, .major, [.holdLot], value, days) }
    default:
        break
    }
}
