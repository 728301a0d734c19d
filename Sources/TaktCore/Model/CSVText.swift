import Foundation

/// CSV as spreadsheets open it (RFC 4180): fields quoted when they hold a separator, a quote or a line break.
/// A field that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, a tab or a carriage return first) is
/// written with a leading `'`, so a finding's text from a site can never execute in the manager's spreadsheet;
/// numbers are left as they are.
public enum CSVText {
    /// One line, without its line break.
    public static func line(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") }

    /// A whole file: the header, then the rows, each line ended by CRLF.
    public static func file(header: [String], rows: [[String]]) -> String {
        ([line(header)] + rows.map(line)).map { $0 + "\r\n" }.joined()
    }

    public static func field(_ text: String) -> String {
        var text = text
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), Double(text) == nil {
            text = "'" + text
        }
        return text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
