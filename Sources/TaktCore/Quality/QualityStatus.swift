import Foundation

/// What a site tells central about quality and safety: its open non-conformance reports with their late actions,
/// risk assessments overdue for review or left at a high residual risk, incidents of the last 30 days by kind, and the lost-time injury frequency rate over the last 12 months. Counted
/// to the start of the site's day, so it changes at most once a day unless a record (a reading of a charted check,
/// a report, an alert) changes it.
public struct QualityStatus: Hashable, Sendable, Codable {
    public struct Report: Hashable, Sendable, Codable {
        public var id: String
        public var source: NonConformance.Source
        public var description: String
        public var status: NonConformance.Status
        public var openedAt: Date
        /// Actions not yet verified effective.
        public var actionsOpen: Int
        /// Actions not done by the end of their due day.
        public var actionsOverdue: Int
    }

    /// One charted check as it stands: its limits, its newest points and capability, for central to draw.
    public struct Chart: Hashable, Sendable, Codable {
        public var check: RuleID
        public var name: String
        public var unit: String
        public var workCentre: String?
        /// Nil while the baseline has too few readings.
        public var chart: ControlChart?
        /// The newest points (readings, or subgroup means), oldest first.
        public var points: [Point]
        public var signals: [ControlChart.Signal]
        public var cpk: Double?
        public var limits: CriticalLimits

        public struct Point: Hashable, Sendable, Codable {
            public var at: Date
            public var value: Double

            public init(at: Date, value: Double) {
                self.at = at
                self.value = value
            }
        }

        public init(
            check: RuleID, name: String, unit: String, workCentre: String?, chart: ControlChart?, points: [Point],
            signals: [ControlChart.Signal], cpk: Double?, limits: CriticalLimits
        ) {
            self.check = check
            self.name = name
            self.unit = unit
            self.workCentre = workCentre
            self.chart = chart
            self.points = points
            self.signals = signals
            self.cpk = cpk
            self.limits = limits
        }
    }

    public var reports: [Report]
    /// The site's control charts (`quality.spc`), newest 30 points each.
    public var charts: [Chart]
    public var overdueActions: Int
    /// Incidents in the 30 days before the site's day began, by kind.
    public var incidents: [String: Int]
    /// Lost-time injuries (a day or more lost, a specified injury, a fatality) in the 12 months before today.
    public var lostTimeInjuries: Int
    /// Hours worked in those 12 months, from the roster.
    public var hoursWorked: Double
    /// Lost-time injuries per million hours worked; nil when no hours were rostered.
    public var lostTimeInjuryFrequency: Double?
    /// Risk assessments past their review date.
    public var riskReviewsOverdue: Int
    /// Risk assessments whose residual risk is rated high or very high.
    public var highResidualRisks: Int
    /// Permits to work not yet closed, and those of them past their window.
    public var openPermits: Int
    public var overrunPermits: Int
    /// Alerts waiting to be sent (or retried), and alerts given up after every retry.
    public var alertsWaiting: Int
    public var alertsFailed: Int

    public init(
        reports: [NonConformance], at now: Date, in zone: TimeZone, incidents: [String: Int], lostTimeInjuries: Int,
        hoursWorked: Double, risks: [RiskAssessment] = [],
        permits: [PermitToWork] = [], alerts: [Alert.Status: Int] = [:],
        charts: [Chart] = []
    ) {
        let dayStart = LocalDate(now, in: zone).instant(in: zone)
        self.reports = reports.filter { $0.status != .closed }.map { report in
            Report(
                id: report.id, source: report.source, description: report.description, status: report.status,
                openedAt: report.openedAt, actionsOpen: report.actions.filter { !$0.verifiedEffective }.count,
                actionsOverdue: report.actions.filter {
                    $0.doneAt == nil && dayStart >= $0.due.next(in: zone).instant(in: zone)
                }.count)
        }
        self.overdueActions = self.reports.map(\.actionsOverdue).reduce(0, +)
        self.charts = charts
        self.incidents = incidents
        self.lostTimeInjuries = lostTimeInjuries
        self.hoursWorked = hoursWorked
        self.lostTimeInjuryFrequency = hoursWorked > 0 ? Double(lostTimeInjuries) * 1_000_000 / hoursWorked : nil
        let today = LocalDate(now, in: zone)
        self.riskReviewsOverdue = risks.filter { today > $0.nextReviewBy }.count
        self.highResidualRisks = risks.filter { $0.currentResidual.rating >= .high }.count
        let open = permits.filter(\.isOpen)
        self.openPermits = open.count
        self.overrunPermits = open.filter { $0.to < now }.count
        self.alertsWaiting = alerts[.queued] ?? 0
        self.alertsFailed = alerts[.failed] ?? 0
    }
}
