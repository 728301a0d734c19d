import Foundation
import TaktCore

/// What central shows of a site's reels: how many are on the floor, how many are past their floor life or wet
/// from their bag check, and the one with the least floor life left.
enum ReelProjection {
    static let projection = RecordProjection(Reel.records, title: "Moisture-sensitive reels") { reels, now in
        let open = reels.filter { $0.openedAt != nil }
        let spent = reels.filter { reel in !reel.wet && (reel.remainingFloorLife(at: now).map { $0 < 0 } ?? false) }
        let wet = reels.filter(\.wet)
        var lines = [
            RecordProjection.Line(label: "reels", value: "\(reels.count)"),
            RecordProjection.Line(label: "on the floor", value: "\(open.count)"),
            RecordProjection.Line(
                label: "past floor life (J-STD-033)", value: "\(spent.count)", attention: !spent.isEmpty),
            RecordProjection.Line(
                label: "wet on opening: bake before use", value: "\(wet.count)", attention: !wet.isEmpty),
        ]
        let soonest = open.filter { !$0.wet }.compactMap { reel in reel.remainingFloorLife(at: now).map { (reel, $0) } }
            .filter { $0.1 >= 0 }.min { $0.1 < $1.1 }
        if let (reel, left) = soonest {
            lines.append(
                .init(
                    label: "least floor life left", value: "\(reel.id) (\(reel.part)): \(Int(left / 3600)) h",
                    attention: left < 8 * 3600))
        }
        return lines
    }
}
