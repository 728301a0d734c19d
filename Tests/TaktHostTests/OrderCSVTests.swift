import Foundation
import Testing

@testable import TaktCore
@testable import TaktHost
@testable import TaktStore

/// Orders from CSV are all rows or none: every way a file can be misread is refused with its line, and
/// nothing is written.
@Suite struct OrderCSVTests {
    let now = Instant.parse("2026-11-25T10:00:00Z", in: TimeZone(identifier: "UTC")!)!

    func problems(_ text: String) throws -> [String] {
        let host = try SiteHostTests().host()
        do {
            _ = try host.importOrders(csv: text, file: "orders.csv", at: now)
            return []
        } catch {
            guard case .invalidRows(_, let problems) = error else { throw error }
            #expect(try host.openOrders().isEmpty, "nothing may be written when a file is refused")
            return problems
        }
    }

    func imported(_ text: String) throws -> [Order] {
        let host = try SiteHostTests().host()
        _ = try host.importOrders(csv: text, file: "orders.csv", at: now)
        return try host.openOrders()
    }

    @Test func anUnclosedQuoteIsRefusedNotSwallowed() throws {
        let text = "id,product,quantity,due\nO-1,loaf,10,2026-11-27\nO-2,\"loaf,10,2026-11-27\nO-3,loaf,5,2026-11-28\n"
        #expect(
            try problems(text) == ["3: a quoted field opened on this line is never closed (the file ends inside it)"])
    }

    @Test func aQuoteInsideAnUnquotedFieldIsRefused() throws {
        let text = "id,product,quantity,due\nO-1,loaf,10,2026-11-27\nO-2 12\" tin,loaf,10,2026-11-27\n"
        let found = try problems(text)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("3: field 1 has a quote inside an unquoted value") == true)
    }

    @Test func textAfterAClosingQuoteIsRefused() throws {
        let found = try problems("id,product,quantity,due\n\"O-1\"x,loaf,10,2026-11-27\n")
        #expect(found.first?.hasPrefix("2: field 1 has text after its closing quote") == true)
    }

    @Test func aRepeatedColumnIsRefused() throws {
        #expect(
            try problems("id,product,quantity,due,due\nO-1,loaf,10,2026-11-27,2026-11-28\n") == [
                "1: column 'due' appears 2 times"
            ])
    }

    @Test func crlfABOMAndLineBreaksInsideQuotesAreRead() throws {
        let text =
            "\u{FEFF}id,product,quantity,due\r\n\"O-1\r\nsecond line\",loaf,10,2026-11-27\r\nO-2,loaf,\"5\",2026-11-28\r\n"
        let orders = try imported(text)
        #expect(orders.map(\.id) == ["O-1\r\nsecond line", "O-2"])
        #expect(orders.map(\.quantity) == [10, 5])
    }

    @Test func quotedQuotesAndDelimitersAreKept() throws {
        let orders = try imported("id,product,quantity,due\n\"O,1 \"\"big\"\"\",loaf,10,2026-11-27")
        #expect(orders.map(\.id) == ["O,1 \"big\""])
    }

    // MARK: files from real spreadsheets

    func importing(_ data: Data, options: OrderCSV.Options = OrderCSV.Options()) throws -> (
        orders: [Order], notes: [String]
    ) {
        let host = try SiteHostTests().host()
        let summary = try host.importOrders(csv: data, file: "orders.csv", options: options, at: now)
        return (try host.openOrders(), summary.notes)
    }

    @Test func europeanExcelSemicolonsAndDecimalCommas() throws {
        let text =
            "id;product;quantity;due\nO-1;loaf;1,5;2026-11-27\nO-2;loaf;1.200;2026-11-28\nO-3;loaf;1.200,5;2026-11-28\n"
        let (orders, notes) = try importing(Data(text.utf8))
        #expect(orders.map(\.quantity) == [1.5, 1200, 1200.5])
        #expect(notes.contains("fields separated by ';'"))
        // A dot anywhere else is ambiguous there, and refused.
        #expect(
            try problems("id;product;quantity;due\nO-1;loaf;1.5;2026-11-27\n").first?.contains("not a number") == true)
        // In a comma file, "1,700" (quoted) is refused rather than guessed.
        #expect(try problems("id,product,quantity,due\nO-1,loaf,\"1,700\",2026-11-27\n").count == 1)
    }

    @Test func utf16AndWindows1252FilesAreRead() throws {
        let text = "id\tproduct\tquantity\tdue\r\nCafé-1\tloaf\t10\t2026-11-27\r\n"
        var utf16 = Data([0xFF, 0xFE])
        utf16.append(text.data(using: .utf16LittleEndian)!)
        let wide = try importing(utf16)
        #expect(wide.orders.map(\.id) == ["Café-1"])
        #expect(wide.notes.first?.contains("UTF-16") == true)
        let latin = try importing(text.data(using: .windowsCP1252)!)
        #expect(latin.orders.map(\.id) == ["Café-1"])
        #expect(latin.notes.first?.contains("Windows-1252") == true)
        let host = try SiteHostTests().host()
        #expect(throws: HostError.self) {
            _ = try host.importOrders(csv: text.data(using: .utf16LittleEndian)!, file: "o.csv", at: now)
        }
    }

    @Test func extraColumnsAreIgnoredWithANoteAndERPNamesCanBeMapped() throws {
        let text = "Order No,product,quantity,Delivery,customer\nO-1,loaf,10,2026-11-27,Tesco\n"
        #expect(try problems(text).contains("1: missing column 'id'"))
        let mapped = try importing(
            Data(text.utf8), options: OrderCSV.Options(columns: ["id": "Order No", "due": "delivery"]))
        #expect(mapped.orders.map(\.id) == ["O-1"])
        #expect(mapped.notes.contains { $0.contains("ignored column(s) 'customer'") })
    }
}
