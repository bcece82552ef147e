import DriveEngine
import Foundation
import TextMerge

extension PagerContent {
    /// Bytes read for a preview; the rest of a bigger file is not shown.
    static let previewLimit = 1 << 20

    /// A file version's content: its text, or a hex summary when it looks binary.
    static func preview(of path: DrivePath, version: Int?, data: Data, size: Int64?) -> PagerContent {
        let title = "\(path)" + (version.map { " · version \($0)" } ?? "")
        if looksBinary(data) {
            let summary = HexSummary(data, maxRows: 64)
            var lines = [PagerLine("Binary file: \(Formatting.bytes(Int64(size ?? Int64(data.count)))), shown as hex", role: .muted)]
            lines += summary.rows.map { PagerLine($0.text, role: .row) }
            if let size, size > Int64(summary.rows.reduce(0) { $0 + $1.bytes.count }) {
                lines.append(PagerLine("… \(size - Int64(summary.rows.reduce(0) { $0 + $1.bytes.count })) more bytes not shown",
                                       role: .muted))
            }
            return PagerContent(title: title, lines: lines)
        }
        var lines = textLines(String(decoding: data, as: UTF8.self)).map { PagerLine($0) }
        if data.isEmpty { lines = [PagerLine("(empty file)", role: .muted)] }
        if let size, size > Int64(data.count) {
            lines.append(PagerLine("… only the first \(Formatting.bytes(Int64(data.count))) of \(Formatting.bytes(size)) shown",
                                   role: .muted))
        }
        return PagerContent(title: title, lines: lines)
    }

    /// A symbolic link version: it has no content, only its target (never followed).
    static func link(_ path: DrivePath, version: Int?, target: String) -> PagerContent {
        let title = "\(path)" + (version.map { " · version \($0)" } ?? "")
        return PagerContent(title: title, lines: [
            PagerLine("Symbolic link to:", role: .muted),
            PagerLine(expandTabs(target)),
            PagerLine(""),
            PagerLine("get writes it as a link; its target is not followed or stored.", role: .muted),
        ])
    }

    /// A coloured unified diff of version `old` against version `new`.
    static func diff(of path: DrivePath, old: Int, new: Int, oldData: Data, newData: Data) -> PagerContent {
        var title = "\(path) · v\(old) → v\(new)"
        if looksBinary(oldData) || looksBinary(newData) {
            return PagerContent(title: title, lines: [
                PagerLine("Binary content: no line diff.", role: .muted),
                PagerLine("v\(old): \(Formatting.bytes(Int64(oldData.count)))   v\(new): \(Formatting.bytes(Int64(newData.count)))"),
                PagerLine(oldData == newData ? "The contents are the same." : "The contents differ.", role: .muted),
            ])
        }
        let diff = UnifiedDiff(old: String(decoding: oldData, as: UTF8.self), new: String(decoding: newData, as: UTF8.self))
        guard !diff.isEmpty else {
            return PagerContent(title: title, lines: [PagerLine("No changes: v\(old) and v\(new) hold the same text.", role: .muted)])
        }
        let stats = diff.stats
        title += " · +\(stats.added) −\(stats.removed)"
        var lines = [PagerLine("--- \(path) v\(old)", role: .diffHeader), PagerLine("+++ \(path) v\(new)", role: .diffHeader)]
        for hunk in diff.hunks {
            lines.append(PagerLine(hunk.header, role: .diffHunk))
            for line in hunk.lines {
                let role: ThemeRole = switch line.kind {
                case .added: .diffAdded
                case .removed: .diffRemoved
                case .context: .row
                }
                lines.append(PagerLine(line.kind.prefix + expandTabs(line.text), role: role))
                if line.missingNewline { lines.append(PagerLine("\\ No newline at end of file", role: .muted)) }
            }
        }
        return PagerContent(title: title, lines: lines)
    }

    /// The lines of `text`, tabs expanded and carriage returns dropped; no empty last line
    /// for a text ending in a newline.
    static func textLines(_ text: String) -> [String] {
        // "\r\n" is one Character in Swift: make it "\n" before splitting.
        let unified = text.replacingOccurrences(of: "\r\n", with: "\n")
        var lines = unified.split(separator: "\n", omittingEmptySubsequences: false).map { expandTabs(String($0)) }
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Tabs to spaces, every 4 columns; carriage returns removed.
    static func expandTabs(_ line: String) -> String {
        guard line.contains("\t") || line.contains("\r") else { return line }
        var out = ""
        var column = 0
        for character in line {
            if character == "\t" {
                let spaces = 4 - column % 4
                out += String(repeating: " ", count: spaces)
                column += spaces
            } else if character != "\r" && character != "\r\n" {
                out.append(character)
                column += 1
            }
        }
        return out
    }
}
