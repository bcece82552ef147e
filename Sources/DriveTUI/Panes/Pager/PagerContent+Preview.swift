import DriveEngine
import Foundation

// A stand-in until the Text/ diff and hex pieces land: text previews only.

extension PagerContent {
    /// Bytes read for a preview; the rest of a bigger file is not shown.
    static let previewLimit = 1 << 20

    /// A file version's content as text; binary content is only named.
    static func preview(of path: DrivePath, version: Int?, data: Data, size: Int64?) -> PagerContent {
        let title = "\(path)" + (version.map { " · version \($0)" } ?? "")
        if data.prefix(8192).contains(0) {
            return PagerContent(title: title, lines: [PagerLine("Binary file: \(Formatting.bytes(size ?? Int64(data.count)))", role: .muted)])
        }
        let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { PagerLine(String($0)) }
        if lines.last?.text == "" { lines.removeLast() }
        return PagerContent(title: title, lines: lines.isEmpty ? [PagerLine("(empty file)", role: .muted)] : lines)
    }

    /// Version `old` against version `new`: only whether they differ, until the line diff lands.
    static func diff(of path: DrivePath, old: Int, new: Int, oldData: Data, newData: Data) -> PagerContent {
        PagerContent(title: "\(path) · v\(old) → v\(new)", lines: [
            PagerLine(oldData == newData ? "No changes." : "The contents differ.", role: .muted),
        ])
    }
}
