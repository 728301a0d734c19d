import Testing

@testable import TaktCore
@testable import TaktSiteApp

/// Every language of the site app has every text: a key added in one catalogue and forgotten in another fails
/// here, not on a Spanish-speaking operator's tablet.
@Suite struct CatalogueTests {
    @Test(arguments: SiteLocale.allCases)
    func everyCatalogueHasEveryKey(_ locale: SiteLocale) {
        #expect(Catalogue.shipped.texts[locale] != nil, "no catalogue for \(locale.rawValue)")
        #expect(
            Catalogue.shipped.missing(in: locale).isEmpty,
            "\(locale.rawValue) lacks \(Catalogue.shipped.missing(in: locale))")
    }

    @Test func placeholdersMatchAcrossLanguages() {
        let english = Catalogue.shipped.texts[.english] ?? [:]
        for locale in SiteLocale.allCases {
            for (key, text) in Catalogue.shipped.texts[locale] ?? [:] {
                let holes = { (text: String) in (0..<5).filter { text.contains("{\($0)}") } }
                #expect(holes(text) == holes(english[key] ?? ""), "\(locale.rawValue) \(key)")
            }
        }
    }
}
