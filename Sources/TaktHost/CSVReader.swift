/// Splits CSV text (RFC 4180) into rows of fields, strictly: every problem that would silently change what was
/// read is reported with its line, so an import is all rows or none.
///
/// Accepted: quoted fields with `""` for a quote and line breaks inside, CRLF or LF line ends, a UTF-8 byte
/// order mark, blank lines (skipped). Refused: a quote opened and never closed (it would swallow the rest of the
/// file), a quote inside an unquoted field (`12" tin`: quote the whole field as `"12"" tin"`), text after a
/// closing quote.
struct CSVReader {
    struct Row {
        /// The line the row starts on (1-based).
        var line: Int
        var fields: [String]
    }

    var delimiter: Character = ","

    func rows(_ text: String) -> (rows: [Row], problems: [String]) {
        var rows: [Row] = []
        var problems: [String] = []
        var fields: [String] = []
        var field = ""
        var line = 1
        var rowLine = 1
        var state = State.fieldStart
        var quoteLine = 1
        var body = Substring(text)
        if body.first == "\u{FEFF}" { body = body.dropFirst() }

        func endRow() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty) { rows.append(Row(line: rowLine, fields: fields)) }
            fields = []
            field = ""
        }
        /// A separator or a line end outside quotes: true when `character` was one and is handled.
        func separates(_ character: Character, isNewline: Bool) -> Bool {
            if character == delimiter {
                fields.append(field)
                field = ""
            } else if isNewline {
                endRow()
                line += 1
                rowLine = line
            } else {
                return false
            }
            state = .fieldStart
            return true
        }
        // Swift treats "\r\n" as one Character, so CRLF and LF are both one line end here.
        for character in body {
            let isNewline = character == "\n" || character == "\r\n" || character == "\r"
            switch state {
            case .fieldStart, .unquoted:
                if character == "\"" {
                    if state == .fieldStart {
                        state = .quoted
                        quoteLine = line
                    } else {
                        problems.append(
                            "\(line): field \(fields.count + 1) has a quote inside an unquoted value "
                                + "('\(field)\"…'); quote the whole field and double the quote: \"\(field)\"\"…\"")
                        field.append(character)
                    }
                } else if !separates(character, isNewline: isNewline) {
                    field.append(character)
                    state = .unquoted
                }
            case .quoted:
                if character == "\"" {
                    state = .quoteInQuoted
                } else {
                    if isNewline { line += 1 }
                    field.append(character)
                }
            case .quoteInQuoted:
                if character == "\"" {
                    field.append("\"")
                    state = .quoted
                } else if !separates(character, isNewline: isNewline) {
                    problems.append(
                        "\(line): field \(fields.count + 1) has text after its closing quote; a quote inside a quoted field is written twice (\"\")"
                    )
                    field.append(character)
                    state = .unquoted
                }
            }
        }
        if state == .quoted {
            problems.append(
                "\(quoteLine): a quoted field opened on this line is never closed (the file ends inside it)")
        } else if state != .fieldStart || !fields.isEmpty || !field.isEmpty {
            endRow()
        }
        return (rows, problems)
    }

    enum State {
        case fieldStart, unquoted, quoted, quoteInQuoted
    }
}
