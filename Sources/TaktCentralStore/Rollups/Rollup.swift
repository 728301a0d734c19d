import Foundation
import TaktCore

/// How one record a site sent moves central's daily roll-ups (`DailyKPIs`) and what its state row is filtered on.
/// Pure: both stores call it at ingest, inside the transaction that stores the record, and the rebuild calls it
/// over stored records, so incremental and rebuilt roll-ups agree by construction (`RollupTests` checks it).
///
/// Counting "once" (a finding raised, a lot put on hold that day, an incident) uses a mark per site, day and key
/// in `rollup_marks`: the contribution counts only when its mark is new. A finding is sent again whenever it
/// changes (closed, say) and still counts once, on the day it was raised.
public enum Rollup {
    /// One record's contribution to one day.
    public struct Contribution: Sendable {
        public var delta: DailyKPIs
        /// When set, the contribution counts only if `(site, day, mark.kind, mark.key)` was not marked before.
        public var mark: Mark?

        public var day: LocalDate { delta.day }
    }

    public struct Mark: Hashable, Sendable {
        public var kind: String
        public var key: String
    }

    /// What a state row is filtered on: a finding's status, severity and raising time; a lot's status; an
    /// incident's severity and time (seconds since 1970).
    public struct StateColumns: Hashable, Sendable {
        public init(status: String? = nil, severity: String? = nil, at: Double? = nil) {
            self.status = status
            self.severity = severity
            self.at = at
        }

        public var status: String?
        public var severity: String?
        public var at: Double?
    }

    /// The status of a state row whose payload central could not read.
    public static let unreadable = "unreadable"

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    struct FindingHead: Decodable {
        var id: Int64?
        var severity: Severity
        var status: String
        var raisedAt: Date
        var key: String?
    }

    struct LotHead: Decodable {
        var id: String
        var status: String
    }

    struct IncidentHead: Decodable {
        var id: String
        var severity: Severity
        var at: Date
    }

    struct CostHead: Decodable {
        var amount: Double
        var at: Date
        var regionAmount: Double?
    }

    struct ScheduleHead: Decodable {
        var summary: ScheduleSummary
    }

    static func decode<T: Decodable>(_ type: T.Type, _ payload: String) -> T? {
        try? decoder.decode(T.self, from: Data(payload.utf8))
    }

    /// The state columns of a record central projects to `state`.
    /// What one record does at ingest: the columns of its state row and its day's contribution, from one
    /// decoding of its payload.
    public struct Effect: Sendable {
        public var columns: StateColumns
        public var contribution: Contribution?

        init(columns: StateColumns, contribution: Contribution? = nil) {
            self.columns = columns
            self.contribution = contribution
        }
    }

    /// A record's state columns and contribution. A finding, lot or incident that does not decode gets the
    /// status `unreadable`, so pages count it (one could be a critical breach) instead of losing it from every
    /// filtered list; it adds nothing to the roll-ups (counted as unreadable on the site's page, not guessed at).
    /// Days are the site's (`zone`).
    public static func effect(kind: String, key: String, payload: String, createdAt: Date, zone: TimeZone) -> Effect {
        switch kind {
        case "finding":
            guard let finding = decode(FindingHead.self, payload) else {
                return Effect(columns: StateColumns(status: unreadable))
            }
            var delta = DailyKPIs(day: LocalDate(finding.raisedAt, in: zone))
            switch finding.severity {
            case .critical: delta.findingsCritical = 1
            case .major: delta.findingsMajor = 1
            case .minor: delta.findingsMinor = 1
            case .info: delta.findingsInfo = 1
            }
            if finding.key?.hasPrefix("overdue:") == true { delta.checksMissed = 1 }
            return Effect(
                columns: StateColumns(
                    status: finding.status, severity: finding.severity.rawValue,
                    at: finding.raisedAt.timeIntervalSince1970),
                contribution: Contribution(delta: delta, mark: Mark(kind: "finding", key: key)))
        case "lot":
            guard let lot = decode(LotHead.self, payload) else {
                return Effect(columns: StateColumns(status: unreadable))
            }
            guard lot.status == Lot.Status.onHold.rawValue else {
                return Effect(columns: StateColumns(status: lot.status))
            }
            var delta = DailyKPIs(day: LocalDate(createdAt, in: zone))
            delta.lotsHeld = 1
            return Effect(
                columns: StateColumns(status: lot.status),
                contribution: Contribution(delta: delta, mark: Mark(kind: "lot_hold", key: lot.id)))
        case "incident":
            guard let incident = decode(IncidentHead.self, payload) else {
                return Effect(columns: StateColumns(status: unreadable))
            }
            var delta = DailyKPIs(day: LocalDate(incident.at, in: zone))
            delta.incidents = 1
            delta.incidentsMajor = incident.severity >= .major ? 1 : 0
            return Effect(
                columns: StateColumns(severity: incident.severity.rawValue, at: incident.at.timeIntervalSince1970),
                contribution: Contribution(delta: delta, mark: Mark(kind: "incident", key: incident.id)))
        default:
            return Effect(
                columns: StateColumns(),
                contribution: factContribution(kind: kind, payload: payload, createdAt: createdAt, zone: zone))
        }
    }

    /// What a record adds to its day (the rebuild's fold; ingest uses `effect`).
    public static func contribution(
        kind: String, key: String, payload: String, createdAt: Date, zone: TimeZone
    ) -> Contribution? {
        effect(kind: kind, key: key, payload: payload, createdAt: createdAt, zone: zone).contribution
    }

    /// The contribution of a record without a state row of its own that pages filter on.
    static func factContribution(kind: String, payload: String, createdAt: Date, zone: TimeZone) -> Contribution? {
        switch kind {
        case "check_reading":
            var delta = DailyKPIs(day: LocalDate(createdAt, in: zone))
            delta.checksRecorded = 1
            return Contribution(delta: delta)
        case "production":
            guard let report = decode(ProductionReport.self, payload) else { return nil }
            var delta = DailyKPIs(day: LocalDate(report.to, in: zone))
            delta.plannedSeconds = report.plannedSeconds
            delta.runSeconds = report.runSeconds
            delta.made = report.good + report.scrap
            delta.good = report.good
            delta.idealSeconds = (report.good + report.scrap) * report.idealSecondsPerUnit
            delta.productionReports = 1
            return Contribution(delta: delta)
        case "cost":
            guard let cost = decode(CostHead.self, payload) else { return nil }
            var delta = DailyKPIs(day: LocalDate(cost.at, in: zone))
            delta.cost = cost.amount
            delta.costRegion = cost.regionAmount ?? 0
            return Contribution(delta: delta)
        case "schedule":
            guard let schedule = decode(ScheduleHead.self, payload) else { return nil }
            var delta = DailyKPIs(day: LocalDate(createdAt, in: zone))
            delta.scheduleAt = createdAt.timeIntervalSince1970
            delta.onTimeShare = schedule.summary.onTimeShare
            delta.lateOrders = schedule.summary.late.count
            return Contribution(delta: delta)
        case "training":
            // The site's judgement of its people's certificates on a day; the newest judgement of a day wins.
            guard let training = decode(DayTraining.self, payload), training.needed >= 0,
                (0...training.needed).contains(training.valid)
            else { return nil }
            var delta = DailyKPIs(day: training.day)
            delta.trainingAt = createdAt.timeIntervalSince1970
            delta.certificatesNeeded = training.needed
            delta.certificatesValid = training.valid
            return Contribution(delta: delta)
        case "adherence":
            // The site's judgement of its day; the newest judgement of a day wins.
            guard let adherence = decode(DayAdherence.self, payload), adherence.due >= 0,
                (0...adherence.due).contains(adherence.onTime)
            else { return nil }
            var delta = DailyKPIs(day: adherence.day)
            delta.adherenceAt = createdAt.timeIntervalSince1970
            delta.ordersDue = adherence.due
            delta.ordersOnTime = adherence.onTime
            return Contribution(delta: delta)
        default:
            return nil
        }
    }

    /// Sums contributions per day, after the marks that were already set are dropped by the caller.
    public static func byDay(_ contributions: some Sequence<Contribution>) -> [LocalDate: DailyKPIs] {
        var days: [LocalDate: DailyKPIs] = [:]
        for contribution in contributions {
            days[contribution.day, default: DailyKPIs(day: contribution.day)].add(contribution.delta)
        }
        return days
    }
}
