import Foundation
import TaktCore

/// Every string a person reads in the site app, per language (`Catalogues/en.json`, `es.json`, `ms.json`).
/// A text may hold `{0}`, `{1}` … for values; every catalogue has every key (`CatalogueTests`).
public struct Catalogue: Sendable {
    public let texts: [SiteLocale: [String: String]]

    /// The catalogues shipped with Takt.
    public static let shipped: Catalogue = {
        var texts: [SiteLocale: [String: String]] = [:]
        for locale in SiteLocale.allCases {
            guard
                let url = Bundle.module.url(
                    forResource: locale.rawValue, withExtension: "json", subdirectory: "Catalogues"),
                let data = try? Data(contentsOf: url),
                let table = try? JSONDecoder().decode([String: String].self, from: data)
            else { continue }
            texts[locale] = table
        }
        return Catalogue(texts: texts)
    }()

    /// The text for `key` in `locale` with `values` filled in; English when the language lacks it (a test
    /// stops that shipping), the key itself when even English does.
    public func text(_ key: String, _ locale: SiteLocale, _ values: [String] = []) -> String {
        var text = texts[locale]?[key] ?? texts[.english]?[key] ?? key
        for (index, value) in values.enumerated() { text = text.replacingOccurrences(of: "{\(index)}", with: value) }
        return text
    }

    /// Keys some catalogue has and `locale`'s lacks.
    public func missing(in locale: SiteLocale) -> [String] {
        let all = Set(texts.values.flatMap(\.keys))
        return all.subtracting(texts[locale]?.keys.map { $0 } ?? []).sorted()
    }
}

/// The catalogue bound to one person's language, for a page being written.
struct Texts {
    let catalogue: Catalogue
    let locale: SiteLocale

    func callAsFunction(_ key: String, _ values: String...) -> String { catalogue.text(key, locale, values) }

    /// A time as this language writes it, in the site's zone.
    func time(_ date: Date, _ zone: TimeZone) -> String {
        date.formatted(
            Date.FormatStyle(
                date: .abbreviated, time: .shortened, locale: Locale(identifier: locale.rawValue), timeZone: zone))
    }

    /// A number as this language writes it (`6,5` in Spanish).
    func number(_ value: Double) -> String {
        value.formatted(.number.precision(.fractionLength(0...2)).locale(Locale(identifier: locale.rawValue)))
    }

    /// How long until `date` from `now`, or how long ago: `in 35 min`, `2 h 5 min overdue`.
    func countdown(to date: Date, from now: Date) -> String {
        let seconds = Int(date.timeIntervalSince(now))
        let minutes = abs(seconds) / 60
        let span =
            minutes >= 60
            ? self("span.hours_minutes", String(minutes / 60), String(minutes % 60))
            : self("span.minutes", String(minutes))
        return seconds >= 0 ? self("due.in", span) : self("due.overdue_by", span)
    }
}
