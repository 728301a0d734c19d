import ElectronicsAssembly
import Foundation
import TaktCore
import TaktTesting
import Testing

/// Every case under Fixtures/ runs through the real host; its transcript must match `expected.txt`.
@Suite struct ElectronicsAssemblyGoldenTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The module's own events, through its public API (`Reels`), exactly as `takt reels` uses it.
    static let verbs: [String: GoldenVerb] = [
        "reel": GoldenVerb(
            label: { "reel \($0["id"] ?? "") MSL \($0["level"] ?? "")" },
            apply: { fields, host, _ in
                guard let level = fields["level"].flatMap(MoistureLevel.init(rawValue:)) else {
                    throw CoreError.invalidInput("bad level '\(fields["level"] ?? "")'")
                }
                _ = try Reels.add(
                    Reel(
                        id: fields["id"] ?? "", part: fields["part"] ?? "", level: level,
                        labelFloorLife: fields["label"].flatMap(TimeSpan.init(parsing:)),
                        thickness: fields["thickness"].flatMap(Double.init),
                        maxBakes: fields["max_bakes"].flatMap { Int($0) }),
                    at: host, now: Date())
                return "added"
            }),
        "reel_event": GoldenVerb(
            label: { "reel \($0["reel"] ?? "") \($0["kind"] ?? "") @ \($0["at"] ?? "")" },
            apply: { fields, host, zone in
                guard let kind = fields["kind"].flatMap(ReelEvent.Kind.init(rawValue:)) else {
                    throw CoreError.invalidInput("bad reel event '\(fields["kind"] ?? "")'")
                }
                let event = ReelEvent(
                    reel: fields["reel"] ?? "", kind: kind, workCentre: fields["work_centre"],
                    at: try GoldenVerb.instant(fields["at"], in: zone),
                    temperature: fields["temperature"].flatMap(Double.init),
                    duration: fields["duration"].flatMap(TimeSpan.init(parsing:)),
                    humidity: fields["humidity"].flatMap(Double.init),
                    sealed: fields["sealed"].flatMap(LocalDate.init(parsing:)),
                    perLabel: fields["per_label"] == "true" ? true : nil)
                return GoldenVerb.describe(try Reels.record(event, at: host).findings)
            }),
    ]

    @Test(arguments: try! GoldenCase.all(in: fixtures).map(\.name))
    func goldenCase(_ name: String) throws {
        let result = try GoldenCase(folder: Self.fixtures.appendingPathComponent(name), verbs: Self.verbs).check()
        #expect(result.actual == result.expected, "\(name): run with TAKT_UPDATE_GOLDEN=1 and read the diff")
    }
}
