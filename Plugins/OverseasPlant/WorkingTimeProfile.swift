import Foundation
import TaktCore

/// The working-time law of one country, as rules that judge a roster entry against the same person's others,
/// with its numbers from `WorkingTimeLaw.table`.
public struct WorkingTimeProfile: Sendable {
    /// The countries Takt knows the law of.
    public enum Country: String, Codable, Sendable, CaseIterable {
        /// Working Time Directive 2003/88/EC.
        case eu
        /// Working Time Regulations 1998 (Great Britain; Northern Ireland has regulations to the same effect).
        case uk
        /// Ley Federal del Trabajo and the Constitution's art. 123 as reformed in 2026.
        case mexico
        /// Employment Act 1955, as amended in 2022.
        case malaysia
        /// Organisation of Working Time Act 1997 (the directive as Ireland enacts it).
        case ireland

        /// The law that applies where the site is, from its ISO 3166 code, when the site does not name one.
        static func forCountry(_ code: String?) -> Country? {
            guard let code = code?.split(separator: "-").first.map(String.init) else { return nil }
            switch code {
            case "GB": return .uk
            case "IE": return .ireland
            case "MX": return .mexico
            case "MY": return .malaysia
            case "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IT", "LV", "LT", "LU",
                "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE":
                return .eu
            default: return nil
            }
        }

        /// The jurisdiction of its rows in `WorkingTimeLaw.table`.
        var jurisdiction: String {
            switch self {
            case .eu: return "EU"
            case .uk: return "GB"
            case .ireland: return "IE"
            case .mexico: return "MX"
            case .malaysia: return "MY"
            }
        }

        /// Whether the 48-hour average and its reference period apply.
        var averagesTheWeek: Bool { self == .eu || self == .uk || self == .ireland }
    }

    /// On what a reference period longer than the law's default rests.
    public enum ReferenceBasis: String, Codable, Sendable {
        /// The law's default: at most 17 weeks (four months in Ireland).
        case law
        /// A derogation the law allows for the activity (continuity of production, seasonal work): at most 26 weeks.
        case derogation
        /// A collective (or, in the UK, workforce) agreement: at most 52 weeks.
        case collectiveAgreement = "collective_agreement"

        /// The id of the number that bounds it.
        var limit: String {
            switch self {
            case .law: return WorkingTimeLaw.referencePeriod
            case .derogation: return WorkingTimeLaw.referenceDerogation
            case .collectiveAgreement: return WorkingTimeLaw.referenceAgreement
            }
        }
    }

    public var country: Country
    public var referenceWeeks: Int
    public var minimumBreak: TimeSpan

    /// One rule per limit, each named so that a refusal says which.
    func rules() -> [WorkingTimeRule] {
        let prefix: String
        let limits: [WorkingTimeRule.Limit]
        switch country {
        case .eu, .ireland, .uk:
            prefix = country == .uk ? "uk" : "eu"
            limits = [
                .averageWeek(referenceWeeks: referenceWeeks), .dailyRest, .weeklyRest, .workingDay,
                country == .ireland ? .ieBreaks : .breaks(minimumBreak), .youngWorkers,
                .nightWork(referenceWeeks: referenceWeeks),
            ]
        case .mexico:
            prefix = "mx"
            limits = [.mxDailyOvertime, .mxOvertimeDaysPerWeek, .mxWeek, .mxBreak, .restDay]
        case .malaysia:
            prefix = "my"
            limits = [.myWorkingDay, .myBreak, .restDay, .myMonthlyOvertime]
        }
        return limits.map { WorkingTimeRule($0, prefix: prefix, jurisdiction: country.jurisdiction) }
    }
}
