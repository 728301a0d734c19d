import Foundation
import TaktCore
import TaktStore

extension SiteHost {
    /// The latest calibration, at or before the reading, of the instrument `reading` names; nil when it names
    /// none. Throws for an instrument the site does not have.
    func calibration(for reading: CheckReading) throws(HostError) -> Calibration? {
        guard let id = reading.instrument else { return nil }
        guard definition.instruments[id] != nil else {
            throw .unknown(kind: "instrument", id: id, known: Array(definition.instruments.keys))
        }
        return try stored { () throws(StoreError) in
            try store.latestCalibrations(of: id, before: reading.at)[id]
        }
    }

    /// What a calibration showed: whether it passed and the findings it raised.
    public struct CalibrationVerdict: Sendable, Codable {
        public var instrument: String
        public var passed: Bool
        /// Why it failed, in words.
        public var failure: String?
        /// Until when the instrument is in calibration (when it passed).
        public var validUntil: Date?
        public var findings: [Finding]
    }

    /// Records a calibration of an instrument: every one of its reference points must have been measured. A
    /// failed calibration raises a critical finding (withdraw the instrument), stored with it.
    public func calibrate(_ calibration: Calibration) throws(HostError) -> CalibrationVerdict {
        guard let instrument = definition.instruments[calibration.instrument] else {
            throw .unknown(kind: "instrument", id: calibration.instrument, known: Array(definition.instruments.keys))
        }
        try requireNotAhead(calibration.at, "the calibration's time")
        try requireStaff(calibration.by)
        for point in calibration.points where !(point.reference.isFinite && point.reading.isFinite) {
            throw .invalidInput("a calibration point must be two numbers, the reference and what the instrument read")
        }
        let measured = Set(calibration.points.map(\.reference))
        let missing = instrument.points.filter { !measured.contains($0) }
        let extra = calibration.points.map(\.reference).filter { !instrument.points.contains($0) }
        guard missing.isEmpty, extra.isEmpty, measured.count == calibration.points.count else {
            let wanted = instrument.points.map { CriticalLimits.format($0) }.joined(separator: ", ")
            throw .invalidInput(
                "\(instrument.id) is calibrated at \(wanted) \(instrument.unit), each once: give what it read at each "
                    + "(--point REFERENCE=READING)")
        }
        let failure = calibration.failure(for: instrument)
        var findings: [Finding] = []
        if let failure {
            findings.append(
                Finding(
                    rule: "site.instruments.calibration", severity: .critical,
                    subject: .init(.instrument, instrument.id),
                    message: "\(instrument.name) (\(instrument.id)) failed its calibration: \(failure)",
                    actions: [
                        FindingAction(
                            .correctiveAction,
                            "Withdraw it; recheck every critical reading it took since its last good calibration")
                    ], raisedAt: calibration.at))
        }
        let raised = try stored { () throws(StoreError) in
            try store.record(calibration, passed: failure == nil, findings: findings)
        }
        return CalibrationVerdict(
            instrument: instrument.id, passed: failure == nil, failure: failure,
            validUntil: calibration.validUntil(for: instrument), findings: raised)
    }

    /// An instrument with its latest calibration and when the next is due.
    public struct InstrumentStatus: Sendable, Codable {
        public var instrument: Instrument
        public var lastCalibrated: Date?
        public var lastPassed: Bool?
        /// When it goes out of calibration (nil: never calibrated, or failed).
        public var validUntil: Date?
        public var inCalibration: Bool
    }

    /// Every instrument of the site, in calibration or not at `now`.
    public func instruments(at now: Date) throws(HostError) -> [InstrumentStatus] {
        let latest = try stored { () throws(StoreError) in try store.latestCalibrations(before: now) }
        return definition.instruments.values.sorted { $0.id < $1.id }.map { instrument in
            let last = latest[instrument.id]
            let until = last.flatMap { $0.validUntil(for: instrument) }
            return InstrumentStatus(
                instrument: instrument, lastCalibrated: last?.at,
                lastPassed: last.map { $0.failure(for: instrument) == nil },
                validUntil: until, inCalibration: until.map { $0 >= now } ?? false)
        }
    }
}
