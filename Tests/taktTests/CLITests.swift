import Foundation
import Testing

/// Runs the real `takt` binary as a user would, on temporary data.
@Suite struct CLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let data = FileManager.default.temporaryDirectory.appendingPathComponent("takt-cli-\(UUID().uuidString)").path

    struct Result {
        var code: Int32
        var out: String
        var err: String
    }

    func takt(_ arguments: String...) throws -> Result { try run("takt", arguments) }

    func run(_ tool: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Result {
        let process = Process()
        process.executableURL = Self.root.appendingPathComponent(".build/debug/\(tool)")
        if let environment { process.environment = environment }
        process.arguments = arguments
        process.currentDirectoryURL = Self.root
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            code: process.terminationStatus, out: String(decoding: outData, as: UTF8.self),
            err: String(decoding: errData, as: UTF8.self))
    }

    /// A company's own build (Examples/AcmeTakt) knows its own module next to the built-in ones; the
    /// standard build does not.
    @Test func aCompanyBuildLoadsItsOwnModule() throws {
        let site = "Examples/AcmeTakt/site"
        let valid = try run("acme-takt", ["site", "validate", site])
        #expect(valid.code == 0, "\(valid.err)\(valid.out)")
        let shown = try run("acme-takt", ["site", "show", site])
        #expect(shown.out.contains("acme_press.oil"))
        let standard = try takt("site", "validate", site)
        #expect(standard.code == 2)
        #expect(standard.out.contains("acme_press") || standard.err.contains("acme_press"))
        let version = try takt("--version")
        #expect(version.out.trimmingCharacters(in: .whitespacesAndNewlines).first?.isNumber == true)
    }

    /// Commands that write also answer in JSON; durations are spelled one way (bare seconds too); the data
    /// folder can come from TAKT_DATA_DIR.
    @Test func writesAnswerInJSONAndDurationsAndEnvironmentDefaultsWork() throws {
        let site = "sites/leeds-bakery"
        let added = try takt(
            "lots", "add", "--site", site, "--data-dir", data, "--id", "L-9", "--product", "white-loaf",
            "--quantity", "10", "--json")
        #expect(added.code == 0, "\(added.err)")
        let lot = try JSONSerialization.jsonObject(with: Data(added.out.utf8)) as? [String: Any]
        #expect(lot?["id"] as? String == "L-9")
        let rejected = try takt(
            "lots", "reject", "--site", site, "--data-dir", data, "--id", "L-9", "--by", "amara", "--json")
        #expect(
            (try JSONSerialization.jsonObject(with: Data(rejected.out.utf8)) as? [String: Any])?["status"] as? String
                == "rejected")
        let report = try takt(
            "production", "report", "--site", site, "--data-dir", data, "--work-centre", "oven-1", "--product",
            "white-loaf", "--good", "900", "--from", "2026-11-24T06:00", "--to", "2026-11-24T08:00", "--down", "1200",
            "--json")
        #expect(report.code == 0, "\(report.err)")
        #expect(report.out.contains("\"oee\""))
        let badDuration = try takt(
            "production", "report", "--site", site, "--data-dir", data, "--work-centre", "oven-1", "--product",
            "white-loaf", "--good", "900", "--from", "2026-11-24T06:00", "--to", "2026-11-24T08:00", "--down", "soon")
        #expect(badDuration.code == 2)
        var environment = ProcessInfo.processInfo.environment
        environment["TAKT_DATA_DIR"] = data
        let listed = try run("takt", ["lots", "--site", site, "--json"], environment: environment)
        #expect(listed.out.contains("L-9"))
    }

    /// A bare use-by date lasts through that local day; pass/fail checks take pass or fail; a reading dated
    /// next month is refused and nothing is written.
    @Test func datesAndValuesMeanWhatPeopleMean() throws {
        let site = "sites/leeds-bakery"
        let lot = try takt(
            "lots", "add", "--site", site, "--data-dir", data, "--id", "L-7", "--product", "white-loaf", "--quantity",
            "5", "--produced-at", "2026-11-20T08:00", "--expires", "2026-12-01", "--json")
        #expect(lot.code == 0, "\(lot.err)")
        #expect(lot.out.contains("\"expiresAt\" : \"2026-12-02T00:00:00Z\""))
        let listed = try takt("lots", "--site", site, "--data-dir", data)
        #expect(listed.out.contains("use by end of 1 Dec 2026"))
        let pass = try takt(
            "check", "record", "--site", site, "--data-dir", data, "--check", "food_processing.ccp.metal.ferrous",
            "--value", "pass", "--at", "2026-11-20T09:00", "--by", "amara")
        #expect(pass.code == 0, "\(pass.err)")
        let two = try takt(
            "check", "record", "--site", site, "--data-dir", data, "--check", "food_processing.ccp.metal.ferrous",
            "--value", "2", "--at", "2026-11-20T09:00", "--by", "amara")
        #expect(two.code == 2)
        #expect(two.err.contains("pass/fail check"))
        let future = try takt(
            "check", "record", "--site", site, "--data-dir", data, "--check", "food_processing.ccp.chill", "--value",
            "3", "--at", "2099-12-25 10:00", "--by", "amara")
        #expect(future.code == 2)
        #expect(future.err.contains("ahead of the site's clock"))
    }

    /// A user's scope must name regions or sites central.yaml has.
    @Test func aScopeWithATypoIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scope-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config = folder.appendingPathComponent("central.yaml").path
        try "regions:\n  - id: eu-west\n    sites: [{id: dublin, keys: []}]\n".write(
            toFile: config, atomically: true, encoding: .utf8)
        let password = folder.appendingPathComponent("pw").path
        try "correct horse battery".write(toFile: password, atomically: true, encoding: .utf8)
        let base = [
            "central", "user", "add", "--config", config, "--data-dir", folder.appendingPathComponent("c").path,
        ]
        let typo = try run(
            "takt", base + ["rm", "--role", "regional_manager", "--scope", "eu-wset", "--password-file", password])
        #expect(typo.code == 2)
        #expect(typo.err.contains("'eu-wset' is not a region"))
        let site = try run(
            "takt", base + ["sm", "--role", "site_manager", "--scope", "eu-west", "--password-file", password])
        #expect(site.err.contains("'eu-west' is not a site"))
        let good = try run(
            "takt", base + ["rm", "--role", "regional_manager", "--scope", "eu-west", "--password-file", password])
        #expect(good.code == 0, "\(good.err)")
    }

    /// Central's retention is checked where it is read; the archive and the roll-ups answer as a user expects.
    @Test func retentionArchiveAndRollupsFromTheCommandLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("retain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config = folder.appendingPathComponent("central.yaml").path
        let central = folder.appendingPathComponent("c").path
        func write(_ retention: Int) throws {
            try "retention_days: \(retention)\nregions:\n  - id: eu-west\n    sites: [{id: dublin, keys: []}]\n".write(
                toFile: config, atomically: true, encoding: .utf8)
        }
        try write(1)
        let short = try takt("central", "status", "--config", config, "--data-dir", central)
        #expect(short.code == 2)
        #expect(short.err.contains("retention_days 1 is shorter than the roll-up period"), "\(short.err)")
        #expect(!FileManager.default.fileExists(atPath: central), "nothing is created for a refused configuration")
        try write(30)
        let archive = folder.appendingPathComponent("archive").path
        let missing = try takt("central", "archive", "--config", config, "--data-dir", central, "--to", archive)
        #expect(missing.code == 2)
        #expect(missing.err.contains("no such folder"))
        try FileManager.default.createDirectory(atPath: archive, withIntermediateDirectories: true)
        for days in ["--older-than-days=-1", "--older-than-days=0", "--older-than-days=x"] {
            let refused = try takt(
                "central", "archive", "--config", config, "--data-dir", central, "--to", archive, days)
            #expect(refused.code != 0, "\(days)")
        }
        let nothing = try takt(
            "central", "archive", "--config", config, "--data-dir", central, "--to", archive, "--json")
        #expect(nothing.code == 0, "\(nothing.err)")
        #expect(nothing.out.contains("\"records\" : 0") || nothing.out.contains("\"records\":0"), "\(nothing.out)")
        let rebuilt = try takt("central", "rollups", "rebuild", "--config", config, "--data-dir", central)
        #expect(rebuilt.code == 0, "\(rebuilt.err)")
        #expect(rebuilt.out.contains("dublin: rebuilt from 0 record(s)"))
        let shown = try takt(
            "central", "rollups", "--config", config, "--data-dir", central, "--site-id", "dublin", "--days", "0")
        #expect(shown.code != 0)
        #expect(shown.err.contains("--days must be 1 to 731"))
    }

    /// A blocked line or a product without a routing does not stop the plan: everything else is planned and
    /// each order left out is listed with its real cause.
    @Test func thePlannerPlansAroundTrouble() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try """
        site: {id: dublin, name: Dublin, region: eu-west, time_zone: Europe/Dublin, currency: EUR, country: IE}
        modules:
          food_processing: {hot_holding: false}
        work_centres: [{id: kettle-1}, {id: packing-line}, {id: kettle-2}]
        products:
          - id: curry
            routing:
              - {id: cook, work_centres: [kettle-1], units_per_hour: 600}
              - {id: pack, work_centres: [packing-line], units_per_hour: 1200}
          - {id: soup}
          - {id: stock, routing: [{id: boil, work_centres: [kettle-2], units_per_hour: 600}]}
        staff: [{id: aoife, name: Aoife, certificates: [{kind: food_hygiene_level_2, expires: 2030-06-30}]}]
        """.write(to: folder.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
        try "id,product,quantity,due\nD-1,curry,600,2030-12-04\nD-2,soup,100,2030-12-04\nD-3,stock,60,2030-12-04\n"
            .write(
                to: folder.appendingPathComponent("orders.csv"), atomically: true, encoding: .utf8)
        let site = folder.path
        let store = folder.appendingPathComponent("data").path
        #expect(
            try run(
                "takt",
                [
                    "orders", "import", "--site", site, "--data-dir", store,
                    folder.appendingPathComponent("orders.csv").path,
                ]
            ).code == 0)
        let swab = try run(
            "takt",
            [
                "check", "record", "--site", site, "--data-dir", store, "--check", "food_processing.allergen.swab",
                "--value", "fail", "--work-centre", "packing-line", "--by", "aoife", "--at", "2026-11-20 09:00",
            ])
        #expect(swab.code == 0, "\(swab.err)")
        let plan = try run(
            "takt",
            [
                "schedule", "--site", site, "--data-dir", store, "--from", "2030-12-01T06:00", "--time-limit", "1s",
                "--json",
            ])
        #expect(plan.code == 0, "\(plan.err)")
        let json = try JSONSerialization.jsonObject(with: Data(plan.out.utf8)) as? [String: Any]
        let summary = json?["summary"] as? [String: Any]
        #expect(summary?["orders"] as? Int == 1)
        let left = (summary?["unplannable"] as? [[String: Any]]) ?? []
        #expect(left.map { $0["order"] as? String } == ["D-1", "D-2"])
        #expect(
            (left.first?["reason"] as? String)?.contains(
                "packing-line is blocked by finding #1 (food_processing.allergen.swab") == true)
        #expect((left.last?["reason"] as? String)?.contains("product soup has no routing") == true)
    }

    /// Hostile or mistyped arguments to the new options are refused as bad input (exit 2), and nothing is stored.
    @Test func hostileArgumentsAreRefused() throws {
        let site = "sites/leeds-bakery"
        let base = ["--site", site, "--data-dir", data]
        for value in ["nan", "inf", "-inf", "1e400", "", "pass fail"] {
            let reading = try run(
                "takt",
                ["check", "record"] + base + [
                    "--check", "food_processing.ccp.chill", "--value", value, "--by", "amara",
                ])
            #expect(reading.code == 2, "--value '\(value)'")
        }
        for span in ["-5m", "soon", "99999999999999999999d", "1e9999"] {
            let report = try run(
                "takt",
                ["production", "report"] + base + [
                    "--work-centre", "oven-1", "--product", "white-loaf", "--good", "10", "--from",
                    "2026-11-24T06:00", "--to", "2026-11-24T08:00", "--down", span,
                ])
            #expect(report.code == 2, "--down '\(span)'")
        }
        for good in ["-1", "1.700", "1e300", "nan"] {
            let report = try run(
                "takt",
                ["production", "report"] + base + [
                    "--work-centre", "oven-1", "--product", "white-loaf", "--good", good, "--from",
                    "2026-11-24T06:00", "--to", "2026-11-24T08:00",
                ])
            #expect(report.code == 2, "--good '\(good)'")
        }
        let orders = FileManager.default.temporaryDirectory.appendingPathComponent("o-\(UUID().uuidString).csv").path
        try "id,product,quantity,due\nO-1,white-loaf,5,2026-12-01\n".write(
            toFile: orders, atomically: true, encoding: .utf8)
        #expect(try run("takt", ["orders", "import"] + base + ["--delimiter", "|", orders]).code == 2)
        #expect(try run("takt", ["orders", "import"] + base + ["--columns", "colour=Farbe", orders]).code == 2)
        #expect(try run("takt", ["orders", "import"] + base + ["--columns", "=", orders]).code == 2)
        let listed = try takt("orders", "list", "--site", site, "--data-dir", data, "--json")
        #expect(listed.code == 0 && !listed.out.contains("O-1"))
        let oee = try takt("production", "--site", site, "--data-dir", data)
        #expect(oee.code == 0 && !oee.out.contains("oven-1: OEE"))
    }

    @Test func validatesEveryExampleSite() throws {
        let result = try takt("site", "validate", "sites/leeds-bakery", "sites/penang-smt", "sites/monterrey-assembly")
        #expect(result.code == 0, "\(result.err)\(result.out)")
    }

    @Test func aBreachingReadingPutsTheLotOnHold() throws {
        let site = "sites/leeds-bakery"
        #expect(
            try takt(
                "lots", "add", "--site", site, "--data-dir", data, "--id", "L-1", "--product", "white-loaf",
                "--quantity", "100"
            ).code == 0)
        let record = try takt(
            "check", "record", "--site", site, "--data-dir", data, "--check", "food_processing.ccp.chill", "--value",
            "6",
            "--lot", "L-1", "--by", "amara", "--json")
        #expect(record.code == 0, "\(record.err)")
        let findings = try JSONSerialization.jsonObject(with: Data(record.out.utf8)) as? [String: Any]
        #expect((findings?["findings"] as? [Any])?.count == 1)
        let lots = try takt("lots", "--site", site, "--data-dir", data, "--json")
        let parsed = try JSONSerialization.jsonObject(with: Data(lots.out.utf8)) as? [[String: Any]]
        #expect(parsed?.first?["status"] as? String == "on_hold")
        let open = try takt("findings", "--site", site, "--data-dir", data, "--open")
        #expect(open.out.contains("CRITICAL"))
    }

    /// Instruments from the command line: calibrate (ice and boiling point), list with --json, and readings that
    /// name a probe — or do not, or name one out of calibration.
    /// Leeds's site.yaml for a copy elsewhere: its extension module named by its absolute path.
    static func leedsCopy() throws -> String {
        try String(contentsOfFile: root.appendingPathComponent("sites/leeds-bakery/site.yaml").path, encoding: .utf8)
            .replacingOccurrences(of: "../../Extensions/", with: root.appendingPathComponent("Extensions").path + "/")
    }

    @Test func probesAreCalibratedAndReadingsNameThem() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("probes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let leeds = try Self.leedsCopy()
        try (leeds + "instruments:\n  - {id: probe-1, name: Probe 1, every: 7d, checks: [food_processing.ccp.chill]}\n")
            .write(to: folder.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
        let site = folder.path
        let never = try takt("instruments", "--site", site, "--data-dir", data)
        #expect(never.code == 0 && never.out.contains("probe-1: Probe 1, every 7d, ±1 °C at 0, 100 — NEVER CALIBRATED"))
        let missing = try takt(
            "instruments", "calibrate", "--site", site, "--data-dir", data, "--id", "probe-1", "--ice", "0.2")
        #expect(missing.code == 2 && missing.err.contains("probe-1 is calibrated at 0, 100 °C"))
        let bad = try takt(
            "instruments", "calibrate", "--site", site, "--data-dir", data, "--id", "probe-1", "--point", "0=x")
        #expect(bad.code == 2)
        let failed = try takt(
            "instruments", "calibrate", "--site", site, "--data-dir", data, "--id", "probe-1", "--ice", "1.5", "--boil",
            "100",
            "--by", "amara")
        #expect(failed.code == 0 && failed.out.contains("probe-1: FAILED: at 0 °C it read 1.5 °C (tolerance ±1 °C)"))
        let passed = try takt(
            "instruments", "calibrate", "--site", site, "--data-dir", data, "--id", "probe-1", "--point", "0=0.3",
            "--point", "100=99.4", "--json")
        let verdict = try JSONSerialization.jsonObject(with: Data(passed.out.utf8)) as? [String: Any]
        #expect(verdict?["passed"] as? Bool == true)
        let list = try takt("instruments", "list", "--site", site, "--data-dir", data, "--json")
        let statuses = try JSONSerialization.jsonObject(with: Data(list.out.utf8)) as? [[String: Any]]
        #expect(statuses?.first?["inCalibration"] as? Bool == true)
        let with = try takt(
            "check", "record", "--site", site, "--data-dir", data, "--check", "food_processing.ccp.chill", "--value",
            "4",
            "--instrument", "probe-1", "--by", "amara", "--json")
        let recorded = try JSONSerialization.jsonObject(with: Data(with.out.utf8)) as? [String: Any]
        #expect(with.code == 0 && (recorded?["findings"] as? [Any])?.isEmpty == true, "\(with.out)")
        let without = try takt(
            "check", "record", "--site", site, "--data-dir", data, "--check", "food_processing.ccp.chill", "--value",
            "4",
            "--by", "amara")
        #expect(without.out.contains("names no instrument"))
        let unknown = try takt(
            "check", "record", "--site", site, "--data-dir", data, "--check", "food_processing.ccp.chill", "--value",
            "4",
            "--instrument", "probe-9")
        #expect(unknown.code == 2 && unknown.err.contains("unknown instrument 'probe-9'"))
    }

    /// Materials from the command line: receive from an approved supplier (refused from one that is not), use
    /// a lot in another, ship, see the stock, trace both ways and recall with --json.
    @Test func materialsAreReceivedUsedShippedTracedAndRecalled() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("materials-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let leeds = try Self.leedsCopy()
        try
            (leeds + """
                items:
                  - {id: flour, name: Wheat flour, unit: kg, storage: dry, shelf_life: 180d}
                suppliers:
                  - {id: millers, name: Millers Ltd, items: {flour: approved}}
                  - {id: cheap-mill, name: Cheap Mill}

                """).write(to: folder.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
        let site = folder.path
        let refused = try takt(
            "materials", "receive", "--site", site, "--data-dir", data, "--lot", "F-0", "--item", "flour", "--quantity",
            "10", "--supplier", "cheap-mill", "--supplier-lot", "C-1")
        #expect(refused.code == 2 && refused.err.contains("Cheap Mill, which is not approved for Wheat flour"))
        let negative = try takt(
            "materials", "receive", "--site", site, "--data-dir", data, "--lot", "F-0", "--item", "flour", "--quantity",
            "-5", "--supplier", "millers", "--supplier-lot", "M-1")
        #expect(negative.code == 2)
        #expect(
            try takt(
                "materials", "receive", "--site", site, "--data-dir", data, "--lot", "F-1", "--item", "flour",
                "--quantity", "500", "--supplier", "millers", "--supplier-lot", "ML-778"
            ).code == 0)
        #expect(
            try takt(
                "lots", "add", "--site", site, "--data-dir", data, "--id", "L-1", "--product", "white-loaf",
                "--quantity", "400"
            ).code == 0)
        #expect(
            try takt(
                "materials", "consume", "--site", site, "--data-dir", data, "--from", "F-1", "--into", "L-1",
                "--quantity", "200"
            ).code == 0)
        let tooMuch = try takt(
            "materials", "consume", "--site", site, "--data-dir", data, "--from", "F-1", "--into", "L-1", "--quantity",
            "301")
        #expect(tooMuch.code != 0 && tooMuch.err.contains("lot F-1 holds 300"))
        #expect(
            try takt(
                "materials", "ship", "--site", site, "--data-dir", data, "--lot", "L-1", "--customer", "Tesco",
                "--quantity", "100"
            ).code == 0)
        let stock = try takt("materials", "--site", site, "--data-dir", data, "--json")
        let rows = try JSONSerialization.jsonObject(with: Data(stock.out.utf8)) as? [[String: Any]]
        #expect(rows?.first { $0["lot"] as? String == "F-1" }?["onHand"] as? Double == 300)
        #expect(rows?.first { $0["lot"] as? String == "L-1" }?["onHand"] as? Double == 300)
        let back = try takt("trace", "back", "L-1", "--site", site, "--data-dir", data)
        #expect(back.out.contains("└ F-1 (flour) 200, on hand 300, released, from millers lot ML-778"))
        let forward = try takt("trace", "forward", "F-1", "--site", site, "--data-dir", data)
        #expect(forward.out.contains("→ shipped 100 to Tesco"))
        let recall = try takt(
            "recall", "--supplier-lot", "ML-778", "--hold", "--by", "amara", "--site", site, "--data-dir", data,
            "--json")
        let held =
            (try JSONSerialization.jsonObject(with: Data(recall.out.utf8)) as? [String: Any])?["held"] as? [String]
        #expect(held == ["F-1", "L-1"])
        #expect(try takt("recall", "--supplier-lot", "ML-778", "--hold", "--site", site, "--data-dir", data).code == 2)
    }

    /// The recall benchmark loads a year of history into a real site database and recalls supplier lots through
    /// it (its speed is reported by `takt bench recall`, not judged here).
    @Test func theRecallBenchmarkRecallsThroughGeneratedHistory() throws {
        let result = try takt("bench", "recall", "--lots", "200", "--movements", "2000", "--json")
        #expect(result.code == 0, "\(result.err)")
        let parsed = try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any]
        #expect(parsed?["recalls"] as? Int == 20)
        #expect((parsed?["lotsReachedMedian"] as? Int ?? 0) > 1 && (parsed?["shipmentsMedian"] as? Int ?? 0) > 0)
        #expect(parsed?["movements"] as? Int == 2000)
        #expect(try takt("bench", "recall", "--lots", "3").code == 2)
    }

    /// `takt bench jobshop-twt` solves, checks and compares; a reference whose schedule does not check out is
    /// refused with its file and line, and a due-date factor that is not in tenths is refused.
    @Test func theTardinessBenchmarkChecksItsReference() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("twt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Two jobs of 5 + 5 crossing two machines; with f = 1.0 both are due at 10 and can both be on time.
        let instance = folder.appendingPathComponent("tiny.txt").path
        try "2 2\n0 5 1 5\n1 5 0 5\n".write(toFile: instance, atomically: true, encoding: .utf8)
        let good = folder.appendingPathComponent("good.jsonl").path
        try """
        # a comment
        {"instance":"tiny","factor":1.0,"status":"OPTIMAL","value":0,"starts":[[0,5],[0,5]]}
        """.write(toFile: good, atomically: true, encoding: .utf8)
        let result = try takt(
            "bench", "jobshop-twt", instance, "--factors", "1.0", "--time-limit", "2", "--reference", good, "--json")
        #expect(result.code == 0, "\(result.err)")
        let parsed = try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any]
        #expect(parsed?["weightedTardiness"] as? Int == 0)
        #expect(parsed?["reference"] as? Int == 0)
        #expect(parsed?["referenceProved"] as? Bool == true)
        #expect(parsed?["gap"] as? Int == 0)
        let bad = folder.appendingPathComponent("bad.jsonl").path
        try """
        {"instance":"tiny","factor":1.0,"status":"FEASIBLE","value":0,"starts":[[0,5],[0,3]]}
        """.write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = try takt(
            "bench", "jobshop-twt", instance, "--factors", "1.0", "--time-limit", "1", "--reference", bad)
        #expect(refused.code == 2)
        #expect(refused.err.contains("bad.jsonl:1:") && refused.err.contains("does not check"), "\(refused.err)")
        // Lines that are not references, a factor not in tenths, a value without its schedule, the same instance
        // twice: each refused with its line.
        let cases: [(String, String)] = [
            ("not json", "not a reference"),
            (#"{"instance":"tiny","factor":1.25,"status":"OPTIMAL","value":0,"starts":[[0,5],[0,5]]}"#, "tenths"),
            (#"{"instance":"tiny","factor":1.0,"status":"FEASIBLE","value":0}"#, "needs its schedule"),
            (
                #"{"instance":"tiny","factor":1.0,"status":"OPTIMAL","value":0,"starts":[[0,5],[0,5]]}"# + "\n"
                    + #"{"instance":"tiny","factor":1.0,"status":"OPTIMAL","value":0,"starts":[[0,5],[0,5]]}"#,
                "already on line 1"
            ),
            (
                #"{"instance":"tiny","factor":1.0,"status":"FEASIBLE","value":-4,"starts":[[-5,0],[0,5]]}"#,
                "does not check"
            ),
        ]
        for (text, message) in cases {
            try text.write(toFile: bad, atomically: true, encoding: .utf8)
            let result = try takt(
                "bench", "jobshop-twt", instance, "--factors", "1.0", "--time-limit", "1", "--reference", bad)
            #expect(result.code == 2, "\(text)")
            #expect(result.err.contains("bad.jsonl:") && result.err.contains(message), "\(result.err)")
        }
        // The peer's line for an instance it found nothing for is skipped, not an error.
        try #"{"instance":"tiny","factor":1.0,"status":"UNKNOWN","seconds":1.0}"#.write(
            toFile: bad, atomically: true, encoding: .utf8)
        let skipped = try takt(
            "bench", "jobshop-twt", instance, "--factors", "1.0", "--time-limit", "1", "--reference", bad, "--json")
        #expect(skipped.code == 0, "\(skipped.err)")
        #expect(!skipped.out.contains("\"reference\""))
        for factors in ["1.25", "0", "-1.3", "abc", "1e9", "nan", ""] {
            let factor = try takt("bench", "jobshop-twt", instance, "--factors", factors, "--time-limit", "1")
            #expect(factor.code == 2, "--factors \(factors)")
            #expect(factor.err.contains("--factors"), "\(factor.err)")
        }
        let empty = folder.appendingPathComponent("empty.txt").path
        try "".write(toFile: empty, atomically: true, encoding: .utf8)
        #expect(try takt("bench", "jobshop-twt", empty, "--time-limit", "1").code == 2)
        #expect(try takt("bench", "jobshop-twt", folder.appendingPathComponent("missing.txt").path).code == 2)
    }

    @Test func badInputExitsWithTwoAndWritesNothing() throws {
        let site = "sites/leeds-bakery"
        let unknown = try takt(
            "check", "record", "--site", site, "--data-dir", data, "--check", "site.nope", "--value", "1")
        #expect(unknown.code == 2)
        #expect(unknown.err.contains("unknown check 'site.nope'"))
        let csv = FileManager.default.temporaryDirectory.appendingPathComponent("orders-\(UUID().uuidString).csv")
        try "id,product,quantity,due\nO-1,white-loaf,10,2026-12-01\nO-2,white-loaf,-4,2026-12-01\n".write(
            to: csv, atomically: true, encoding: .utf8)
        let imported = try takt("orders", "import", "--site", site, "--data-dir", data, csv.path)
        #expect(imported.code == 2)
        #expect(imported.err.contains(":3: order O-2: quantity must be positive"))
        let list = try takt("orders", "list", "--site", site, "--data-dir", data, "--json")
        #expect(list.out.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]" || list.out.contains("[]"))
        let usage = try takt("orders", "import", "--site", site)
        #expect(usage.code == 2)
    }

    @Test func anInvalidSiteIsReportedWithFileLineAndKeyPath() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("site-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try """
        site:
          id: broken
          name: Broken
          region: test
          time_zone: Mars/Olympus
          currency: GBP
        work_centres:
          - id: line
            capasity: 2
        """.write(to: folder.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
        let result = try takt("site", "validate", folder.path)
        #expect(result.code == 2)
        #expect(result.out.contains("site.yaml:9: work_centres[0]: unknown key 'capasity'; did you mean 'capacity'?"))
    }

    @Test func showPrintsRulesPerSlotAsJSON() throws {
        let result = try takt("site", "show", "sites/penang-smt", "--json")
        #expect(result.code == 0)
        let parsed = try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any]
        let rules = parsed?["rules"] as? [[String: Any]]
        #expect(Set(rules?.compactMap { $0["slot"] as? String } ?? []) == ["scheduling", "hygiene", "safety"])
        let records = parsed?["records"] as? [[String: Any]]
        #expect(
            records?.compactMap { $0["kind"] as? String } == [
                "electronics_assembly.reel_event", "electronics_assembly.reel",
            ])
        let text = try takt("site", "show", "sites/penang-smt")
        #expect(text.out.contains("electronics_assembly.reel: state, version 1, indexed by part"))
    }

    @Test func schedulesOrdersExportsAGanttChartAndRepairsAfterABreakdown() throws {
        let site = "sites/leeds-bakery"
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let csv = folder.appendingPathComponent("orders.csv")
        try """
        id,product,quantity,due,priority
        O-1,white-loaf,2000,2026-11-26T12:00,1
        O-2,seeded-loaf,1500,2026-11-26T16:00,2
        O-3,cheese-roll,3000,2026-11-27,1
        """.write(to: csv, atomically: true, encoding: .utf8)
        #expect(try takt("orders", "import", "--site", site, "--data-dir", data, csv.path).code == 0)
        let svg = folder.appendingPathComponent("plan.svg").path
        let plan = try takt(
            "schedule", "--site", site, "--data-dir", data, "--from", "2026-11-26T05:00", "--time-limit", "1s",
            "--workers", "1", "--svg", svg, "--json")
        #expect(plan.code == 0, "\(plan.err)")
        let parsed = try JSONSerialization.jsonObject(with: Data(plan.out.utf8)) as? [String: Any]
        let rows = parsed?["rows"] as? [[String: Any]] ?? []
        #expect(rows.filter { $0["kind"] as? String == "operation" }.count == 5)
        #expect(try String(contentsOfFile: svg, encoding: .utf8).contains("<svg"))
        // The problem as the solver saw it, Takt's answer, and the shared checker on both.
        let problem = folder.appendingPathComponent("problem.json").path
        let answer = folder.appendingPathComponent("takt.json").path
        let exported = try takt(
            "schedule", "--site", site, "--data-dir", data + "-export", "--from", "2026-11-26T05:00", "--time-limit",
            "1s", "--workers", "1", "--export-problem", problem, "--export-solution", answer)
        #expect(exported.code == 2 || exported.code == 0)
        _ = try takt("orders", "import", "--site", site, "--data-dir", data + "-export", csv.path)
        let again = try takt(
            "schedule", "--site", site, "--data-dir", data + "-export", "--from", "2026-11-26T05:00", "--time-limit",
            "1s", "--workers", "1", "--export-problem", problem, "--export-solution", answer)
        #expect(again.code == 0, "\(again.err)")
        let checked = try takt("schedule", "validate-solution", problem, answer)
        #expect(checked.code == 0 && checked.out.hasPrefix("takt: valid; objective"), "\(checked.out)\(checked.err)")
        var broken =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: answer)))
            as? [String: Any] ?? [:]
        broken["tasks"] = (broken["tasks"] as? [Any] ?? []).dropLast().map { $0 }
        try JSONSerialization.data(withJSONObject: broken).write(to: URL(fileURLWithPath: answer))
        let refused = try takt("schedule", "validate-solution", problem, answer, "--json")
        #expect(refused.code == 1 && refused.out.contains("is not placed"), "\(refused.out)")
        #expect(try takt("schedule", "validate-solution", problem, csv.path).code == 2)
        let repaired = try takt(
            "schedule", "disrupt", "--site", site, "--data-dir", data, "--from", "2026-11-26T06:00", "--down", "oven-1",
            "--down-to", "2026-11-26T12:00", "--time-limit", "1s", "--workers", "1")
        #expect(repaired.code == 0, "\(repaired.err)")
        #expect(repaired.out.contains("changes:"))
        let noPlan = try takt("schedule", "disrupt", "--site", site, "--data-dir", data + "-empty", "--rush", "O-1")
        #expect(noPlan.code == 2)
    }

    @Test func costsBudgetsAndQuotesFromTheCommandLine() throws {
        let site = "sites/monterrey-assembly"
        let added = try takt(
            "costs", "add", "--site", site, "--data-dir", data, "--amount", "1000", "--category", "scrap", "--at",
            "2026-11-20T10:00")
        #expect(added.code == 0, "\(added.err)")
        #expect(added.out.contains("recorded 1000.00 MXN (scrap)"))
        let listed = try takt("costs", "--site", site, "--data-dir", data, "--from", "2026-11-01", "--to", "2026-11-30")
        #expect(listed.out.contains("total: 1000.00 MXN"))
        let standard = try takt(
            "costs", "standard", "--site", site, "--data-dir", data, "--product", "mc-200", "--quantity", "100")
        #expect(standard.code == 0 && standard.out.contains("mc-200 × 100:"), "\(standard.err)")
        #expect(standard.out.contains("assembly-1"))
        let budget = try takt(
            "costs", "budget", "set", "--site", site, "--data-dir", data, "--month", "2026-11", "--category", "scrap",
            "--amount", "800")
        #expect(budget.code == 0, "\(budget.err)")
        let shown = try takt("costs", "budget", "--site", site, "--data-dir", data, "--month", "2026-11", "--json")
        #expect(shown.out.contains("\"budget\" : 800") && shown.out.contains("\"actual\" : 1000"), "\(shown.out)")
        // Bad input names what is wrong and writes nothing.
        let negative = try takt(
            "costs", "budget", "set", "--site", site, "--data-dir", data, "--month", "2026-11", "--category", "scrap",
            "--amount=-5")
        #expect(negative.code != 0 && negative.err.contains("0 or more"), "\(negative.err)")
        let month = try takt(
            "costs", "budget", "set", "--site", site, "--data-dir", data, "--month", "2026-13", "--category", "scrap",
            "--amount", "5")
        #expect(month.code != 0 && month.err.contains("2026-13"))
        let unknown = try takt("quote", "--site", site, "--data-dir", data, "--product", "mc-999", "--quantity", "5")
        #expect(unknown.code != 0 && unknown.err.contains("mc-999"))
        let zero = try takt("quote", "--site", site, "--data-dir", data, "--product", "mc-200", "--quantity", "0")
        #expect(zero.code != 0 && zero.err.contains("--quantity"))
        let quote = try takt(
            "quote", "--site", site, "--data-dir", data, "--product", "mc-200", "--quantity", "20", "--json")
        #expect(quote.code == 0, "\(quote.err)")
        #expect(quote.out.contains("\"earliest\"") && quote.out.contains("\"standardCost\""))
    }

    /// An extension from the command line: scaffolded in C and in Swift, built to WebAssembly with this machine's
    /// toolchain, and its own tests run; a file that is not WebAssembly is refused by name.
    @Test func extensionsAreScaffoldedBuiltAndTested() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ext-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, language) in [("paste-rule", "c"), ("swab-rule", "swift")] {
            let made = try takt("extension", "new", name, "--lang", language, "--dir", folder.path)
            #expect(made.code == 0, "\(made.err)")
            let built = try takt("extension", "build", folder.appendingPathComponent(name).path, "--json")
            #expect(built.code == 0 && built.out.contains("\(name).wasm"), "\(built.err)")
            let tested = try takt("extension", "test", folder.appendingPathComponent("\(name)/\(name).wasm").path)
            #expect(tested.code == 0 && tested.out.contains("2 test(s) passed"), "\(tested.err)")
        }
        #expect(try takt("extension", "new", "paste-rule", "--dir", folder.path).err.contains("already exists"))
        let junk = folder.appendingPathComponent("junk.wasm")
        try Data("not a module".utf8).write(to: junk)
        let refused = try takt("extension", "test", junk.path)
        #expect(refused.code != 0 && refused.err.contains("junk: not a WebAssembly module"))
    }

    /// A roster from the Leeds pattern, the matrix, a person's shifts, a session and a refused assessment.
    @Test func peopleFromTheCommandLine() throws {
        let site = "sites/leeds-bakery"
        let generated = try takt(
            "roster", "generate", "--site", site, "--data-dir", data, "--pattern", "early-late", "--team",
            "amara,priya", "--team", "tom", "--from", "2026-12-07", "--days", "14", "--json")
        #expect(generated.code == 0, "\(generated.err)")
        #expect(generated.out.components(separatedBy: "\"staff\"").count - 1 == 30)
        let twice = try takt(
            "roster", "generate", "--site", site, "--data-dir", data, "--pattern", "early-late", "--team", "amara",
            "--team", "tom", "--from", "2026-12-07", "--days", "7")
        #expect(twice.code != 0 && twice.err.contains("already rostered"), "\(twice.err)")
        let shifts = try takt(
            "staff", "shifts", "--site", site, "--data-dir", data, "--staff", "tom", "--from", "2026-12-07", "--days",
            "1")
        #expect(shifts.out.contains("shift 2026-12-07 13:00"), "\(shifts.out)")
        let matrix = try takt("staff", "matrix", "--site", site, "--data-dir", data, "--json")
        #expect(matrix.code == 0 && matrix.out.contains("\"can_train\""), "\(matrix.err)")
        let refused = try takt(
            "staff", "assess", "--site", site, "--data-dir", data, "--staff", "tom", "--skill", "baker", "--level",
            "competent", "--by", "priya")
        #expect(refused.code != 0 && refused.err.contains("only someone at can_train may"), "\(refused.err)")
        let assessed = try takt(
            "staff", "assess", "--site", site, "--data-dir", data, "--staff", "tom", "--skill", "baker", "--level",
            "supervised", "--by", "amara")
        #expect(assessed.code == 0, "\(assessed.err)")
        let noTrainer = try takt(
            "training", "schedule", "--site", site, "--data-dir", data, "--course", "hygiene-2", "--at",
            "2026-12-10T09:00", "--trainer", "tom", "--attendee", "priya")
        #expect(noTrainer.code != 0 && noTrainer.err.contains("may not give hygiene-2"), "\(noTrainer.err)")
        let session = try takt(
            "training", "schedule", "--site", site, "--data-dir", data, "--course", "hygiene-2", "--at",
            "2026-12-10T09:00", "--trainer", "external:Acme Safety", "--attendee", "tom")
        #expect(session.code == 0 && session.out.contains("session 1"), "\(session.err)")
        // Hostile arguments: each refused with a message naming what is wrong, nothing written.
        let hostile: [([String], String)] = [
            (
                [
                    "roster", "generate", "--pattern", "early-late", "--team", "amara", "--team", "tom", "--from",
                    "2026-12-07", "--days", "0",
                ], "--days"
            ),
            (
                [
                    "roster", "generate", "--pattern", "early-late", "--team", "amara", "--team", "tom", "--from",
                    "2026-12-07", "--days", "-5",
                ], "days"
            ),
            (
                [
                    "roster", "generate", "--pattern", "early-late", "--team", "amara", "--team", "tom", "--from",
                    "2026-12-07", "--days", "100000",
                ], "--days"
            ),
            (
                [
                    "roster", "generate", "--pattern", "early-late", "--team", "", "--team", "tom", "--from",
                    "2027-03-01",
                ], "nobody"
            ),
            (
                [
                    "roster", "generate", "--pattern", "early-late", "--team", "amara", "--team", "tom", "--from",
                    "tomorrow",
                ], "--from"
            ),
            (["staff", "assess", "--staff", "tom", "--skill", "baker", "--level", "9", "--by", "amara"], "--level"),
            (
                [
                    "staff", "assess", "--staff", "tom", "--skill", "baker", "--level", "competent", "--by", "amara",
                    "--on", "2099-01-01",
                ], "ahead of today"
            ),
            (
                [
                    "training", "schedule", "--course", "hygiene-2", "--at", "2099-01-01T09:00", "--trainer",
                    "external:X", "--attendee", "tom",
                ], "at most a year ahead"
            ),
            (["training", "record", "--session", "99", "--attended", "tom"], "unknown training session"),
            (
                [
                    "staff", "absent", "--staff", "tom", "--kind", "bored", "--from", "2026-12-07T06:00", "--to",
                    "2026-12-07T14:00",
                ], "--kind"
            ),
        ]
        for (arguments, expected) in hostile {
            let refused = try run("takt", arguments + ["--site", site, "--data-dir", data])
            #expect(refused.code != 0 && refused.err.contains(expected), "\(arguments): \(refused.err)")
        }
        let sessions = try takt("training", "list", "--site", site, "--data-dir", data, "--json")
        #expect(sessions.out.components(separatedBy: "\"course\"").count - 1 == 1)
    }

    @Test func productionReportsGiveOEEPerWorkCentre() throws {
        let site = "sites/leeds-bakery"
        let reported = try takt(
            "production", "report", "--site", site, "--data-dir", data, "--work-centre", "oven-1", "--product",
            "white-loaf",
            "--good", "980", "--scrap", "20", "--from", "2026-11-24T06:00", "--to", "2026-11-24T08:00", "--down", "12m")
        #expect(reported.code == 0, "\(reported.err)")
        #expect(reported.out.contains("availability 90.0 %"))
        let oee = try takt(
            "production", "--site", site, "--data-dir", data, "--from", "2026-11-24T00:00", "--to", "2026-11-25T00:00")
        #expect(oee.out.contains("oven-1: OEE"))
        let bad = try takt(
            "production", "report", "--site", site, "--data-dir", data, "--work-centre", "oven-1", "--product",
            "white-loaf",
            "--good", "1", "--from", "2026-11-25T08:00", "--to", "2026-11-25T06:00")
        #expect(bad.code == 2)
    }
}

extension CLITests {
    /// `takt reels` comes from the electronics_assembly module, not from takt itself: it is listed in the help,
    /// takes the same --site, --data-dir and --json, and refuses bad arguments with exit code 2.
    @Test func aModulesCommandsRunLikeTaktsOwn() throws {
        let site = "sites/penang-smt"
        let help = try takt("--help")
        #expect(help.out.contains("reels") && help.out.contains("(electronics_assembly)"), "\(help.out)")
        let usage = try takt("reels", "record", "--help")
        #expect(usage.code == 0 && usage.out.contains("--work-centre") && usage.out.contains("open, store, bake, use"))

        let added = try takt(
            "reels", "add", "--site", site, "--data-dir", data, "--id", "R1", "--part", "QFN48", "--level", "5a",
            "--json")
        #expect(added.code == 0, "\(added.err)")
        #expect(added.out.contains(#""level" : "5a""#))
        let opened = try takt(
            "reels", "record", "open", "--site", site, "--data-dir", data, "--id", "R1", "--at", "2026-11-20T08:00")
        #expect(opened.code == 0, "\(opened.err)")
        // Used 25 hours after opening: past a level-5a reel's 24 h, so the rule blocks it.
        let used = try takt(
            "reels", "record", "use", "--site", site, "--data-dir", data, "--id", "R1", "--work-centre", "placer-1",
            "--by", "siti", "--at", "2026-11-21T09:00", "--json")
        #expect(used.code == 0, "\(used.err)")
        #expect(used.out.contains("block_reel"))
        let list = try takt("reels", "--site", site, "--data-dir", data)
        #expect(list.out.contains("R1") && list.out.contains("BLOCKED"), "\(list.out)")
        let history = try takt("reels", "history", "--site", site, "--data-dir", data, "--id", "R1", "--json")
        let events = try JSONSerialization.jsonObject(with: Data(history.out.utf8)) as? [[String: Any]]
        #expect(events?.map { $0["kind"] as? String } == ["open", "use"])
        let blocks = try takt("blocks", "--site", site, "--data-dir", data)
        #expect(blocks.out.contains("block_reel  R1"), "\(blocks.out)")

        // Bad input: a level that does not exist, an unknown option, a reel opened twice, a site without the module.
        let level = try takt(
            "reels", "add", "--site", site, "--data-dir", data, "--id", "R2", "--part", "X", "--level", "7")
        #expect(level.code == 2 && level.err.contains("--level: '7' is not one of 1, 2, 2a, 3, 4, 5, 5a, 6"))
        let option = try takt("reels", "add", "--site", site, "--data-dir", data, "--colour", "red")
        #expect(option.code == 2 && option.err.contains("--colour"))
        let twice = try takt(
            "reels", "record", "open", "--site", site, "--data-dir", data, "--id", "R1", "--at", "2026-11-21T10:00")
        #expect(twice.code == 2 && twice.err.contains("reel R1 is already out of dry storage"), "\(twice.err)")
        // Empty, huge, negative, non-numeric and far-future input: exit 2, nothing written.
        let hostile: [[String]] = [
            ["add", "--id", "", "--part", "X", "--level", "3"],
            ["add", "--id", String(repeating: "R", count: 5000), "--part", "X", "--level", "3"],
            ["add", "--id", "R7", "--part", "X", "--level", "3", "--exposed", "-5h"],
            ["add", "--id", "R7", "--part", "X", "--level", "6", "--label-floor-life", "soon"],
            ["record", "open", "--id", "R1", "--at", "2999-01-01T00:00"],
            ["record", "bake", "--id", "R1", "--at", "yesterday"],
            ["add", "--id", "R7", "--part", "X"],
        ]
        for words in hostile {
            let answer = try run("takt", ["reels"] + words + ["--site", site, "--data-dir", data])
            #expect(answer.code == 2, "\(words.map { String($0.prefix(20)) }): \(answer.err)")
        }
        let after = try takt("reels", "--site", site, "--data-dir", data, "--json")
        let reels = try JSONSerialization.jsonObject(with: Data(after.out.utf8)) as? [[String: Any]]
        #expect(reels?.count == 1)
        let bakery = try takt("reels", "--site", "sites/leeds-bakery", "--data-dir", data)
        #expect(bakery.code == 2 && bakery.err.contains("does not load"), "\(bakery.err)")
        let still = try takt("reels", "history", "--site", site, "--data-dir", data, "--id", "R1")
        #expect(still.out.components(separatedBy: "\n").filter { !$0.isEmpty }.count == 2)
    }
}

extension CLITests {
    /// `takt site user` lets staff sign in (PINs for operators, passwords for others, both refused when weak),
    /// and `takt site serve` serves the app until stopped.
    @Test func siteUsersAndTheSiteAppServer() throws {
        let site = "sites/leeds-bakery"
        let pin = FileManager.default.temporaryDirectory.appendingPathComponent("pin-\(UUID().uuidString)").path
        try "1234\n".write(toFile: pin, atomically: true, encoding: .utf8)
        let added = try takt(
            "site", "user", "add", "--site", site, "--data-dir", data, "--staff", "tom", "--role", "operator",
            "--secret-file", pin)
        #expect(added.code == 0, "\(added.err)")
        let weak = try takt(
            "site", "user", "add", "--site", site, "--data-dir", data, "--staff", "amara", "--role", "quality",
            "--secret-file", pin)
        #expect(weak.code == 2 && weak.err.contains("at least 10 characters"))
        let stranger = try takt(
            "site", "user", "add", "--site", site, "--data-dir", data, "--staff", "nobody", "--role", "operator",
            "--secret-file", pin)
        #expect(stranger.code == 2)
        let listed = try takt("site", "user", "--site", site, "--data-dir", data, "--json")
        #expect(listed.out.contains("\"role\" : \"operator\"") && listed.out.contains("tom"))
        let token = try takt(
            "site", "user", "token", "--site", site, "--data-dir", data, "--staff", "tom", "--name", "logger",
            "--checks", "food_processing.ccp.chill")
        #expect(token.code == 0 && token.out.trimmingCharacters(in: .whitespacesAndNewlines).count == 64)
        let badCheck = try takt(
            "site", "user", "token", "--site", site, "--data-dir", data, "--staff", "tom", "--name", "x",
            "--checks", "site.nope")
        #expect(badCheck.code == 2)

        let process = Process()
        process.executableURL = Self.root.appendingPathComponent(".build/debug/takt")
        process.arguments = ["site", "serve", "--site", site, "--data-dir", data, "--app-port", "0"]
        process.currentDirectoryURL = Self.root
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        var line = ""
        while !line.contains("\n"), let chunk = try out.fileHandleForReading.read(upToCount: 1), !chunk.isEmpty {
            line += String(decoding: chunk, as: UTF8.self)
        }
        #expect(line.hasPrefix("site app of leeds-bakery on http://127.0.0.1:"), "\(line)")
        let url = try #require(
            line.split(separator: " ").last.flatMap {
                URL(string: String($0).trimmingCharacters(in: .whitespacesAndNewlines) + "/login")
            })
        let page = try String(contentsOf: url, encoding: .utf8)
        #expect(page.contains("Sign in"))
    }
}
