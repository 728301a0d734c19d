import Foundation
import TaktCore

extension PlantSchedule {
    /// The schedule as rows, by work centre and start.
    public func rows(in problem: PlantProblem) -> [ScheduleRow] {
        var rows: [ScheduleRow] = []
        for slot in slots {
            let task = problem.tasks[slot.task]
            let lane = problem.lanes[slot.lane]
            let order = problem.jobs[task.job].order
            for setup in slot.setups {
                rows.append(
                    ScheduleRow(
                        kind: setup.kind == .clean ? .clean : .changeover, order: order.id,
                        operation: task.operation.id,
                        product: order.product, workCentre: lane.workCentre, unit: lane.unit + 1,
                        start: problem.instant(setup.start), end: problem.instant(setup.end), task: setup.task,
                        rule: setup.rule?.rawValue))
            }
            let names = slot.crews.map { $0.map { problem.people[$0].id }.sorted() }
            let everyone = Array(Set(names.joined())).sorted()
            let pieces: [ScheduleRow.CrewPiece]? =
                names.count > 1
                ? zip(slot.pieces, names).map {
                    .init(start: problem.instant($0.0.lowerBound), end: problem.instant($0.0.upperBound), crew: $0.1)
                } : nil
            rows.append(
                ScheduleRow(
                    kind: .operation, order: order.id, operation: task.operation.id, product: order.product,
                    workCentre: lane.workCentre, unit: lane.unit + 1, start: problem.instant(slot.start),
                    end: problem.instant(slot.end), task: nil, rule: nil, crew: names.isEmpty ? nil : everyone,
                    crewPieces: pieces))
        }
        return rows.sorted {
            ($0.workCentre, $0.unit, $0.start, $0.kind.rawValue) < ($1.workCentre, $1.unit, $1.start, $1.kind.rawValue)
        }
    }
}

/// What a re-schedule changed against the schedule before it.
public struct ScheduleChanges: Hashable, Sendable, Codable {
    public struct Moved: Hashable, Sendable, Codable {
        public var order: String
        public var operation: String
        public var from: String
        public var to: String
        public var shiftSeconds: Int
    }
    public struct OrderEnd: Hashable, Sendable, Codable {
        public var order: String
        public var before: Date?
        public var after: Date?
        public var shiftSeconds: Int
    }
    public var moved: [Moved]
    public var orderEnds: [OrderEnd]

    /// Compares operations by order and operation id; setups are not counted as moves.
    public init(before: [ScheduleRow], after: [ScheduleRow]) {
        let old = Dictionary(
            before.filter { $0.kind == .operation }.map { ("\($0.order)/\($0.operation)", $0) },
            uniquingKeysWith: { a, _ in a })
        var moved: [Moved] = []
        for row in after where row.kind == .operation {
            guard let previous = old["\(row.order)/\(row.operation)"] else { continue }
            if previous.workCentre != row.workCentre || previous.unit != row.unit || previous.start != row.start {
                moved.append(
                    Moved(
                        order: row.order, operation: row.operation, from: "\(previous.workCentre)#\(previous.unit)",
                        to: "\(row.workCentre)#\(row.unit)",
                        shiftSeconds: Int(row.start.timeIntervalSince(previous.start))))
            }
        }
        func ends(_ rows: [ScheduleRow]) -> [String: Date] {
            var result: [String: Date] = [:]
            for row in rows where row.kind == .operation {
                result[row.order] = max(result[row.order] ?? row.end, row.end)
            }
            return result
        }
        let (a, b) = (ends(before), ends(after))
        orderEnds = Set(a.keys).union(b.keys).sorted().compactMap { order in
            let shift = Int((b[order] ?? .distantPast).timeIntervalSince(a[order] ?? .distantPast))
            guard a[order] != b[order] else { return nil }
            return OrderEnd(
                order: order, before: a[order], after: b[order],
                shiftSeconds: a[order] == nil || b[order] == nil ? 0 : shift)
        }
        self.moved = moved.sorted { ($0.order, $0.operation) < ($1.order, $1.operation) }
    }
}
