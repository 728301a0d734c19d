import TaktCore

/// The numbers of the working-time law overseas_plant enforces, by jurisdiction and date, each with its citation:
/// the one table its rules read (`WorkingTimeRule` asks for the limit in force on the shift's local date), that
/// `takt site show` lists and that the module's README shows.
enum WorkingTimeLaw {
    // The ids of the numbers, the same in every jurisdiction.
    static let averageWeek = "overseas_plant.week.average_max"
    static let referencePeriod = "overseas_plant.reference_period.max"
    static let referenceDerogation = "overseas_plant.reference_period.derogation_max"
    static let referenceAgreement = "overseas_plant.reference_period.agreement_max"
    static let dailyRest = "overseas_plant.daily_rest.min"
    static let weeklyRest = "overseas_plant.weekly_rest.min"
    static let fortnightRest = "overseas_plant.fortnight_rest.min"
    static let workingDay = "overseas_plant.day.max"
    static let breakAfter = "overseas_plant.break.after"
    static let breakLength = "overseas_plant.break.min"
    static let youngDay = "overseas_plant.young.day_max"
    static let youngWeek = "overseas_plant.young.week_max"
    static let youngDailyRest = "overseas_plant.young.daily_rest_min"
    static let youngWeeklyRest = "overseas_plant.young.weekly_rest_min"
    static let youngBreakAfter = "overseas_plant.young.break_after"
    static let youngBreak = "overseas_plant.young.break_min"
    static let ordinaryWeek = "overseas_plant.week.ordinary_max"
    static let overtimeWeek = "overseas_plant.overtime.week_max"
    static let overtimeDay = "overseas_plant.overtime.day_max"
    static let overtimeDays = "overseas_plant.overtime.days_max"
    static let workDay12 = "overseas_plant.day.work_max"
    static let spreadOver = "overseas_plant.day.spread_over_max"
    static let normalWeek = "overseas_plant.week.normal_max"
    static let normalDay = "overseas_plant.day.normal_max"
    static let overtimeMonth = "overseas_plant.overtime.month_max"
    static let daysWithoutRest = "overseas_plant.rest_day.after_days_max"
    static let nightAverage = "overseas_plant.night.average_max"
    static let nightHours = "overseas_plant.night.worker_hours_min"

    static let eu = "Directive 2003/88/EC"
    static let youngEU = "Directive 94/33/EC"
    static let uk = "Working Time Regulations 1998 (SI 1998/1833)"
    static let ireland = "Organisation of Working Time Act 1997"
    static let lft = "Ley Federal del Trabajo"
    static let reform =
        "Constitución Política de los Estados Unidos Mexicanos, art. 123 A, fracs. IV and XI, as reformed by the decree "
        + "published in the DOF on 3 March 2026"
    static let malaysia = "Employment Act 1955 (as amended by Act A1651, 2022)"

    static let table: LegalLimitTable = {
        var rows: [LegalLimit] = []
        func row(
            _ id: String, _ subject: String, _ comparison: LegalLimit.Comparison, _ value: Double, _ unit: String,
            _ place: String, _ citation: String, from: LocalDate? = nil, until: LocalDate? = nil
        ) {
            rows.append(
                LegalLimit(
                    id: id, subject: subject, comparison, value, unit: unit, jurisdiction: place,
                    from: from ?? LocalDate(year: 1900, month: 1, day: 1), until: until, citation: citation))
        }
        // The directive, the UK's regulations and Ireland's act share their numbers, not their articles.
        let europe:
            [(
                place: String, average: String, reference: String, derogation: String, agreement: String,
                daily: String, weekly: String, fortnight: String, breaks: String
            )] = [
                (
                    "EU", "\(eu), art. 6(b)", "\(eu), art. 16(b)", "\(eu), art. 19, first paragraph",
                    "\(eu), art. 19, second paragraph", "\(eu), art. 3", "\(eu), art. 5 (24 h plus the 11 h of art. 3)",
                    "\(eu), arts. 5 and 16(a) (a 14-day reference period)",
                    "\(eu), art. 4 (duration set by national law; 20 min as in the UK)"
                ),
                (
                    "GB", "\(uk), reg. 4(1)", "\(uk), reg. 4(3)", "\(uk), reg. 4(5) (the special cases of reg. 21)",
                    "\(uk), reg. 23(b) (collective or workforce agreement)", "\(uk), reg. 10(1)",
                    "\(uk), reg. 11(1) and (7) (24 h, not taken from the daily rest)", "\(uk), reg. 11(2)",
                    "\(uk), reg. 12(1) and (3)"
                ),
                (
                    "IE", "\(ireland), s. 15(1)", "\(ireland), s. 15(1)(a) (4 months)",
                    "\(ireland), s. 15(2) (6 months)",
                    "\(ireland), s. 15(4) (12 months by collective agreement)", "\(ireland), s. 11",
                    "\(ireland), s. 13 (24 h plus the 11 h of s. 11)", "\(ireland), s. 13(3)",
                    "\(ireland), s. 12(2) (30 min after 6 h)"
                ),
            ]
        for law in europe {
            row(averageWeek, "Average weekly working time", .atMost, 48, "h/week", law.place, law.average)
            row(referencePeriod, "Reference period of the average", .atMost, 17, "weeks", law.place, law.reference)
            row(
                referenceDerogation, "Reference period with a derogation", .atMost, 26, "weeks", law.place,
                law.derogation)
            row(
                referenceAgreement, "Reference period with a collective agreement", .atMost, 52, "weeks", law.place,
                law.agreement)
            row(dailyRest, "Daily rest", .atLeast, 11, "h", law.place, law.daily)
            row(weeklyRest, "Uninterrupted rest in every 7 days", .atLeast, 35, "h", law.place, law.weekly)
            row(
                fortnightRest, "Or, in every 14 days, two rests of 24 h (or one of 48 h)", .atLeast, 24, "h",
                law.place, law.fortnight)
            row(
                workingDay, "Working day (what 11 h of daily rest leaves)", .atMost, 13, "h", law.place,
                law.daily + " (24 h − 11 h)")
            row(breakAfter, "A break is due once the day exceeds", .atMost, 6, "h", law.place, law.breaks)
            row(breakLength, "Rest break", .atLeast, law.place == "IE" ? 30 : 20, "min", law.place, law.breaks)
        }
        // Night work: a night worker's normal hours average at most 8 in 24 over the reference period; a night
        // worker is someone whose working day includes at least 3 h of night time (23:00–06:00 unless agreed).
        for (place, average, worker) in [
            ("EU", "\(eu), art. 8(a)", "\(eu), art. 2(4)(b)"),
            ("GB", "\(uk), reg. 6(1) (no opt-out)", "\(uk), reg. 2(1) (night time 23:00–06:00)"),
            ("IE", "\(ireland), s. 16(2)(a)", "\(ireland), s. 16(1) (night time midnight–07:00)"),
        ] {
            row(nightAverage, "Night worker's normal hours, average per 24 h", .atMost, 8, "h", place, average)
            row(nightHours, "Night time in a working day that makes a night worker", .atLeast, 3, "h", place, worker)
        }
        // Young workers (under 18).
        for (place, day, rest, weekly, breaks) in [
            (
                "EU", "\(youngEU), art. 8(2)", "\(youngEU), art. 10(1)(b)", "\(youngEU), art. 10(2)",
                "\(youngEU), art. 12"
            ),
            ("GB", "\(uk), reg. 5A", "\(uk), reg. 10(2)", "\(uk), reg. 11(3)", "\(uk), reg. 12(4)"),
            (
                "IE", "Protection of Young Persons (Employment) Act 1996, s. 6",
                "Protection of Young Persons "
                    + "(Employment) Act 1996, s. 6(1)(c)",
                "Protection of Young Persons (Employment) Act 1996, s. 6(1)(d)",
                "Protection of Young Persons (Employment) Act 1996, s. 12"
            ),
        ] {
            row(youngDay, "Young worker's working day", .atMost, 8, "h", place, day)
            row(youngWeek, "Young worker's working week", .atMost, 40, "h/week", place, day)
            row(youngDailyRest, "Young worker's daily rest", .atLeast, 12, "h", place, rest)
            row(youngWeeklyRest, "Young worker's rest in every 7 days", .atLeast, 48, "h", place, weekly)
            row(youngBreakAfter, "A young worker's break is due once the day exceeds", .atMost, 4.5, "h", place, breaks)
            row(youngBreak, "Young worker's rest break", .atLeast, 30, "min", place, breaks)
        }
        // Mexico: the ordinary week falls two hours a year from 2027 to 40 h in 2030 (the reform's transitory
        // articles); its overtime regime (12 h a week, at most 4 h a day on at most 4 days) is applied from 2027,
        // the first year of the reduction — until then the stricter LFT art. 66 (3 h a day, 3 times a week).
        let y = { (year: Int) in LocalDate(year: year, month: 1, day: 1) }
        row(
            ordinaryWeek, "Ordinary working week", .atMost, 48, "h/week", "MX", "\(lft), arts. 61 and 69",
            until: y(2027))
        for (year, hours) in [(2027, 46.0), (2028, 44), (2029, 42)] {
            row(
                ordinaryWeek, "Ordinary working week", .atMost, hours, "h/week", "MX", reform, from: y(year),
                until: y(year + 1))
        }
        row(ordinaryWeek, "Ordinary working week", .atMost, 40, "h/week", "MX", reform, from: y(2030))
        row(overtimeDay, "Overtime in a day", .atMost, 3, "h", "MX", "\(lft), art. 66", until: y(2027))
        row(overtimeDay, "Overtime in a day", .atMost, 4, "h", "MX", reform, from: y(2027))
        row(overtimeDays, "Days with overtime in a week", .atMost, 3, "days", "MX", "\(lft), art. 66", until: y(2027))
        row(overtimeDays, "Days with overtime in a week", .atMost, 4, "days", "MX", reform, from: y(2027))
        row(overtimeWeek, "Overtime in a week", .atMost, 9, "h/week", "MX", "\(lft), art. 66", until: y(2027))
        row(overtimeWeek, "Overtime in a week", .atMost, 12, "h/week", "MX", reform, from: y(2027))
        row(breakLength, "Rest in a continuous working day", .atLeast, 30, "min", "MX", "\(lft), art. 63")
        row(daysWithoutRest, "Days worked before a rest day", .atMost, 6, "days", "MX", "\(lft), art. 69; \(reform)")
        // Malaysia.
        row(breakAfter, "Work without a break of 30 min", .atMost, 5, "h", "MY", "\(malaysia), s. 60A(1)(a)")
        row(breakLength, "Break after 5 h of work", .atLeast, 30, "min", "MY", "\(malaysia), s. 60A(1)(a)")
        row(normalDay, "Normal hours in a day", .atMost, 8, "h", "MY", "\(malaysia), s. 60A(1)(b)")
        row(spreadOver, "Spread-over of a day without overtime", .atMost, 10, "h", "MY", "\(malaysia), s. 60A(1)(c)")
        row(normalWeek, "Normal hours in a week", .atMost, 45, "h/week", "MY", "\(malaysia), s. 60A(1)(d)")
        row(workDay12, "Work in a day, overtime included", .atMost, 12, "h", "MY", "\(malaysia), s. 60A(1) proviso")
        row(daysWithoutRest, "Days worked before a rest day", .atMost, 6, "days", "MY", "\(malaysia), s. 59(1)")
        row(
            overtimeMonth, "Overtime in a month", .atMost, 104, "h", "MY",
            "Employment (Limitation of Overtime Work) Regulations 1980, reg. 2")
        return LegalLimitTable(rows)
    }()
}
