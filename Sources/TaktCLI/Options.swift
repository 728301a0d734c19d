import ArgumentParser
import Foundation
import TaktCore
import TaktHost

/// `--site PATH` and `--data-dir DIR`, shared by every command that works on one site.
struct SiteOptions: ParsableArguments {
    @Option(
        name: .long, help: "The site folder holding site.yaml, or the file itself.",
        completion: .file(extensions: ["yaml"]))
    var site: String

    @Option(
        name: .long, help: "Where site databases live (<dir>/<site-id>.sqlite); default $TAKT_DATA_DIR or data.",
        completion: .directory)
    var dataDir: String = ProcessInfo.processInfo.environment["TAKT_DATA_DIR"] ?? "data"

    /// Loads the site and opens its database.
    func open() throws -> SiteHost {
        try SiteHost.open(path: site, dataDirectory: dataDir, registry: try Takt.modules())
    }
}

/// `--json`, for every command that prints data.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    func print(json value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}

/// The site, `--json`, who does a step (`--by`) and when (`--at`): shared by the commands that move a record
/// through its life (`takt ncr`, `takt permits`).
struct StepOptions: ParsableArguments {
    @OptionGroup var site: SiteOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "Staff id of who does it.") var by: String
    @Option(help: "When (site-local); now when absent.") var at: String?

    /// `--at` in the site's time zone, or now.
    func time(_ host: SiteHost) throws -> Date { try parseInstant(at, option: "--at", in: host.definition.timeZone) }

    /// Prints `value` as JSON with `--json`, else as `text` says.
    func print<T: Encodable>(_ value: T, _ text: (T) -> String) throws {
        if output.json { return try output.print(json: value) }
        Swift.print(text(value))
    }
}

/// Parses an instant given on the command line, in the site's time zone unless it names one.
func parseInstant(_ text: String?, option: String, in timeZone: TimeZone) throws -> Date {
    guard let text else { return Date() }
    guard let date = Instant.parse(text, in: timeZone) else {
        throw ValidationError("\(option): '\(text)' is not a date and time (use 2026-11-25T14:30 or ISO 8601)")
    }
    return date
}

/// A duration on the command line, spelled as everywhere in Takt (`30s`, `2m`, `4h`, `14d`, `1h30m`); a bare
/// number is seconds.
struct DurationArgument: ExpressibleByArgument, Sendable {
    var seconds: Int

    init(seconds: Int) { self.seconds = seconds }

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces)
        if let whole = Int(text), whole >= 0, whole <= TimeSpan.maximumSeconds {
            seconds = whole
        } else if let decimal = Double(text), decimal.isFinite, decimal >= 0, decimal <= Double(TimeSpan.maximumSeconds)
        {
            seconds = Int(decimal.rounded(.up))
        } else if let span = TimeSpan(parsing: text), Int(text) == nil {
            seconds = span.seconds
        } else {
            return nil
        }
    }

    var defaultValueDescription: String { TimeSpan(seconds: seconds).description }
}

/// A period from `--from` and `--to` (site-local): `to` now when absent, `from` `days` before `to` when absent;
/// refused unless `from` is before `to`.
func parsePeriod(from: String?, to: String?, days: Int, in zone: TimeZone) throws -> DateInterval {
    let end = try parseInstant(to, option: "--to", in: zone)
    let start =
        try from.map { try parseInstant($0, option: "--from", in: zone) }
        ?? end.addingTimeInterval(-Double(days) * 86_400)
    guard start < end else { throw ValidationError("--from must be before --to") }
    return DateInterval(start: start, end: end)
}

/// A site-local day (`2026-12-07`), or today in `timeZone` when absent.
func parseDay(_ text: String?, option: String, in timeZone: TimeZone) throws -> LocalDate {
    guard let text else { return LocalDate(Date(), in: timeZone) }
    guard let day = LocalDate(parsing: text) else {
        throw ValidationError("\(option): '\(text)' is not a day (use 2026-12-07)")
    }
    return day
}
