// Leeds bakery: ATP swabs after sanitation, judged by when they are taken. The deep clean after the week's last
// rye batch (Friday afternoon, from `deep_clean_from` minutes after midnight) must swab at most `deep_clean_rlu`;
// the routine cleans at most `routine_rlu`; above `fail_rlu` the surface is dirty whatever the day, and the line
// is blocked until it is cleaned again and re-swabbed. The deep clean is the rye line's (`deep_clean_work_centre`,
// a text setting; the swab's work centre comes from the host), and a routine swab that fails right after another
// failed swab of the same work centre (the host's history) means the clean itself is not working: major, and the
// line is blocked.

let manifest: StaticString = """
    {"id":"leeds.sanitation","version":"1.1.0","abi":1,"slots":["check"],"checks":["site.atp_swab"],
    "config":{"deep_clean_from":840,"deep_clean_rlu":150,"deep_clean_work_centre":"oven-1","fail_rlu":1000,"routine_rlu":300},
    "messages":[
    {"en":"ATP swab {0} RLU after the Friday deep clean: above its {1} RLU","es":"Hisopo ATP de {0} RLU tras la limpieza profunda del viernes: supera {1} RLU","ms":"Sapuan ATP {0} RLU selepas pembersihan mendalam Jumaat: melebihi {1} RLU","action":"Repeat the deep clean and swab again before Monday's first batch","action_es":"Repita la limpieza profunda y vuelva a hisopar antes del primer lote del lunes","action_ms":"Ulang pembersihan mendalam dan sapu semula sebelum kelompok pertama Isnin"},
    {"en":"ATP swab {0} RLU after a routine clean: above its {1} RLU","es":"Hisopo ATP de {0} RLU tras una limpieza rutinaria: supera {1} RLU","ms":"Sapuan ATP {0} RLU selepas pembersihan rutin: melebihi {1} RLU","action":"Clean the surface again and re-swab before production restarts","action_es":"Limpie otra vez y vuelva a hisopar antes de reanudar","action_ms":"Bersihkan semula dan sapu semula sebelum pengeluaran bermula"},
    {"en":"ATP swab {0} RLU: the surface is dirty (above {1} RLU); the line is blocked","es":"Hisopo ATP de {0} RLU: superficie sucia (más de {1} RLU); línea bloqueada","ms":"Sapuan ATP {0} RLU: permukaan kotor (melebihi {1} RLU); talian disekat","action":"Full clean, re-swab, and a supervisor releases the line","action_es":"Limpieza completa, nuevo hisopo, y un supervisor libera la línea","action_ms":"Pembersihan penuh, sapu semula, dan penyelia melepaskan talian"},
    {"en":"ATP swab {0} RLU after a routine clean: the second above {1} RLU in a row ({2} RLU before); the line is blocked","es":"Hisopo ATP de {0} RLU tras una limpieza rutinaria: el segundo seguido por encima de {1} RLU ({2} RLU antes); línea bloqueada","ms":"Sapuan ATP {0} RLU selepas pembersihan rutin: kali kedua berturut-turut melebihi {1} RLU ({2} RLU sebelumnya); talian disekat","action":"Review the cleaning method and chemicals with the hygiene lead before the line restarts","action_es":"Revise el método y los productos de limpieza con el responsable de higiene antes de reanudar","action_ms":"Semak kaedah dan bahan pembersihan dengan ketua kebersihan sebelum talian dimulakan semula"}],
    "tests":[
    {"check":"site.atp_swab","value":120,"minute":900,"weekday":4,"work_centre":"oven-1","expect":[]},
    {"check":"site.atp_swab","value":200,"minute":900,"weekday":4,"work_centre":"oven-1","expect":[{"message":0,"severity":"major"}]},
    {"check":"site.atp_swab","value":200,"minute":900,"weekday":4,"work_centre":"mixer-1","expect":[]},
    {"check":"site.atp_swab","value":200,"minute":900,"weekday":4,"work_centre":"mixer-1","config":{"deep_clean_work_centre":""},"expect":[{"message":0,"severity":"major"}]},
    {"check":"site.atp_swab","value":450,"minute":600,"weekday":1,"history":[{"value":420,"minutes_before":90}],"expect":[{"message":3,"severity":"major"}]},
    {"check":"site.atp_swab","value":450,"minute":600,"weekday":1,"history":[{"value":420,"minutes_before":300},{"value":180,"minutes_before":90}],"expect":[{"message":1,"severity":"minor"}]},
    {"check":"site.atp_swab","value":200,"minute":600,"weekday":1,"expect":[]},
    {"check":"site.atp_swab","value":450,"minute":600,"weekday":1,"expect":[{"message":1,"severity":"minor"}]},
    {"check":"site.atp_swab","value":1500,"minute":600,"weekday":2,"expect":[{"message":2,"severity":"critical"}]}]}
    """

/// Number settings by sorted name: 0 deep_clean_from, 1 deep_clean_rlu, 2 fail_rlu, 3 routine_rlu; text setting 0
/// deep_clean_work_centre (empty: every work centre). Weekday 4 is Friday.
func judge(check: Int, value: Double, minute: Int, weekday: Int) {
    guard check == 0 else { return }
    let fail = setting(2)
    if value > fail {
        raise(2, .critical, [.blockWorkCentre], value, fail)
        return
    }
    let deepClean = weekday == 4 && Double(minute) >= setting(0) && hostText(.workCentre, matchesSetting: 0)
    if deepClean {
        if value > setting(1) { raise(0, .major, [], value, setting(1)) }
    } else if value > setting(3) {
        let earlier = historyCount()
        let previous = earlier > 0 ? historyValue(earlier - 1) : 0
        if previous > setting(3) {
            raise(3, .major, [.blockWorkCentre], value, setting(3), previous)
        } else {
            raise(1, .minor, [], value, setting(3))
        }
    }
}
