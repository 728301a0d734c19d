import Crypto
import Foundation
import Testing
import WAT

@testable import BuiltinModules
@testable import TaktCore
@testable import TaktExtensions
@testable import TaktHost
@testable import TaktStore

/// The two example extensions through the real loader, host and store, and hostile extensions at a site: refused
/// at load with the extension named, or contained while the site keeps recording readings.
@Suite(.serialized) struct ExtensionSitesTests {
    /// The example modules, built from source once if a plain `swift test` runs before `make test` did.
    static let built: Bool = {
        let missing = ["solder-paste", "leeds-sanitation"].contains {
            !FileManager.default.fileExists(atPath: "Extensions/\($0)/\($0).wasm")
        }
        guard missing else { return true }
        for name in ["solder-paste", "leeds-sanitation"] {
            guard (try? ExtensionBuilder.build(URL(fileURLWithPath: "Extensions/\(name)").standardizedFileURL)) != nil
            else { return false }
        }
        return true
    }()

    func host(_ site: String, at now: Date) throws -> SiteHost {
        #expect(Self.built)
        let definition = try SiteLoader(registry: try BuiltinModules.registry()).load(path: "sites/\(site)")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ext-\(UUID().uuidString).sqlite")
        return SiteHost(
            definition: definition,
            store: try SiteStore(path: path.path, siteID: definition.site.id, recordKinds: definition.recordKinds),
            clock: { now })
    }

    /// Golden: Penang's paste on the stencil 9.5 h (work life 8 h) holds its lot with the data sheet's action, in
    /// Malay too; 7 h warns; a jar opened after 2 h of thawing is major.
    @Test func penangSolderPasteLife() throws {
        let now = Date()
        let host = try host("penang-smt", at: now)
        #expect(host.definition.extensions.map(\.id) == ["penang.solder_paste"])
        try host.addLot(
            Lot(id: "P-7", product: "ctrl-board-a", quantity: 1, producedAt: now.addingTimeInterval(-60)), at: now)
        let over = try host.record(
            CheckReading(check: "site.paste.stencil_hours", value: 9.5, lot: "P-7", workCentre: "printer-1", at: now))
        let finding = try #require(over.findings.first { $0.rule == "site.extension.penang.solder_paste" })
        #expect(
            finding.severity == .major && finding.message == "Paste on the stencil for 9.5 h: past its 8 h work life")
        #expect(finding.actions.contains { $0.kind == .holdLot && $0.target == "P-7" })
        #expect(finding.message(in: .malay).hasPrefix("Pes pada stensil selama 9.5 jam"))
        #expect(try host.store.lot("P-7")?.status == .onHold)
        let warn = try host.record(
            CheckReading(check: "site.paste.stencil_hours", value: 7, workCentre: "printer-1", at: now))
        #expect(warn.findings.map(\.severity) == [.minor])
        let thaw = try host.record(
            CheckReading(check: "site.paste.thaw_hours", value: 2, workCentre: "printer-1", at: now))
        #expect(
            thaw.findings.first?.message
                == "Paste jar opened after 2 h of thawing; the data sheet asks for at least 4 h")
    }

    /// Golden: Leeds's ATP swab of 200 RLU is fine on a Tuesday (routine limit 300) but major after Friday's deep
    /// clean (150); 1,500 RLU blocks the line whatever the day.
    @Test func leedsSanitationBySwabTime() throws {
        let zone = TimeZone(identifier: "Europe/London")!
        let friday = LocalDate(year: 2026, month: 12, day: 4).instant(at: LocalTime(hour: 15, minute: 0), in: zone)
        let tuesday = LocalDate(year: 2026, month: 12, day: 1).instant(at: LocalTime(hour: 10, minute: 0), in: zone)
        let host = try host("leeds-bakery", at: friday.addingTimeInterval(3600))
        let routine = try host.record(
            CheckReading(check: "site.atp_swab", value: 200, workCentre: "oven-1", at: tuesday))
        #expect(routine.findings.isEmpty)
        let deep = try host.record(CheckReading(check: "site.atp_swab", value: 200, workCentre: "oven-1", at: friday))
        #expect(deep.findings.map(\.severity) == [.major])
        #expect(deep.findings.first?.message == "ATP swab 200 RLU after the Friday deep clean: above its 150 RLU")
        let dirty = try host.record(
            CheckReading(check: "site.atp_swab", value: 1500, workCentre: "mixer-1", at: tuesday))
        #expect(
            dirty.findings.first?.actions.contains { $0.kind == .blockWorkCentre && $0.target == "mixer-1" } == true)
        #expect(try host.activeBlocks().contains { $0.target == "mixer-1" })
        // The deep clean is the rye line's (a text setting against the swab's work centre, from the host).
        let mixerFriday = try host.record(
            CheckReading(check: "site.atp_swab", value: 200, workCentre: "mixer-1", at: friday.addingTimeInterval(60)))
        #expect(mixerFriday.findings.isEmpty)
    }

    /// Golden: a routine swab above 300 RLU right after another above it on the same work centre (the host's
    /// history) is major and blocks that line; a failed swab on another line in between does not count.
    @Test func leedsSanitationEscalatesARepeatedFailure() throws {
        let zone = TimeZone(identifier: "Europe/London")!
        func wednesday(_ hour: Int) -> Date {
            LocalDate(year: 2026, month: 12, day: 2).instant(at: LocalTime(hour: hour, minute: 0), in: zone)
        }
        let host = try host("leeds-bakery", at: wednesday(13))
        let first = try host.record(
            CheckReading(check: "site.atp_swab", value: 450, workCentre: "sandwich-line", at: wednesday(10)))
        #expect(first.findings.map(\.severity) == [.minor])
        let other = try host.record(
            CheckReading(check: "site.atp_swab", value: 350, workCentre: "mixer-1", at: wednesday(11)))
        #expect(other.findings.map(\.severity) == [.minor])
        let again = try host.record(
            CheckReading(check: "site.atp_swab", value: 400, workCentre: "sandwich-line", at: wednesday(12)))
        let finding = try #require(again.findings.first)
        #expect(again.findings.count == 1 && finding.severity == .major)
        #expect(
            finding.message
                == "ATP swab 400 RLU after a routine clean: the second above 300 RLU in a row (450 RLU before); the line is blocked"
        )
        #expect(finding.actions.contains { $0.kind == .blockWorkCentre && $0.target == "sandwich-line" })
        #expect(try host.activeBlocks().contains { $0.target == "sandwich-line" })
        #expect(try !host.activeBlocks().contains { $0.target == "mixer-1" })
    }

    /// A site whose extension is not WebAssembly, does not match its hash, or fails its own tests does not load,
    /// and the message names the extension; one that loops for ever is stopped by its fuel while the reading is
    /// recorded and the failure becomes a finding with the extension's id and version.
    @Test func hostileExtensionsAreRefusedOrContainedAtASite() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ext-site-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        func site(_ module: [UInt8], hash: String? = nil) throws -> String {
            let file = folder.appendingPathComponent("probe.wasm")
            try Data(module).write(to: file)
            let digest = hash ?? SHA256.hash(data: module).map { String(format: "%02x", $0) }.joined()
            return """
                site: {id: s, name: S, region: r, time_zone: Europe/London, currency: GBP}
                work_centres: [{id: line}]
                rules:
                  checks:
                    - {id: site.probe, name: Probe, unit: °C, min: -50, work_centres: [line], corrective_action: Look}
                extensions:
                  - {id: test.max, module: probe.wasm, sha256: \(digest), config: {max: 5}, fuel: 20000}
                """
        }
        func load(_ text: String) throws -> SiteDefinition {
            try SiteLoader(registry: try BuiltinModules.registry()).load(
                text: text, file: folder.appendingPathComponent("site.yaml").path)
        }
        func refusal(_ text: String) -> String {
            do {
                _ = try load(text)
                return "accepted"
            } catch { return "\(error)" }
        }
        let good = try wat2wasm(ExtensionRuntimeTests.module())
        #expect(refusal(try site(Array("MZ not wasm".utf8))).contains("test.max: not a WebAssembly module"))
        #expect(
            refusal(try site(good, hash: String(repeating: "0", count: 64))).contains("test.max: the module's SHA-256"))
        let lying = ExtensionRuntimeTests.module(judge: "(i32.const 0)")
        #expect(refusal(try site(try wat2wasm(lying))).contains("test.max: fails its own test 1"))

        let looping = try wat2wasm(
            ExtensionRuntimeTests.module(
                judge: """
                    (if (f64.lt (local.get $value) (f64.const 100)) (then
                      (if (f64.gt (local.get $value) (global.get $max)) (then
                        (i32.store (i32.const 4096) (i32.const 0)) (i32.store (i32.const 4100) (i32.const 3))
                        (return (i32.const 1))))
                      (return (i32.const 0))))
                    (loop $forever (br $forever)) (i32.const 0)
                    """))
        let definition = try load(try site(looping))
        let host = SiteHost(
            definition: definition,
            store: try SiteStore(path: folder.appendingPathComponent("s.sqlite").path, siteID: "s"))
        let stuck = try host.record(CheckReading(check: "site.probe", value: 150, workCentre: "line", at: Date()))
        #expect(stuck.findings.first?.message.contains("test.max: ran out of fuel") == true, "\(stuck.findings)")
        #expect(stuck.findings.first?.message.contains("version 1.2.0") == true)
        // The site goes on: the next reading is recorded and judged.
        let next = try host.record(CheckReading(check: "site.probe", value: 9, workCentre: "line", at: Date()))
        #expect(next.findings.map(\.severity) == [.major])
        #expect(try host.store.readings(of: "site.probe").count == 2)
    }
}
