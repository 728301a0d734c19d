import ArgumentParser
import Foundation
import TaktCore
import TaktHost

/// `takt instruments`: the site's measuring instruments, whether each is in calibration, and recording a
/// calibration.
struct InstrumentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "instruments", abstract: "Measuring instruments and their calibration.",
        subcommands: [List.self, Calibrate.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Each instrument: last calibration, whether it passed, until when it is in calibration.")

        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let host = try site.open()
            let statuses = try host.instruments(at: Date())
            if output.json { return try output.print(json: statuses) }
            let zone = host.definition.timeZone
            if statuses.isEmpty { print("no instruments (list them under instruments: in site.yaml)") }
            for status in statuses {
                let instrument = status.instrument
                let state =
                    status.inCalibration
                    ? "in calibration until \(Instant.format(status.validUntil ?? Date(), in: zone))"
                    : status.lastCalibrated == nil
                        ? "NEVER CALIBRATED"
                        : status.lastPassed == false
                            ? "FAILED its last calibration"
                            : "OUT OF CALIBRATION since \(Instant.format(status.validUntil ?? Date(), in: zone))"
                print(
                    "\(instrument.id): \(instrument.name), every \(instrument.every), ±\(CriticalLimits.format(instrument.tolerance)) \(instrument.unit) at "
                        + instrument.points.map { CriticalLimits.format($0) }.joined(separator: ", ") + " — \(state)")
            }
        }
    }

    struct Calibrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a calibration: what the instrument read at each reference point.",
            discussion:
                "Example: takt instruments calibrate --site sites/leeds-bakery --id probe-1 --ice 0.4 --boil 99.6 --by amara"
        )

        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions

        @Option(help: "The instrument's id.") var id: String
        @Option(help: "REFERENCE=READING, once per reference point: --point 0=0.4 --point 100=99.6.")
        var point: [CalibrationPointArgument] = []
        @Option(help: "A thermometer's reading in melting ice (the 0 °C point).") var ice: Double?
        @Option(help: "A thermometer's reading in boiling water (the 100 °C point).") var boil: Double?
        @Option(help: "Staff id of who calibrated it.") var by: String?
        @Option(help: "When (site-local unless a zone is given); now when absent.") var at: String?

        func run() throws {
            let host = try site.open()
            var points = point.map { Calibration.Point(reference: $0.reference, reading: $0.reading) }
            if let ice { points.append(.init(reference: 0, reading: ice)) }
            if let boil { points.append(.init(reference: 100, reading: boil)) }
            guard !points.isEmpty else {
                throw ValidationError("give what it read: --point 0=0.4, or --ice and --boil")
            }
            let instant = try parseInstant(at, option: "--at", in: host.definition.timeZone)
            let verdict = try host.calibrate(Calibration(instrument: id, points: points, by: by, at: instant))
            if output.json { return try output.print(json: verdict) }
            if verdict.passed {
                print(
                    "\(id): passed; in calibration until \(Instant.format(verdict.validUntil ?? instant, in: host.definition.timeZone))"
                )
            } else {
                print("\(id): FAILED: \(verdict.failure ?? "")")
                for finding in verdict.findings {
                    print(FindingsCommand.line(for: finding, timeZone: host.definition.timeZone))
                }
            }
        }
    }
}

/// `0=0.4`: a calibration's reference point and what the instrument read there.
struct CalibrationPointArgument: ExpressibleByArgument {
    var reference: Double
    var reading: Double

    init?(argument: String) {
        let parts = argument.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let reference = Double(parts[0]), let reading = Double(parts[1]), reference.isFinite,
            reading.isFinite
        else { return nil }
        self.reference = reference
        self.reading = reading
    }
}
