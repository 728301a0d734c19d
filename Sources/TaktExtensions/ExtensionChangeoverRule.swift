import Foundation
import TaktCore

/// The changeover slot filled by an extension: the time (or the ban) between two products on a work centre, by the
/// values of one attribute (`family: rye`). The scheduler asks once per pair when it builds its changeover matrix.
/// A call that fails answers nothing for that pair (its tests ran when the site loaded it).
public struct ExtensionChangeoverRule: ChangeoverRule {
    public let id: RuleID
    public let runtime: ExtensionRuntime
    let slot: ExtensionManifest.ChangeoverSlot

    public init(runtime: ExtensionRuntime) throws(CoreError) {
        guard let slot = runtime.manifest.changeover else {
            throw .invalidConfiguration(path: "extensions", message: "\(runtime.name) fills no changeover slot")
        }
        id = try RuleID(
            validating: "site.extension."
                + runtime.manifest.id.lowercased().replacingOccurrences(of: "-", with: "_") + ".changeover")
        self.runtime = runtime
        self.slot = slot
    }

    public var summary: String {
        "extension \(runtime.manifest.id) \(runtime.manifest.version): \(slot.task) between \(slot.attribute) values "
            + "on \(slot.workCentres.joined(separator: ", "))"
    }

    public func changeover(from previous: Product, to next: Product, on workCentre: String) -> Changeover? {
        guard let centre = slot.workCentres.firstIndex(of: workCentre) else { return nil }
        func index(_ product: Product) -> Int {
            let values = product.values(of: slot.attribute)
            return slot.values.firstIndex { values.contains($0) } ?? -1
        }
        guard let minutes = try? runtime.changeover(from: index(previous), to: index(next), workCentre: centre) else {
            return nil
        }
        if minutes == -2 {
            return .forbidden(
                reason: "\(slot.task): \(runtime.manifest.id) forbids \(previous.id) → \(next.id) on \(workCentre)",
                rule: id)
        }
        return minutes > 0 ? .required(duration: .minutes(minutes), task: slot.task, rule: id) : nil
    }
}
