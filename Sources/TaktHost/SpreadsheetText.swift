import Foundation

/// Text and numbers as spreadsheets save them: the file's encoding (UTF-8, Excel's "Unicode text" UTF-16, or
/// Windows-1252), its field separator (`,`, `;` in much of Europe, or a tab), and numbers written with a decimal
/// comma where the separator leaves the comma free.
public enum SpreadsheetText {
    /// The file as text, with a note when it was not UTF-8. Refuses what it cannot read safely.
    public static func decode(_ data: Data, file: String) throws(HostError) -> (text: String, note: String?) {
        let bytes = [UInt8](data.prefix(4))
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            guard let text = String(data: data, encoding: .utf16) else {
                throw .cannotRead(path: file, reason: "it starts like UTF-16 but is not; save it as CSV UTF-8")
            }
            return (text, "read as UTF-16 (Excel's \"Unicode text\")")
        }
        if data.contains(0) {
            throw .cannotRead(
                path: file,
                reason: "it holds NUL bytes (UTF-16 without a byte order mark?); save it as CSV UTF-8")
        }
        if let text = String(data: data, encoding: .utf8) { return (text, nil) }
        if let text = String(data: data, encoding: .windowsCP1252) {
            return (text, "read as Windows-1252 (it is not UTF-8); save it as CSV UTF-8 to be sure of accents")
        }
        throw .cannotRead(path: file, reason: "the text is neither UTF-8 nor Windows-1252; save it as CSV UTF-8")
    }

    /// The separator of the header line: whichever of `,` `;` and tab appears most outside quotes (`,` on a tie).
    public static func delimiter(of text: String) -> Character {
        var counts: [Character: Int] = [",": 0, ";": 0, "\t": 0]
        var quoted = false
        for character in text {
            if character == "\n" || character == "\r\n" { if !quoted { break } }
            if character == "\"" { quoted.toggle() }
            if !quoted, counts[character] != nil { counts[character, default: 0] += 1 }
        }
        let best = counts.max { ($0.value, $0.key == "," ? 1 : 0) < ($1.value, $1.key == "," ? 1 : 0) }
        return (best?.value ?? 0) > 0 ? best!.key : ","
    }

    /// A number as a spreadsheet wrote it. With `decimalComma` (a file separated by `;` or tabs), `1,5` is 1.5
    /// and `1.700` or `1.700,5` use `.` to group thousands; a `.` in any other place is refused as ambiguous.
    /// Without it, `1.5` is 1.5 and a comma is refused (is `1,700` one thousand seven hundred, or 1.7?).
    public static func number(_ text: String, decimalComma: Bool) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        var plain = trimmed
        if decimalComma {
            let parts = trimmed.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { return nil }
            var whole = String(parts[0])
            if whole.contains(".") {
                let groups = whole.split(separator: ".", omittingEmptySubsequences: false)
                let leading = groups[0].drop(while: { $0 == "-" })
                guard (1...3).contains(leading.count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else {
                    return nil
                }
                whole = groups.joined()
            }
            plain = parts.count == 2 ? "\(whole).\(parts[1])" : whole
        } else if trimmed.contains(",") {
            return nil
        }
        guard let value = Double(plain), value.isFinite else { return nil }
        return value
    }
}
