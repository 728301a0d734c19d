import Foundation

/// A report for senior management (a site's month, a region's month): sections of figures and tables, drawn as
/// one printable HTML page or one CSV file, whichever the reader wants. Site and regional reports share it.
public struct ManagementReport: Hashable, Sendable, Codable {
    /// One figure: what it is, how it reads, and the number behind it for a spreadsheet.
    public struct Figure: Hashable, Sendable, Codable {
        public var label: String
        public var value: String
        public var number: Double?

        public init(_ label: String, _ value: String, number: Double? = nil) {
            self.label = label
            self.value = value
            self.number = number
        }
    }

    public struct Table: Hashable, Sendable, Codable {
        public var header: [String]
        public var rows: [[String]]

        public init(header: [String], rows: [[String]]) {
            self.header = header
            self.rows = rows
        }
    }

    public struct Section: Hashable, Sendable, Codable {
        public var title: String
        public var figures: [Figure]
        public var table: Table?
        /// What the reader should know about the figures (a missing rate, materials taken at standard).
        public var notes: [String]

        public init(title: String, figures: [Figure] = [], table: Table? = nil, notes: [String] = []) {
            self.title = title
            self.figures = figures
            self.table = table
            self.notes = notes
        }
    }

    public var title: String
    public var subtitle: String
    public var generatedAt: Date
    public var sections: [Section]

    public init(title: String, subtitle: String, generatedAt: Date, sections: [Section]) {
        self.title = title
        self.subtitle = subtitle
        self.generatedAt = generatedAt
        self.sections = sections
    }

    /// A self-contained page (its own style, nothing fetched) that prints on A4.
    public func html(in zone: TimeZone) -> String {
        let e = HTMLText.escape
        var page = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>\(e(title))</title><style>
            body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#111}h1{margin:0}h2{margin-top:1.6em;\
            border-bottom:1px solid #999}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;\
            padding:.2em .5em;text-align:left}td.n{text-align:right}dl{display:grid;grid-template-columns:max-content \
            auto;gap:.2em 1em}dt{font-weight:600}.note{color:#555}@page{size:A4;margin:15mm}\
            @media print{body{margin:0}h2{break-after:avoid}table{break-inside:avoid}}</style></head><body>
            <h1>\(e(title))</h1><p>\(e(subtitle)) · generated \(e(Instant.format(generatedAt, in: zone)))</p>
            """
        for section in sections {
            page += "<section><h2>\(e(section.title))</h2>"
            if !section.figures.isEmpty {
                page += "<dl>"
                for figure in section.figures { page += "<dt>\(e(figure.label))</dt><dd>\(e(figure.value))</dd>" }
                page += "</dl>"
            }
            if let table = section.table {
                page += "<table><thead><tr>"
                for cell in table.header { page += "<th scope=\"col\">\(e(cell))</th>" }
                page += "</tr></thead><tbody>"
                for row in table.rows {
                    page += "<tr>"
                    for cell in row {
                        page +=
                            Double(cell.replacingOccurrences(of: ",", with: "")) != nil
                            ? "<td class=\"n\">\(e(cell))</td>" : "<td>\(e(cell))</td>"
                    }
                    page += "</tr>"
                }
                page += "</tbody></table>"
            }
            for note in section.notes { page += "<p class=\"note\">\(e(note))</p>" }
            page += "</section>"
        }
        return page + "</body></html>\n"
    }

    /// One line per figure (`section,measure,value,number`), then each table under its section's name.
    public func csv() -> String {
        var rows: [[String]] = []
        for section in sections {
            for figure in section.figures {
                rows.append([section.title, figure.label, figure.value, figure.number.map { "\($0)" } ?? ""])
            }
        }
        var text = CSVText.file(header: ["section", "measure", "value", "number"], rows: rows)
        for section in sections {
            guard let table = section.table else { continue }
            text += "\r\n" + CSVText.file(header: [section.title] + table.header, rows: table.rows.map { [""] + $0 })
        }
        return text
    }
}
