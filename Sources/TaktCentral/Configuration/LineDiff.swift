import TaktCore

/// What changed between two versions of a document, line by line: the longest common subsequence of their
/// lines, everything else removed or added.
struct LineDiff: Hashable, Sendable {
    enum Change: Hashable, Sendable {
        case same(String)
        case removed(String)
        case added(String)
    }

    /// The changes in order; nil when the documents are too long to compare line by line (more than
    /// `maximumLines` lines each), so a hostile document cannot make a page quadratic in its size.
    let changes: [Change]?

    static let maximumLines = 2_000

    init(from old: String, to new: String) {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard a.count <= Self.maximumLines, b.count <= Self.maximumLines else {
            changes = nil
            return
        }
        // lengths[i][j]: the longest common subsequence of a[i...] and b[j...].
        let width = b.count + 1
        var lengths = [Int32](repeating: 0, count: (a.count + 1) * width)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lengths[i * width + j] =
                    a[i] == b[j]
                    ? lengths[(i + 1) * width + j + 1] + 1
                    : max(lengths[(i + 1) * width + j], lengths[i * width + j + 1])
            }
        }
        var result: [Change] = []
        var (i, j) = (0, 0)
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                result.append(.same(a[i]))
                i += 1
                j += 1
            } else if j < b.count, i == a.count || lengths[i * width + j + 1] >= lengths[(i + 1) * width + j] {
                result.append(.added(b[j]))
                j += 1
            } else {
                result.append(.removed(a[i]))
                i += 1
            }
        }
        changes = result
    }

    /// Whether anything changed.
    var isEmpty: Bool { changes?.allSatisfy { if case .same = $0 { true } else { false } } ?? false }

    /// The diff as HTML lines in a `<pre>`: `+` added, `-` removed, two spaces unchanged.
    var html: String {
        guard let changes else {
            return "<p class=\"muted\">The documents are too long to compare line by line.</p>"
        }
        let lines = changes.map { change -> String in
            switch change {
            case .same(let line): return "<span>  \(HTMLText.escape(line))</span>"
            case .removed(let line): return "<del>- \(HTMLText.escape(line))</del>"
            case .added(let line): return "<ins>+ \(HTMLText.escape(line))</ins>"
            }
        }
        return "<pre class=\"diff\">" + lines.joined(separator: "\n") + "</pre>"
    }
}
