import Foundation
import TaktCore

/// Schedules as files a manager opens: CSV for a spreadsheet, SVG for a Gantt chart in any browser.
public enum ScheduleExport {
    /// One line per operation, changeover and clean. Times are ISO 8601 in the site's zone with its offset
    /// (`2026-11-25T14:30:00+01:00`), which spreadsheets and scripts parse without guessing the zone.
    public static func csv(_ rows: [ScheduleRow], timeZone: TimeZone) -> String {
        var lines = ["work_centre,unit,kind,order,operation,product,start,end,minutes,task,rule"]
        for row in rows {
            let fields = [
                row.workCentre, String(row.unit), row.kind.rawValue, row.order, row.operation, row.product,
                Instant.isoLocal(row.start, in: timeZone), Instant.isoLocal(row.end, in: timeZone),
                String(Int(row.end.timeIntervalSince(row.start) / 60)), row.task ?? "", row.rule ?? "",
            ]
            lines.append(CSVText.line(fields))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func escape(_ text: String) -> String { HTMLText.escape(text) }
}
