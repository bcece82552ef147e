import DriveEngine
import ScreenKit

/// The Storage view: logical bytes against what dedup and compression stored, the ratios,
/// counts, and the biggest files as bars. Pure; scrolls as text.
enum StorageView {
    /// One line of the view.
    enum Line: Equatable {
        /// Text in one role.
        case text(String, ThemeRole)
        /// A figure with a bar: label, bytes, fraction of the largest figure, remark.
        case bar(String, Int64, Double, String)
        /// An empty line.
        case blank
    }

    /// The lines for `state` (only "Counting…" until the figures arrive).
    static func lines(_ state: AppState) -> [Line] {
        guard let stats = state.storage.stats else { return [.text("Counting…", .muted)] }
        let largest = Double(max(1, stats.logicalBytes, stats.uniqueBytes, stats.storedBytes, stats.packBytes))
        var lines: [Line] = [
            .text("Space", .header),
            .bar("Logical", stats.logicalBytes, Double(stats.logicalBytes) / largest, "every version of every file"),
            .bar("Unique", stats.uniqueBytes, Double(stats.uniqueBytes) / largest, "distinct blocks, after dedup"),
            .bar("Stored", stats.storedBytes, Double(stats.storedBytes) / largest, "after compression"),
            .bar("On disk", stats.packBytes, Double(stats.packBytes) / largest, "pack files, garbage included"),
            .blank,
            .text("Dedup \(Formatting.ratio(stats.dedupRatio)) (logical ÷ unique)   "
                  + "Compression \(Formatting.ratio(stats.compressionRatio)) (unique ÷ stored)   "
                  + "Saved \(savedPercent(stats))", .value),
            .text([
                Formatting.count(stats.files, "file"), Formatting.count(stats.folders, "folder"),
                Formatting.count(stats.versions, "version"), Formatting.count(stats.blocks, "block"),
            ].joined(separator: " · ") + " (whole store)", .muted),
            .blank,
            .text("Biggest files of \(state.context.userName)", .header),
        ]
        let biggest = Double(max(1, state.storage.biggest.first?.size ?? 1))
        for file in state.storage.biggest {
            lines.append(.bar(file.path, file.size, Double(file.size) / biggest, ""))
        }
        if state.storage.biggest.isEmpty { lines.append(.text("No files yet", .muted)) }
        return lines
    }

    /// How many lines the view has (for scrolling).
    static func lineCount(_ state: AppState) -> Int { lines(state).count }

    /// "71%": the share of logical bytes that did not need storing.
    private static func savedPercent(_ stats: StoreStats) -> String {
        guard stats.logicalBytes > 0 else { return "0%" }
        let saved = 1 - Double(stats.storedBytes) / Double(stats.logicalBytes)
        return "\(Int((max(0, saved) * 100).rounded()))%"
    }

    static func render(_ state: AppState, in rect: Rect, theme: Theme, into buffer: inout ScreenBuffer) {
        buffer.drawPane(rect, title: "Storage", isFocused: true, theme: theme)
        let inner = rect.inset(by: 1)
        let area = Rect(row: inner.row, column: inner.column + 1, width: inner.width - 2, height: inner.height)
        let all = lines(state)
        let top = state.storage.cursor.top
        let labelWidth = min(max(12, area.width / 3), 36)
        for (offset, line) in all.dropFirst(top).prefix(area.height).enumerated() {
            let row = area.row + offset
            switch line {
            case .blank:
                break
            case .text(let text, let role):
                buffer.putPadded(text, row: row, column: area.column, width: area.width, style: theme[role])
            case .bar(let label, let bytes, let fraction, let remark):
                let value = Formatting.bytes(bytes)
                let fitted = TextWidth.truncate(label, toWidth: labelWidth, position: .middle)
                var column = buffer.putPadded(fitted, row: row, column: area.column, width: labelWidth, style: theme[.value])
                column += 1
                column = buffer.putPadded(value, row: row, column: column, width: 9, style: theme[.value],
                                          alignment: .trailing)
                column += 1
                // Every figure's bar has the same length, so the bars compare.
                let remarkWidth = remark.isEmpty ? 0 : min(30, area.width / 3)
                let barWidth = max(0, area.maxColumn - column - (remarkWidth > 0 ? remarkWidth + 1 : 0))
                buffer.putBar(fraction: fraction, row: row, column: column, width: barWidth,
                              done: theme[.bar], todo: theme[.row], fill: "█", empty: " ")
                if remarkWidth > 0 {
                    buffer.putPadded(remark, row: row, column: column + barWidth + 1, width: remarkWidth, style: theme[.muted])
                }
            }
        }
        if all.count > area.height {
            buffer.putFrameFooter("\(top + 1)–\(min(all.count, top + area.height)) of \(all.count)", in: rect,
                                  style: theme[.muted])
        }
    }
}
